//! `/sandbox/klaviyo/...`: set the Klaviyo sandbox up, look inside and play the shopper's
//! phone, over HTTP, for a sandbox running as its own process (in-process users call
//! [`KlaviyoSandbox`] directly). Unauthenticated: the sandbox listens on loopback and holds
//! only test data. Nothing here is recorded in the request log.
//!
//! - `GET /sandbox/klaviyo`: accounts, faults, clock, log size.
//! - `POST /sandbox/klaviyo/accounts`: add (or replace) an account ([`KlaviyoAccountSpec`]).
//! - `GET /sandbox/klaviyo/accounts/{id}`: its spec, lists with members, profiles, events,
//!   outbox.
//! - `POST /sandbox/klaviyo/accounts/{id}/profiles`: seed a profile (attributes as given).
//! - `POST /sandbox/klaviyo/accounts/{id}/confirm` and `/stop`, `{"phone_number": "+1..."}`:
//!   the shopper replies YES, or texts STOP.
//! - `GET`/`DELETE /sandbox/klaviyo/requests` (`?account_id=` filters).
//! - `GET`/`PUT /sandbox/klaviyo/faults` ([`KlaviyoFaultsPatch`]).
//! - `GET`/`POST /sandbox/klaviyo/clock`, `{"advance_ms": 1000, "frozen": true}`.

use super::{KlaviyoAccountSpec, KlaviyoFaultsPatch, KlaviyoSandbox};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;

pub(super) fn router(sandbox: KlaviyoSandbox) -> Router {
    Router::new()
        .route("/sandbox/klaviyo", get(overview))
        .route("/sandbox/klaviyo/accounts", post(add_account))
        .route("/sandbox/klaviyo/accounts/{account_id}", get(account))
        .route(
            "/sandbox/klaviyo/accounts/{account_id}/profiles",
            post(seed_profile),
        )
        .route(
            "/sandbox/klaviyo/accounts/{account_id}/confirm",
            post(confirm),
        )
        .route("/sandbox/klaviyo/accounts/{account_id}/stop", post(stop))
        .route(
            "/sandbox/klaviyo/requests",
            get(requests).delete(clear_requests),
        )
        .route("/sandbox/klaviyo/faults", get(faults).put(set_faults))
        .route("/sandbox/klaviyo/clock", get(clock).post(move_clock))
        .with_state(sandbox)
}

fn refuse(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "message": message.into() }))).into_response()
}

/// A 404 when the account does not exist.
fn unknown(sandbox: &KlaviyoSandbox, account_id: &str) -> Option<Response> {
    sandbox
        .account(account_id)
        .is_none()
        .then(|| refuse(StatusCode::NOT_FOUND, format!("no account {account_id:?}")))
}

async fn overview(State(sandbox): State<KlaviyoSandbox>) -> Json<Value> {
    Json(json!({
        "sandbox": "Klaviyo sandbox (Tracklight)",
        "accounts": sandbox.account_ids(),
        "faults": sandbox.faults(),
        "now_ms": sandbox.now_ms(),
        "requests_recorded": sandbox.requests().len(),
        "requests_dropped": sandbox.dropped_requests(),
    }))
}

async fn add_account(
    State(sandbox): State<KlaviyoSandbox>,
    Json(spec): Json<KlaviyoAccountSpec>,
) -> Response {
    if let Err(message) = spec.validate() {
        return refuse(StatusCode::BAD_REQUEST, message);
    }
    sandbox.add_account(spec);
    StatusCode::CREATED.into_response()
}

async fn account(
    State(sandbox): State<KlaviyoSandbox>,
    Path(account_id): Path<String>,
) -> Response {
    let Some(spec) = sandbox.account(&account_id) else {
        return refuse(StatusCode::NOT_FOUND, format!("no account {account_id:?}"));
    };
    let lists: Vec<Value> = spec
        .lists
        .iter()
        .map(|l| {
            json!({
                "id": l.id, "name": l.name, "opt_in_process": l.opt_in_process,
                "members": sandbox.list_members(&account_id, &l.id),
            })
        })
        .collect();
    Json(json!({
        "account_id": account_id,
        "spec": spec,
        "lists": lists,
        "profiles": sandbox.profiles(&account_id),
        "events": sandbox.events(&account_id),
        "outbox": sandbox.outbox(&account_id),
    }))
    .into_response()
}

async fn seed_profile(
    State(sandbox): State<KlaviyoSandbox>,
    Path(account_id): Path<String>,
    Json(attributes): Json<Value>,
) -> Response {
    if let Some(missing) = unknown(&sandbox, &account_id) {
        return missing;
    }
    if !attributes.is_object() {
        return refuse(
            StatusCode::BAD_REQUEST,
            "send the profile's attributes as a JSON object",
        );
    }
    let id = sandbox.seed_profile(&account_id, attributes);
    (StatusCode::CREATED, Json(json!({ "id": id }))).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhoneBody {
    phone_number: String,
}

async fn confirm(
    State(sandbox): State<KlaviyoSandbox>,
    Path(account_id): Path<String>,
    Json(body): Json<PhoneBody>,
) -> Response {
    if let Some(missing) = unknown(&sandbox, &account_id) {
        return missing;
    }
    let confirmed = sandbox.confirm(&account_id, &body.phone_number);
    Json(json!({ "confirmed": confirmed })).into_response()
}

async fn stop(
    State(sandbox): State<KlaviyoSandbox>,
    Path(account_id): Path<String>,
    Json(body): Json<PhoneBody>,
) -> Response {
    if let Some(missing) = unknown(&sandbox, &account_id) {
        return missing;
    }
    let stopped = sandbox.stop(&account_id, &body.phone_number);
    Json(json!({ "stopped": stopped })).into_response()
}

#[derive(Deserialize)]
struct RequestFilter {
    account_id: Option<String>,
}

async fn requests(
    State(sandbox): State<KlaviyoSandbox>,
    Query(filter): Query<RequestFilter>,
) -> Json<Value> {
    let requests: Vec<_> = sandbox
        .requests()
        .into_iter()
        .filter(|r| filter.account_id.is_none() || r.store_id == filter.account_id)
        .collect();
    Json(json!({ "requests": requests }))
}

async fn clear_requests(State(sandbox): State<KlaviyoSandbox>) -> StatusCode {
    sandbox.clear_requests();
    StatusCode::NO_CONTENT
}

async fn faults(State(sandbox): State<KlaviyoSandbox>) -> Response {
    Json(sandbox.faults()).into_response()
}

async fn set_faults(
    State(sandbox): State<KlaviyoSandbox>,
    Json(patch): Json<KlaviyoFaultsPatch>,
) -> Response {
    if let Err(message) = patch.validate() {
        return refuse(StatusCode::BAD_REQUEST, message);
    }
    Json(sandbox.set_faults(patch)).into_response()
}

#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
#[derive(Default)]
struct ClockMove {
    advance_ms: u64,
    frozen: Option<bool>,
}

async fn clock(State(sandbox): State<KlaviyoSandbox>) -> Json<Value> {
    Json(json!({ "now_ms": sandbox.now_ms() }))
}

async fn move_clock(
    State(sandbox): State<KlaviyoSandbox>,
    Json(change): Json<ClockMove>,
) -> Json<Value> {
    if let Some(frozen) = change.frozen {
        sandbox.freeze_clock(frozen);
    }
    sandbox.advance(Duration::from_millis(change.advance_ms));
    Json(json!({ "now_ms": sandbox.now_ms() }))
}
