//! `GET /s/{store}/{fulfillment}/{signature}`: a Shopify shipping notification's tracking
//! link (`ingest::shopify_link`).
//!
//! `POST /hooks/{source}/{hook}`: webhook deliveries from Shopify and carrier-tracking
//! services (`app::ssr::ingest`). The body is read as bytes (signatures cover the exact
//! bytes), at most 1 MiB (413 beyond); an unknown hook is 404, a bad signature 401, a signed
//! body that is not the source's JSON 400; a taken delivery is 200 at once (a repeat too),
//! and is processed from the database.

use app::ssr::ingest::{self, Received, Refused, Source};
use app::ssr::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hooks/{source}/{hook}", post(receive))
        .layer(DefaultBodyLimit::max(ingest::MAX_BODY))
        .route("/s/{store}/{fulfillment}/{signature}", get(shopify_link))
}

/// `GET /s/{store}/{fulfillment}/{signature}`: the link Shopify's shipping notification
/// builds (the settings page gives its Liquid), to the fulfillment's tracking page.
async fn shopify_link(
    State(state): State<AppState>,
    Path((store, fulfillment, signature)): Path<(String, String, String)>,
) -> Response {
    match ingest::shopify_link(&state, &store, &fulfillment, &signature).await {
        Ok(Some(token)) => Redirect::to(&format!("/t/{}", token.as_str())).into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            [(header::CACHE_CONTROL, "no-store")],
            Html(
                "<!DOCTYPE html><html lang=\"en\"><title>Tracking link not found</title>\
                 <h1>This tracking link does not lead anywhere</h1>\
                 <p>If your order shipped a moment ago, try again in a minute.</p></html>",
            ),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(
                error = format!("{e:#}"),
                "opening a Shopify tracking link failed"
            );
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
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
