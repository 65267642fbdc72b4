//! Files a signed-in merchant downloads: the consent log as CSV. Plain axum handlers (a
//! download is a GET with the session cookie), scoped to the session's merchant.

use app::ssr::consent_log;
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
