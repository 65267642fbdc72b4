//! Files a signed-in merchant downloads: the consent log as CSV, and everything held for one
//! shopper as JSON. Plain axum handlers (a download is a GET with the session cookie), scoped
//! to the session's merchant.

use app::domain::AppError;
use app::ssr::consent_log;
use app::ssr::data_rights::{self, Subject};
use app::ssr::request::session_from;
use app::ssr::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

/// `GET /settings/consents.csv[?state=failed]`
pub async fn consents_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let session = match session_from(&state, &headers).await {
        Ok(Some(session)) => session,
        Ok(None) => return Redirect::to("/signin").into_response(),
        // Logged where it became an `AppError`.
        Err(e) => return e.status().into_response(),
    };
    let filter = query
        .get("state")
        .map(String::as_str)
        .filter(|s| consent_log::STATES.contains(s));
    match consent_log::entries(&state.db, &session.merchant_id, filter, 1_000_000).await {
        Ok(entries) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"consents.csv\"",
                ),
            ],
            consent_log::to_csv(&entries),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "exporting the consent log");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET /settings/subject.json?kind=phone|customer&subject=…`: everything held for one
/// shopper, to answer their request for it.
pub async fn subject_json(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let session = match session_from(&state, &headers).await {
        Ok(Some(session)) => session,
        Ok(None) => return Redirect::to("/signin").into_response(),
        Err(e) => return e.status().into_response(),
    };
    let merchant = &session.merchant_id;
    let field = |name: &str| query.get(name).map(String::as_str).unwrap_or_default();
    let region = match app::ssr::merchant_settings::home_region(&state, merchant).await {
        Ok(region) => region,
        Err(e) => return e.status().into_response(),
    };
    let subject = match Subject::parse(field("kind"), field("subject"), region) {
        Ok(subject) => subject,
        Err(e) => return (e.status(), e.to_string()).into_response(),
    };
    match data_rights::export(&state.db, merchant, &subject).await {
        Ok(data) => (
            [(
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"shopper-data.json\"",
            )],
            axum::Json(data),
        )
            .into_response(),
        Err(e) => AppError::internal(e).status().into_response(),
    }
}
