//! `POST /hooks/{source}/{hook}`: webhook deliveries from Shopify and carrier-tracking
//! services (`app::ssr::ingest`). The body is read as bytes (signatures cover the exact
//! bytes), at most 1 MiB (413 beyond); an unknown hook is 404, a bad signature 401, a signed
//! body that is not the source's JSON 400; a taken delivery is 200 at once (a repeat too),
//! and is processed from the database.

use app::ssr::ingest::{self, Received, Refused, Source};
use app::ssr::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hooks/{source}/{hook}", post(receive))
        .layer(DefaultBodyLimit::max(ingest::MAX_BODY))
}

async fn receive(
    State(state): State<AppState>,
    Path((source, hook)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let answer = |status: StatusCode, message: &str| {
        (status, Json(json!({ "error": message }))).into_response()
    };
    let Some(source) = Source::parse(&source) else {
        return answer(StatusCode::NOT_FOUND, "No such webhook.");
    };
    match ingest::receive(&state, source, &hook, &headers, &body).await {
        Ok(Received::Stored) => (StatusCode::OK, Json(json!({ "received": true }))).into_response(),
        Ok(Received::Repeat) => (
            StatusCode::OK,
            Json(json!({ "received": true, "repeat": true })),
        )
            .into_response(),
        Err(Refused::UnknownHook) => answer(StatusCode::NOT_FOUND, "No such webhook."),
        Err(Refused::BadSignature) => answer(
            StatusCode::UNAUTHORIZED,
            "The signature does not match this webhook's secret.",
        ),
        Err(Refused::Unreadable(why)) => answer(StatusCode::BAD_REQUEST, &why),
        Err(Refused::Other(e)) => {
            tracing::error!(error = format!("{e:#}"), "taking a webhook delivery failed");
            answer(
                StatusCode::SERVICE_UNAVAILABLE,
                "Tracklight could not store this delivery; send it again.",
            )
        }
    }
}
