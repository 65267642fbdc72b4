//! Klaviyo's `/api/...` endpoints, as `klaviyo-api.md` documents them. Every request passes
//! the gate in this order: the Cloudflare challenge switch, latency, the route (404/405),
//! injected failures, the API key (401), the `revision` header (400), the key's scopes (403),
//! the endpoint's rate limit (429), unknown query parameters, then for a POST the media type
//! (415) and the JSON body, and the endpoint's own validation. Each request is recorded with
//! the status it got. Every answer is `application/vnd.api+json` (Cloudflare's HTML pages
//! aside); every error is `{"errors": [{id, status, code, title, detail, source?, meta?}]}`.
//!
//! This file owns the router and the gate (its order, the fault switches, the rate limit,
//! the request log, the rate headers) and hands each request to its endpoint.
//!
//! - `op`: the operations served: path and method, scopes, rate-limit tier, query parameters.
//! - `auth`: the API key, the `revision` header, the key's scopes.
//! - `errors`: Klaviyo's JSON:API error bodies, the 429 answer, Cloudflare's HTML pages.
//! - `request`: what a handler sees of a request; paging, filters, fieldsets and sort.
//! - `body`: a POST's media type and JSON, and the checks its members get.
//! - `profiles`: `GET /api/profiles`, `POST /api/profile-import`.
//! - `subscriptions`: `POST /api/profile-subscription-bulk-create-jobs`.
//! - `events`: `POST /api/events`.
//! - `lists`: `GET /api/lists`, `GET /api/lists/{id}`, `GET /api/accounts`.

mod auth;
mod body;
mod errors;
mod events;
mod lists;
mod op;
mod profiles;
mod request;
mod subscriptions;

use super::query::Params;
use super::state::{Account, Admission, RateHeaders, State as SandboxState};
use super::KlaviyoSandbox;
use crate::Recorded;
use auth::{api_key, check_revision, check_scopes};
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use body::json_body;
use errors::{cloudflare, throttled, ApiError};
use events::create_event;
use lists::{get_accounts, get_list, get_lists};
use op::Op;
use profiles::{get_profiles, import_profile};
use rand::Rng;
use request::{base_url, Req};
use serde_json::Value;
use std::time::Duration;
use subscriptions::subscribe;

/// Klaviyo's payload limit for every new API.
const MAX_BODY: usize = 5 * 1024 * 1024;
/// Profile create and update take at most 100 KB.
const PROFILE_BODY: usize = 100 * 1024;
const JSON_API: &str = "application/vnd.api+json";

pub(super) fn router(sandbox: KlaviyoSandbox) -> Router {
    Router::new()
        .route("/api", any(gate_and_record))
        .route("/api/", any(gate_and_record))
        .route("/api/{*rest}", any(gate_and_record))
        .with_state(sandbox)
}

/// Any other path: Klaviyo's JSON 404 (not recorded: it is no API request).
pub(super) async fn not_found(uri: axum::http::Uri) -> Response {
    ApiError::not_found(format!("The path {} does not exist.", uri.path())).into_response()
}
fn json_api(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_API));
    response
}

/// 202 Accepted, no body.
fn accepted() -> Response {
    let mut response = (StatusCode::ACCEPTED, Body::empty()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_API));
    response
}
fn with_rate_headers(mut response: Response, rate: Option<RateHeaders>) -> Response {
    if let Some(rate) = rate {
        let headers = response.headers_mut();
        headers.insert("RateLimit-Limit", HeaderValue::from(rate.limit));
        headers.insert("RateLimit-Remaining", HeaderValue::from(rate.remaining));
        headers.insert("RateLimit-Reset", HeaderValue::from(rate.reset_secs));
    }
    response
}

async fn gate_and_record(State(sandbox): State<KlaviyoSandbox>, request: Request) -> Response {
    let at_ms = sandbox.now_ms();
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_BODY).await.ok();
    let mut account = None;
    let mut response = match &bytes {
        Some(bytes) => answer(&sandbox, &parts, bytes, &mut account).await,
        None => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request_too_large",
            "Request entity too large.",
            "The request body is over 5 MB.",
        )
        .into_response(),
    };
    let faults = sandbox.faults();
    sandbox.0.lock().record(Recorded {
        seq: 0,
        at_ms,
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        store_id: account,
        status: response.status().as_u16(),
        body: bytes.and_then(|b| serde_json::from_slice(&b).ok()),
    });
    // The change is made and logged; the caller hears late (or never, if it gives up).
    if faults.answer_delay_ms > 0 && parts.method != Method::GET {
        tokio::time::sleep(Duration::from_millis(faults.answer_delay_ms)).await;
    }
    response
        .headers_mut()
        .insert("X-Sandbox", HeaderValue::from_static("klaviyo"));
    response
}

async fn answer(
    sandbox: &KlaviyoSandbox,
    parts: &Parts,
    bytes: &Bytes,
    account: &mut Option<String>,
) -> Response {
    let faults = sandbox.faults();
    if faults.html_challenge {
        return cloudflare(StatusCode::FORBIDDEN, true);
    }
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    let op = match Op::resolve(&parts.method, parts.uri.path()) {
        Ok(op) => op,
        Err(e) => return e.into_response(),
    };
    if let Some(status) = injected(sandbox) {
        return fault(status);
    }
    let key = match api_key(&parts.headers, &faults) {
        Ok(key) => key,
        Err(bad) => return bad.into_response(),
    };
    let Some((account_id, scopes)) = sandbox.0.lock().key(key) else {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "authentication_failed",
            "Incorrect authentication credentials.",
            "The private API key is not valid (unknown to this Klaviyo sandbox).",
        )
        .into_response();
    };
    *account = Some(account_id.clone());
    let params = Params::parse(parts.uri.query());
    let (endpoint, limits) = op.rate(&params);
    if let Err(e) = check_revision(&parts.headers).and_then(|()| check_scopes(&op, &scopes)) {
        let rate = sandbox.0.lock().peek(&account_id, endpoint, limits);
        return with_rate_headers(e.into_response(), rate);
    }
    let admission = sandbox.0.lock().admit(&account_id, endpoint, limits);
    let rate = match admission {
        Admission::Throttled { retry_after } => return throttled(retry_after),
        Admission::Admitted(rate) => rate,
    };
    let request = Req {
        base: base_url(&parts.headers),
        path: parts.uri.path().to_owned(),
        raw_query: parts.uri.query().map(str::to_owned),
        params,
    };
    let response = handle(sandbox, &op, &account_id, &request, &parts.headers, bytes)
        .unwrap_or_else(IntoResponse::into_response);
    with_rate_headers(response, rate)
}

/// A failure the fault switches ask for, if any.
fn injected(sandbox: &KlaviyoSandbox) -> Option<u16> {
    let mut state = sandbox.0.lock();
    let faults = &mut state.faults;
    if faults.fail_next > 0 {
        faults.fail_next -= 1;
        return Some(faults.error_status);
    }
    let rate = faults.error_rate.clamp(0.0, 1.0);
    (rate > 0.0 && rand::rng().random_bool(rate)).then_some(faults.error_status)
}

fn fault(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    match status.as_u16() {
        429 => throttled(1),
        502 | 504 | 520..=524 => cloudflare(status, false),
        503 => ApiError::new(
            status,
            "service_unavailable",
            "Service unavailable.",
            "Injected by the Klaviyo sandbox's fault switches.",
        )
        .into_response(),
        _ => ApiError::new(
            status,
            "error",
            if status == StatusCode::INTERNAL_SERVER_ERROR {
                "A server error occurred."
            } else {
                status.canonical_reason().unwrap_or("Error.")
            },
            "Injected by the Klaviyo sandbox's fault switches.",
        )
        .into_response(),
    }
}
fn handle(
    sandbox: &KlaviyoSandbox,
    op: &Op,
    account_id: &str,
    request: &Req,
    headers: &HeaderMap,
    bytes: &Bytes,
) -> Result<Response, ApiError> {
    if let Some(name) = request.params.unknown(op.parameters()) {
        return Err(ApiError::invalid_parameter(
            name,
            format!("'{name}' is not a valid query parameter for this endpoint."),
        ));
    }
    match op {
        Op::GetProfiles => get_profiles(sandbox, account_id, request),
        Op::GetLists => get_lists(sandbox, account_id, request),
        Op::GetList(id) => get_list(sandbox, account_id, request, id),
        Op::GetAccounts => get_accounts(sandbox, account_id, request),
        Op::ImportProfile => {
            let body = json_body(headers, bytes, PROFILE_BODY)?;
            import_profile(sandbox, account_id, request, &body)
        }
        Op::Subscribe => {
            let body = json_body(headers, bytes, MAX_BODY)?;
            subscribe(sandbox, account_id, &body)
        }
        Op::CreateEvent => {
            let body = json_body(headers, bytes, MAX_BODY)?;
            create_event(sandbox, account_id, &body)
        }
    }
}
fn account<'a>(state: &'a SandboxState, account_id: &str) -> Result<&'a Account, ApiError> {
    state.account(account_id).ok_or_else(gone_account)
}

fn account_mut<'a>(
    state: &'a mut SandboxState,
    account_id: &str,
) -> Result<&'a mut Account, ApiError> {
    state.account_mut(account_id).ok_or_else(gone_account)
}

fn gone_account() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "authentication_failed",
        "Incorrect authentication credentials.",
        "The key's account no longer exists.",
    )
}
