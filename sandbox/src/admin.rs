//! `/sandbox/...`: set the sandbox up and look inside it, over HTTP, for a sandbox running
//! as its own process (in-process users call [`Sandbox`](super::Sandbox) directly).
//! Unauthenticated: the sandbox listens on loopback and holds only test data.

use super::state::{FaultsPatch, ReviewsFaultsPatch, SandboxStore};
use super::Sandbox;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Map, Value};

pub(super) fn router(sandbox: Sandbox) -> Router {
    Router::new()
        .route("/sandbox", get(overview))
        .route("/sandbox/stores", post(add_store))
        .route("/sandbox/stores/{store_id}", get(store))
        .route(
            "/sandbox/stores/{store_id}/bulk_image_import",
            put(set_bulk_image_import),
        )
        .route("/sandbox/requests", get(requests).delete(clear_requests))
        .route("/sandbox/faults", get(faults).put(set_faults))
        .route("/sandbox/tokens/expire", post(expire_tokens))
        .with_state(sandbox)
}

async fn overview(State(sandbox): State<Sandbox>) -> Json<serde_json::Value> {
    Json(json!({
        "sandbox": "Yotpo sandbox (Tracklight)",
        "stores": sandbox.0.store_ids(),
        "faults": sandbox.faults(),
        "requests_recorded": sandbox.requests().len(),
        "requests_dropped": sandbox.dropped_requests(),
    }))
}

async fn add_store(State(sandbox): State<Sandbox>, Json(store): Json<SandboxStore>) -> Response {
    if store.store_id.is_empty() || store.secret.is_empty() {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"message": "store_id and secret are required"})),
        )
            .into_response();
    }
    sandbox.add_store(store);
    StatusCode::CREATED.into_response()
}

async fn store(State(sandbox): State<Sandbox>, Path(store_id): Path<String>) -> Response {
    if !sandbox.0.store_ids().contains(&store_id) {
        return StatusCode::NOT_FOUND.into_response();
    }
    Json(json!({
        "store_id": store_id,
        "lists": sandbox.0.lists(&store_id),
        "customers": sandbox.visible_customers(&store_id),
        "subscribers": sandbox.subscribers(&store_id),
        "events": sandbox.events(&store_id),
        "bulk_image_import": sandbox.bulk_image_import(&store_id),
        "imported_images": sandbox.imported_images(&store_id),
        "imported_videos": sandbox.imported_videos(&store_id),
    }))
    .into_response()
}

#[derive(Deserialize)]
struct BulkImageImport {
    enabled: bool,
}

/// `PUT /sandbox/stores/{store_id}/bulk_image_import` `{"enabled": true}`: lets the app key
/// import more than 3 images at a time.
async fn set_bulk_image_import(
    State(sandbox): State<Sandbox>,
    Path(store_id): Path<String>,
    Json(body): Json<BulkImageImport>,
) -> StatusCode {
    if !sandbox.0.store_ids().contains(&store_id) {
        return StatusCode::NOT_FOUND;
    }
    sandbox.set_bulk_image_import(&store_id, body.enabled);
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct RequestFilter {
    store_id: Option<String>,
}

async fn requests(
    State(sandbox): State<Sandbox>,
    Query(filter): Query<RequestFilter>,
) -> Json<serde_json::Value> {
    let requests: Vec<_> = sandbox
        .requests()
        .into_iter()
        .filter(|r| filter.store_id.is_none() || r.store_id == filter.store_id)
        .collect();
    Json(json!({ "requests": requests }))
}

async fn clear_requests(State(sandbox): State<Sandbox>) -> StatusCode {
    sandbox.clear_requests();
    StatusCode::NO_CONTENT
}

async fn faults(State(sandbox): State<Sandbox>) -> Response {
    Json(sandbox.faults()).into_response()
}

/// One object with [`FaultsPatch`]'s keys and [`ReviewsFaultsPatch`]'s (`reviews_*`); an
/// unknown key is refused (422), a bad value too (400), and then nothing changes.
async fn set_faults(State(sandbox): State<Sandbox>, Json(body): Json<Value>) -> Response {
    let refuse = |status: StatusCode, message: String| {
        (status, Json(json!({ "message": message }))).into_response()
    };
    let Value::Object(fields) = body else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "the body must be a JSON object".into(),
        );
    };
    let (reviews, core): (Map<String, Value>, Map<String, Value>) = fields
        .into_iter()
        .partition(|(key, _)| key.starts_with("reviews_"));
    let patch = match serde_json::from_value::<FaultsPatch>(Value::Object(core)) {
        Ok(patch) => patch,
        Err(e) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
    };
    let reviews = match serde_json::from_value::<ReviewsFaultsPatch>(Value::Object(reviews)) {
        Ok(patch) => patch,
        Err(e) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
    };
    if let Err(message) = patch.validate().and_then(|()| reviews.validate()) {
        return refuse(StatusCode::BAD_REQUEST, message);
    }
    sandbox.set_faults(patch);
    Json(sandbox.set_reviews_faults(reviews)).into_response()
}

async fn expire_tokens(State(sandbox): State<Sandbox>) -> StatusCode {
    sandbox.expire_tokens();
    StatusCode::NO_CONTENT
}
