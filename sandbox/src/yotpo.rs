//! The Yotpo endpoints, as `yotpo-api.md` documents them. Every request passes the gate
//! (store known, 5 requests/second, injected faults, latency) and is recorded with the
//! status it got.

use super::state::{unix_ms, Auth, CustomerFilter, Gate, Recorded};
use super::Sandbox;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::time::Duration;

/// Largest request body the sandbox reads.
const BODY_LIMIT: usize = 1 << 20;

pub(super) fn router(sandbox: Sandbox) -> Router {
    let stores = Router::new()
        .route(
            "/core/v3/stores/{store_id}/access_tokens",
            post(access_token),
        )
        .route(
            "/core/v3/stores/{store_id}/customers",
            get(retrieve_customers).patch(upsert_customer),
        )
        // Yotpo's docs put subscribers in the `messaging` namespace; some callers use
        // `core` (UNCONFIRMED which is canonical): both work here.
        .route(
            "/messaging/v3/stores/{store_id}/subscribers",
            post(upsert_subscriber),
        )
        .route(
            "/core/v3/stores/{store_id}/subscribers",
            post(upsert_subscriber),
        )
        // Create or update custom customer event: Yotpo does not publish the path
        // (UNCONFIRMED); this is Tracklight's default, which a real account may override.
        .route(
            "/core/v3/stores/{store_id}/custom_events",
            post(upsert_custom_event),
        )
        .route("/messaging/v3/stores/{store_id}/lists", get(lists))
        .route(
            "/messaging/v3/stores/{store_id}/subscription-forms",
            get(subscription_forms),
        );
    stores
        .layer(middleware::from_fn_with_state(
            sandbox.clone(),
            gate_and_record,
        ))
        .with_state(sandbox)
}

/// An error answer: `{"message": ..., "code": ...}` (Yotpo's exact v3 error body is
/// UNCONFIRMED).
struct Rejection {
    status: StatusCode,
    message: String,
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let body = json!({"code": self.status.as_u16(), "message": self.message});
        (self.status, Json(body)).into_response()
    }
}

fn reply(status: StatusCode, message: impl Into<String>) -> Response {
    error(status, message).into_response()
}

fn error(status: StatusCode, message: impl Into<String>) -> Rejection {
    Rejection {
        status,
        message: message.into(),
    }
}

fn store_of(path: &str) -> Option<String> {
    let mut parts = path.split('/');
    parts.find(|p| *p == "stores")?;
    parts.next().map(str::to_owned)
}

pub(super) async fn gate_and_record(
    State(sandbox): State<Sandbox>,
    request: Request,
    next: Next,
) -> Response {
    let at_ms = unix_ms();
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => return reply(StatusCode::PAYLOAD_TOO_LARGE, "request body too large"),
    };
    // Loyalty requests name their account (a store here) in a header, the others in the path.
    let store_id = if parts.uri.path().starts_with("/api/v2/") {
        super::loyalty::guid_of(&parts.headers, &parts.uri)
    } else {
        store_of(parts.uri.path())
    };
    let mut record = Recorded {
        seq: 0,
        at_ms,
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        store_id: store_id.clone(),
        status: 0,
        body: serde_json::from_slice(&bytes).ok(),
    };
    let faults = sandbox.faults();
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    let store = store_id.unwrap_or_default();
    let loyalty = parts.uri.path().starts_with("/api/v2/");
    let mut response = match sandbox.0.gate(&store, loyalty) {
        Gate::UnknownStore => reply(StatusCode::UNAUTHORIZED, "unknown store"),
        Gate::RateLimited { reset_secs } => {
            let mut r = reply(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests");
            let headers = r.headers_mut();
            headers.insert("RateLimit-Remaining", HeaderValue::from(0));
            headers.insert("RateLimit-Reset", HeaderValue::from(reset_secs));
            r
        }
        Gate::Inject(status) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let mut r = reply(status, "injected by the sandbox's fault switches");
            if status == StatusCode::TOO_MANY_REQUESTS {
                r.headers_mut()
                    .insert("RateLimit-Reset", HeaderValue::from(1));
            }
            r
        }
        Gate::Pass => {
            let mut r = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            r.headers_mut().insert(
                "RateLimit-Remaining",
                HeaderValue::from(sandbox.0.remaining(&store)),
            );
            r
        }
    };
    record.status = response.status().as_u16();
    let method = record.method.clone();
    let record_path_is_loyalty = record.path.starts_with("/api/v2/");
    sandbox.0.record(record);
    // The change is made and logged; the answer is late (or, if the caller gives up or
    // dies meanwhile, never heard): the window between a provider's answer and the
    // caller's commit.
    let answer_delay = if record_path_is_loyalty {
        faults.answer_delay_ms.max(faults.loyalty_answer_delay_ms)
    } else {
        faults.answer_delay_ms
    };
    if answer_delay > 0 && method != "GET" {
        tokio::time::sleep(Duration::from_millis(answer_delay)).await;
    }
    response
        .headers_mut()
        .insert("X-Sandbox", HeaderValue::from_static("yotpo"));
    response
}

fn authorise(sandbox: &Sandbox, store_id: &str, headers: &HeaderMap) -> Result<(), Rejection> {
    let token = headers.get("x-yotpo-token").and_then(|v| v.to_str().ok());
    match sandbox.0.check_token(store_id, token) {
        Auth::Ok => Ok(()),
        Auth::Invalid => Err(error(
            StatusCode::UNAUTHORIZED,
            "missing, invalid or expired X-Yotpo-Token",
        )),
    }
}

/// The JSON object under `key` in the body, or a 400 saying what is wrong.
fn envelope(body: &Bytes, key: &str) -> Result<Map<String, Value>, Rejection> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            format!("body is not valid JSON: {e}"),
        )
    })?;
    match value.get(key) {
        Some(Value::Object(map)) => Ok(map.clone()),
        _ => Err(error(
            StatusCode::BAD_REQUEST,
            format!("body must be an object with a \"{key}\" object"),
        )),
    }
}

#[derive(Deserialize)]
struct TokenRequest {
    secret: Option<String>,
}

async fn access_token(
    State(sandbox): State<Sandbox>,
    Path(store_id): Path<String>,
    body: Bytes,
) -> Response {
    let Ok(TokenRequest {
        secret: Some(secret),
    }) = serde_json::from_slice(&body)
    else {
        return reply(
            StatusCode::BAD_REQUEST,
            "body must be {\"secret\": \"...\"}",
        );
    };
    match sandbox.0.issue_token(&store_id, &secret) {
        Some(token) => Json(json!({"access_token": token})).into_response(),
        None => reply(StatusCode::UNAUTHORIZED, "invalid store or secret"),
    }
}

/// E.164: `+`, a non-zero digit, then digits; at most 15 characters in all.
pub(super) fn is_e164(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or("");
    s.len() <= 15
        && digits.len() >= 2
        && digits.starts_with(|c: char| ('1'..='9').contains(&c))
        && digits.chars().all(|c| c.is_ascii_digit())
}

fn is_email(s: &str) -> bool {
    matches!(s.split_once('@'), Some((local, domain)) if !local.is_empty() && domain.contains('.') && !s.contains(char::is_whitespace))
}

fn string_field<'a>(map: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, Rejection> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(error(
            StatusCode::BAD_REQUEST,
            format!("{key} must be a string"),
        )),
    }
}

/// Create or update customer: `{"customer": {...}}`, identified by `external_id`, or else
/// by exactly one of `email` and `phone_number`.
async fn upsert_customer(
    State(sandbox): State<Sandbox>,
    Path(store_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = authorise(&sandbox, &store_id, &headers) {
        return r.into_response();
    }
    match validate_customer(&body) {
        Ok(customer) => {
            sandbox.0.upsert_customer(&store_id, customer);
            Json(json!({})).into_response()
        }
        Err(r) => r.into_response(),
    }
}

fn validate_customer(body: &Bytes) -> Result<Map<String, Value>, Rejection> {
    let customer = envelope(body, "customer")?;
    let bad = |m: &str| error(StatusCode::BAD_REQUEST, m);
    let external_id = string_field(&customer, "external_id")?;
    let email = string_field(&customer, "email")?;
    let phone = string_field(&customer, "phone_number")?;
    if external_id.is_some_and(|id| id.trim().is_empty()) {
        return Err(bad("external_id must not be empty"));
    }
    if external_id.is_none() && email.is_some() == phone.is_some() {
        return Err(bad(
            "without external_id, send exactly one of email and phone_number",
        ));
    }
    if email.is_some_and(|e| !is_email(e)) {
        return Err(bad("email is not a valid email address"));
    }
    if phone.is_some_and(|p| !is_e164(p)) {
        return Err(bad("phone_number must be in E.164 format"));
    }
    for flag in ["accepts_sms_marketing", "accepts_email_marketing"] {
        if !matches!(
            customer.get(flag),
            None | Some(Value::Null | Value::Bool(_))
        ) {
            return Err(bad(&format!("{flag} must be true, false or null")));
        }
    }
    let one_of = |key: &str, allowed: &[&str]| -> Result<(), Rejection> {
        match string_field(&customer, key)? {
            Some(v) if !allowed.contains(&v) => {
                Err(bad(&format!("{key} must be one of {}", allowed.join(", "))))
            }
            _ => Ok(()),
        }
    };
    one_of("gender", &["F", "M", "Other"])?;
    one_of(
        "account_status",
        &["enabled", "disabled", "invited", "declined"],
    )?;
    Ok(customer)
}

/// Create or update custom customer event (`yotpo-api.md` §8): `{"custom_event": {...}}`
/// (envelope and keys UNCONFIRMED): `id` (an existing one replaces the stored event),
/// `event_name` (snake_case, at most 255), `source` (snake_case), `occurred_at` (ISO 8601),
/// `customer` (`external_id`, or else exactly one of `email` and `phone_number`),
/// `properties` (string keys to primitive values, no nulls).
async fn upsert_custom_event(
    State(sandbox): State<Sandbox>,
    Path(store_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = authorise(&sandbox, &store_id, &headers) {
        return r.into_response();
    }
    match validate_custom_event(&body) {
        Ok((id, event)) => {
            let created = sandbox.0.upsert_event(&store_id, &id, event);
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (status, Json(json!({"id": id}))).into_response()
        }
        Err(r) => r.into_response(),
    }
}

fn is_snake_case(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn validate_custom_event(body: &Bytes) -> Result<(String, Map<String, Value>), Rejection> {
    let event = envelope(body, "custom_event")?;
    let bad = |m: &str| error(StatusCode::BAD_REQUEST, m);
    let id = match string_field(&event, "id")? {
        Some(id) if !id.trim().is_empty() && id.len() <= 255 => id.to_owned(),
        _ => return Err(bad("id is required: a unique event ID")),
    };
    match string_field(&event, "event_name")? {
        Some(name) if is_snake_case(name) => {}
        _ => {
            return Err(bad(
                "event_name is required, in snake_case (a-z, 0-9, _), at most 255 characters",
            ))
        }
    }
    if let Some(source) = string_field(&event, "source")? {
        if !is_snake_case(source) {
            return Err(bad("source must be snake_case, at most 255 characters"));
        }
    }
    if let Some(at) = string_field(&event, "occurred_at")? {
        if time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).is_err()
        {
            return Err(bad("occurred_at must be an ISO 8601 time"));
        }
    }
    let customer = match event.get("customer") {
        Some(Value::Object(c)) => c,
        _ => return Err(bad("customer is required")),
    };
    let external_id = string_field(customer, "external_id")?;
    let email = string_field(customer, "email")?;
    let phone = string_field(customer, "phone_number")?;
    if external_id.is_none() && email.is_some() == phone.is_some() {
        return Err(bad(
            "customer needs external_id, or else exactly one of email and phone_number",
        ));
    }
    if email.is_some_and(|e| !is_email(e)) {
        return Err(bad("customer.email is not a valid email address"));
    }
    if phone.is_some_and(|p| !is_e164(p)) {
        return Err(bad("customer.phone_number must be in E.164 format"));
    }
    match event.get("properties") {
        None => {}
        Some(Value::Object(properties)) => {
            for (key, value) in properties {
                if key.contains(' ') {
                    return Err(bad("property names use _ instead of spaces"));
                }
                if !matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_)) {
                    return Err(bad(&format!(
                        "properties.{key} must be a string, number or boolean (no nulls)"
                    )));
                }
            }
        }
        Some(_) => return Err(bad("properties must be an object")),
    }
    Ok((id, event))
}

#[derive(Serialize, Deserialize, Default)]
struct Cursor {
    offset: usize,
    external_ids: Option<Vec<String>>,
    email: Option<String>,
    phone_number: Option<String>,
}

/// Retrieve customers: filters `external_ids` (comma list) or `external_id`, `email`,
/// `phone_number`; cursor paging with `limit` (at most 100) and `page_info`.
async fn retrieve_customers(
    State(sandbox): State<Sandbox>,
    Path(store_id): Path<String>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = authorise(&sandbox, &store_id, &headers) {
        return r.into_response();
    }
    let limit = match query.get("limit").map(|l| l.parse::<usize>()) {
        None => 50,
        Some(Ok(n)) if (1..=100).contains(&n) => n,
        Some(_) => return reply(StatusCode::BAD_REQUEST, "limit must be from 1 to 100"),
    };
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    // A cursor carries the first request's filters; other filters are ignored with it.
    let cursor = match query.get("page_info") {
        Some(info) => match engine
            .decode(info)
            .ok()
            .and_then(|b| serde_json::from_slice::<Cursor>(&b).ok())
        {
            Some(c) => c,
            None => return reply(StatusCode::BAD_REQUEST, "page_info is not a valid cursor"),
        },
        None => Cursor {
            offset: 0,
            external_ids: query
                .get("external_ids")
                .or_else(|| query.get("external_id"))
                .map(|ids| ids.split(',').map(|s| s.trim().to_owned()).collect()),
            email: query.get("email").cloned(),
            phone_number: query.get("phone_number").cloned(),
        },
    };
    let filter = CustomerFilter {
        external_ids: cursor.external_ids.clone(),
        email: cursor.email.clone(),
        phone_number: cursor.phone_number.clone(),
    };
    let (customers, more) = sandbox
        .0
        .find_customers(&store_id, &filter, cursor.offset, limit);
    let next = more.then(|| {
        let next = Cursor {
            offset: cursor.offset + customers.len(),
            ..cursor
        };
        engine.encode(serde_json::to_vec(&next).expect("serialisable"))
    });
    Json(json!({"customers": customers, "pagination": {"next_page_info": next}})).into_response()
}

/// Create or update subscriber: `{"subscriber": {phone, list_id, source, ...}}`.
async fn upsert_subscriber(
    State(sandbox): State<Sandbox>,
    Path(store_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = authorise(&sandbox, &store_id, &headers) {
        return r.into_response();
    }
    let mut subscriber = match validate_subscriber(&body) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let list_id = match subscriber.get("list_id").and_then(Value::as_u64) {
        Some(id) => id,
        // "A missing list goes to the account's default list."
        None => match sandbox.0.default_list(&store_id) {
            Some(id) => id,
            None => return reply(StatusCode::BAD_REQUEST, "the store has no default list"),
        },
    };
    if !sandbox.0.has_list(&store_id, list_id) {
        return reply(
            StatusCode::BAD_REQUEST,
            format!("list_id {list_id} does not exist in this store"),
        );
    }
    subscriber.insert("list_id".into(), Value::from(list_id));
    sandbox.0.upsert_subscriber(&store_id, subscriber);
    Json(json!({})).into_response()
}

fn validate_subscriber(body: &Bytes) -> Result<Map<String, Value>, Rejection> {
    let subscriber = envelope(body, "subscriber")?;
    let bad = |m: &str| error(StatusCode::BAD_REQUEST, m);
    match string_field(&subscriber, "phone")? {
        None => return Err(bad("phone is required")),
        Some(p) if !is_e164(p) => {
            return Err(bad(
                "phone must be in E.164 format (+ and digits, at most 15 characters)",
            ))
        }
        Some(_) => {}
    }
    match subscriber.get("list_id") {
        None | Some(Value::Null) => {}
        Some(v) if v.as_u64().is_some() => {}
        Some(_) => return Err(bad("list_id must be an integer")),
    }
    if let Some(source) = string_field(&subscriber, "source")? {
        if !(3..=40).contains(&source.chars().count()) {
            return Err(bad("source must be 3 to 40 characters"));
        }
    }
    if string_field(&subscriber, "email")?.is_some_and(|e| !is_email(e)) {
        return Err(bad("email is not a valid email address"));
    }
    match super::state::sms_consent(&subscriber) {
        None | Some(Value::Null) => {}
        Some(Value::String(c)) if ["subscribed", "unsubscribed", ""].contains(&c.as_str()) => {}
        Some(_) => {
            return Err(bad(
                "channels.sms.consent must be subscribed, unsubscribed or blank",
            ))
        }
    }
    Ok(subscriber)
}

async fn lists(
    State(sandbox): State<Sandbox>,
    Path(store_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorise(&sandbox, &store_id, &headers) {
        return r.into_response();
    }
    Json(json!({"lists": sandbox.0.lists(&store_id)})).into_response()
}

async fn subscription_forms(
    State(sandbox): State<Sandbox>,
    Path(store_id): Path<String>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = authorise(&sandbox, &store_id, &headers) {
        return r.into_response();
    }
    let status = query.get("status").map(String::as_str);
    let host = headers.get("host").and_then(|h| h.to_str().ok());
    let forms: Vec<Value> = sandbox
        .0
        .forms(&store_id)
        .into_iter()
        .filter(|f| status.is_none_or(|s| s == f.status))
        .map(|f| {
            let script = super::forms::script_source(host, &store_id, &f);
            json!({"form_id": f.form_id, "script_source": script})
        })
        .collect();
    Json(json!({ "forms": forms })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164() {
        for ok in ["+14155552671", "+447911123456", "+12"] {
            assert!(is_e164(ok), "{ok}");
        }
        for bad in [
            "14155552671",
            "+04155552671",
            "+1415555267123456",
            "+1 415",
            "+",
            "",
        ] {
            assert!(!is_e164(bad), "{bad}");
        }
    }

    #[test]
    fn store_ids_come_from_the_path() {
        assert_eq!(
            store_of("/core/v3/stores/abc/customers").as_deref(),
            Some("abc")
        );
        assert_eq!(store_of("/sandbox/faults"), None);
    }
}
