//! Yotpo Loyalty & Referrals, as `yotpo-api.md` §2b and §9 document it: record a custom
//! action (`POST /api/v2/actions`), read a customer with their history
//! (`GET /api/v2/customers`), and the credentials check (`GET /api/v2/vip_tiers`). A request
//! names its account with `x-guid` and proves it with `x-api-key` (or the `guid` and
//! `api_key` query parameters); here an account's GUID is a store's ID and its key the
//! store's secret. Requests pass the same gate as the other Yotpo endpoints (rate limit,
//! faults, latency, the request log).
//!
//! Recording an action is not idempotent (Yotpo documents no key for it): the same action
//! sent twice is in the history twice, with its points twice. That is what a caller must
//! guard against.

use super::state::LoyaltyOutcome;
use super::Sandbox;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Campaigns every sandbox account has (action name, points): a merchant sets up a
/// custom-action earning rule in Yotpo's admin before using it.
pub const DEFAULT_CAMPAIGNS: [(&str, i64); 2] = [
    ("Tracklight SMS sign-up", 100),
    ("Tracklight delivery photo", 50),
];

pub(super) fn router(sandbox: Sandbox) -> Router {
    Router::new()
        .route("/api/v2/actions", post(record_action))
        .route("/api/v2/customers", get(customer))
        .route("/api/v2/vip_tiers", get(vip_tiers))
        .layer(axum::middleware::from_fn_with_state(
            sandbox.clone(),
            super::yotpo::gate_and_record,
        ))
        .with_state(sandbox)
}

/// The account a loyalty request names: `x-guid`, else `?guid=`.
pub(super) fn guid_of(headers: &HeaderMap, uri: &axum::http::Uri) -> Option<String> {
    headers
        .get("x-guid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            Query::<HashMap<String, String>>::try_from_uri(uri)
                .ok()
                .and_then(|Query(q)| q.get("guid").cloned())
        })
}

fn reply(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": message}))).into_response()
}

/// A credentials refusal (401).
struct Unauthorised;

impl IntoResponse for Unauthorised {
    fn into_response(self) -> Response {
        reply(StatusCode::UNAUTHORIZED, "Invalid GUID or API key")
    }
}

/// The account's GUID when the request's key is its key.
fn authorise(
    sandbox: &Sandbox,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Result<String, Unauthorised> {
    let guid = headers
        .get("x-guid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| query.get("guid").cloned());
    let key = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| query.get("api_key").cloned());
    match (guid, key) {
        (Some(guid), Some(key)) if sandbox.0.loyalty_key_ok(&guid, &key) => Ok(guid),
        _ => Err(Unauthorised),
    }
}

async fn record_action(
    State(sandbox): State<Sandbox>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let guid = match authorise(&sandbox, &headers, &query) {
        Ok(guid) => guid,
        Err(r) => return r.into_response(),
    };
    let Ok(Value::Object(action)) = serde_json::from_slice::<Value>(&body) else {
        return reply(StatusCode::BAD_REQUEST, "the body must be a JSON object");
    };
    let text = |k: &str| {
        action
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
    };
    if text("type").is_none() {
        return reply(StatusCode::BAD_REQUEST, "type is required");
    }
    let Some(action_name) = text("action_name") else {
        return reply(StatusCode::BAD_REQUEST, "action_name is required");
    };
    let customer = match (text("customer_email"), text("customer_id")) {
        (Some(email), _) => email.to_ascii_lowercase(),
        (None, Some(id)) => format!("id:{id}"),
        (None, None) => {
            return reply(
                StatusCode::BAD_REQUEST,
                "customer_email or customer_id is required",
            )
        }
    };
    let points = match action.get("reward_points") {
        None | Some(Value::Null) => None,
        Some(v) => match v
            .as_i64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        {
            Some(n) if (0..=i64::from(i32::MAX)).contains(&n) => Some(n),
            _ => return reply(StatusCode::BAD_REQUEST, "reward_points must be an int32"),
        },
    };
    let completed_at = text("created_at")
        .map(str::to_owned)
        .unwrap_or_else(rfc3339_now);
    match sandbox.0.record_loyalty_action(
        &guid,
        &customer,
        action_name,
        points,
        &completed_at,
        text("history_title"),
    ) {
        LoyaltyOutcome::Recorded => (StatusCode::OK, Json(json!({}))).into_response(),
        LoyaltyOutcome::NoCampaign => reply(
            StatusCode::BAD_REQUEST,
            "action_name matches no active custom action campaign",
        ),
    }
}

/// Now, as RFC 3339.
fn rfc3339_now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

async fn customer(
    State(sandbox): State<Sandbox>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let guid = match authorise(&sandbox, &headers, &query) {
        Ok(guid) => guid,
        Err(r) => return r.into_response(),
    };
    let key = match (query.get("customer_email"), query.get("customer_id")) {
        (Some(email), _) => email.to_ascii_lowercase(),
        (None, Some(id)) => format!("id:{id}"),
        (None, None) => {
            return reply(
                StatusCode::BAD_REQUEST,
                "customer_email, customer_id or phone_number is required",
            )
        }
    };
    let with_history = query.get("with_history").is_some_and(|v| v == "true");
    match sandbox.0.loyalty_customer(&guid, &key) {
        Some((points, history)) => {
            let mut body = Map::new();
            if let Some(email) = query.get("customer_email") {
                body.insert("email".into(), json!(email));
            }
            body.insert("points_balance".into(), json!(points));
            if with_history {
                body.insert("history_items".into(), Value::Array(history));
            }
            (StatusCode::OK, Json(Value::Object(body))).into_response()
        }
        None => reply(StatusCode::NOT_FOUND, "customer not found"),
    }
}

async fn vip_tiers(
    State(sandbox): State<Sandbox>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    match authorise(&sandbox, &headers, &query) {
        Ok(_) => (StatusCode::OK, Json(json!([]))).into_response(),
        Err(r) => r.into_response(),
    }
}
