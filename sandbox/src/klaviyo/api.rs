//! Klaviyo's `/api/...` endpoints, as `klaviyo-api.md` documents them. Every request passes
//! the gate in this order: the Cloudflare challenge switch, latency, the route (404/405),
//! injected failures, the API key (401), the `revision` header (400), the key's scopes (403),
//! the endpoint's rate limit (429), unknown query parameters, then for a POST the media type
//! (415) and the JSON body, and the endpoint's own validation. Each request is recorded with
//! the status it got. Every answer is `application/vnd.api+json` (Cloudflare's HTML pages
//! aside); every error is `{"errors": [{id, status, code, title, detail, source?, meta?}]}`.

use super::clock::{is_date, parse_datetime};
use super::phone::Phone;
use super::query::{self, Condition, Params};
use super::state::{
    error_id, Account, Admission, Channel, EventInput, Job, JobProfile, KlaviyoFaults,
    KlaviyoLimits, ProfileError, RateHeaders, Render, Sort, State as SandboxState, LOCATION_FIELDS,
    TEXT_ATTRIBUTES,
};
use super::{KlaviyoSandbox, KLAVIYO_REVISIONS};
use crate::Recorded;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use rand::Rng;
use serde_json::{json, Map, Value};
use std::time::Duration;

/// Klaviyo's payload limit for every new API.
const MAX_BODY: usize = 5 * 1024 * 1024;
/// Profile create and update take at most 100 KB.
const PROFILE_BODY: usize = 100 * 1024;
const JSON_API: &str = "application/vnd.api+json";
const PHONE_FORMAT: &str = "Invalid phone number format (Example of a valid format: +12345678901)";
const RATE_LIMITS_DOC: &str =
    "https://developers.klaviyo.com/en/docs/rate_limits_and_error_handling";

const L_TIER: KlaviyoLimits = KlaviyoLimits {
    burst: 75,
    steady: 750,
};
const XS_TIER: KlaviyoLimits = KlaviyoLimits {
    burst: 1,
    steady: 15,
};
const XL_TIER: KlaviyoLimits = KlaviyoLimits {
    burst: 350,
    steady: 3500,
};

/// Attributes (and extras) a profile's sparse fieldset may name.
const PROFILE_FIELDS: &[&str] = &[
    "email",
    "phone_number",
    "external_id",
    "first_name",
    "last_name",
    "organization",
    "locale",
    "title",
    "image",
    "created",
    "updated",
    "last_event_date",
    "location",
    "properties",
    "subscriptions",
    "predictive_analytics",
];

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

/// The operations the sandbox serves (Klaviyo's operationIds).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    GetProfiles,
    ImportProfile,
    Subscribe,
    GetLists,
    GetList(String),
    GetAccounts,
    CreateEvent,
}

impl Op {
    /// The operation at `path` (a trailing slash is fine), or 404 / 405.
    fn resolve(method: &Method, path: &str) -> Result<Self, ApiError> {
        let rest = path.strip_prefix("/api").unwrap_or(path).trim_matches('/');
        let segments: Vec<&str> = rest.split('/').collect();
        let (op, allowed) = match segments.as_slice() {
            ["profiles"] => (Self::GetProfiles, Method::GET),
            ["profile-import"] => (Self::ImportProfile, Method::POST),
            ["profile-subscription-bulk-create-jobs"] => (Self::Subscribe, Method::POST),
            ["lists"] => (Self::GetLists, Method::GET),
            ["lists", id] if !id.is_empty() => (Self::GetList((*id).to_owned()), Method::GET),
            ["accounts"] => (Self::GetAccounts, Method::GET),
            ["events"] => (Self::CreateEvent, Method::POST),
            _ => {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    "Not found.",
                    format!("The path {path} does not exist (the Klaviyo sandbox serves profiles, profile-import, profile-subscription-bulk-create-jobs, lists, accounts and events)."),
                ))
            }
        };
        if *method != allowed {
            return Err(ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "Method not allowed.",
                format!("Method \"{method}\" not allowed."),
            ));
        }
        Ok(op)
    }

    fn scopes(&self) -> &'static [&'static str] {
        match self {
            Self::GetProfiles => &["profiles:read"],
            Self::ImportProfile => &["profiles:write"],
            Self::Subscribe => &["lists:write", "profiles:write", "subscriptions:write"],
            Self::GetLists | Self::GetList(_) => &["lists:read"],
            Self::GetAccounts => &["accounts:read"],
            Self::CreateEvent => &["events:write"],
        }
    }

    /// The rate-limit counter this request counts against, and its limits (2026-07-15).
    fn rate(&self, params: &Params) -> (&'static str, KlaviyoLimits) {
        match self {
            Self::GetProfiles => ("get_profiles", L_TIER),
            Self::ImportProfile => ("create_or_update_profile", L_TIER),
            Self::Subscribe => ("bulk_subscribe_profiles", L_TIER),
            Self::GetLists => ("get_lists", L_TIER),
            Self::GetList(_) if wants(params, "additional-fields[list]", "profile_count") => {
                ("get_list:profile_count", XS_TIER)
            }
            Self::GetList(_) => ("get_list", L_TIER),
            Self::GetAccounts => ("get_accounts", XS_TIER),
            Self::CreateEvent => ("create_event", XL_TIER),
        }
    }

    fn parameters(&self) -> &'static [&'static str] {
        match self {
            Self::GetProfiles => &[
                "filter",
                "page[size]",
                "page[cursor]",
                "additional-fields[profile]",
                "fields[profile]",
                "sort",
            ],
            Self::ImportProfile => &["additional-fields[profile]", "fields[profile]"],
            Self::GetLists => &[
                "filter",
                "page[size]",
                "page[cursor]",
                "fields[list]",
                "sort",
            ],
            Self::GetList(_) => &["additional-fields[list]", "fields[list]"],
            Self::GetAccounts => &["fields[account]"],
            Self::Subscribe | Self::CreateEvent => &[],
        }
    }
}

/// A Klaviyo error answer (boxed: it travels in every handler's `Result`).
#[derive(Debug)]
pub(super) struct ApiError(Box<ErrorDetails>);

#[derive(Debug)]
struct ErrorDetails {
    status: StatusCode,
    code: &'static str,
    title: &'static str,
    detail: String,
    source: Option<Value>,
    meta: Option<Value>,
}

impl ApiError {
    fn new(
        status: StatusCode,
        code: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self(Box::new(ErrorDetails {
            status,
            code,
            title,
            detail: detail.into(),
            source: None,
            meta: None,
        }))
    }

    /// A 400 about the body, pointing at the culprit.
    fn invalid(pointer: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid", "Invalid input.", detail).pointer(pointer)
    }

    /// A 400 about a query parameter or header.
    fn invalid_parameter(parameter: &str, detail: impl Into<String>) -> Self {
        let mut error = Self::new(StatusCode::BAD_REQUEST, "invalid", "Invalid input.", detail);
        error.0.source = Some(json!({ "parameter": parameter }));
        error
    }

    fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "Not found.", detail)
    }

    fn pointer(mut self, pointer: &str) -> Self {
        self.0.source = Some(json!({ "pointer": pointer }));
        self
    }

    fn meta(mut self, meta: Value) -> Self {
        self.0.meta = Some(meta);
        self
    }

    #[cfg(test)]
    fn status(&self) -> StatusCode {
        self.0.status
    }

    fn body(&self) -> Value {
        let e = &self.0;
        let mut error = json!({
            "id": error_id(),
            "status": e.status.as_u16(),
            "code": e.code,
            "title": e.title,
            "detail": e.detail,
        });
        if let Some(source) = &e.source {
            error["source"] = source.clone();
        }
        if let Some(meta) = &e.meta {
            error["meta"] = meta.clone();
        }
        json!({ "errors": [error] })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_api(self.0.status, &self.body())
    }
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

/// 429: only `Retry-After`, and the `throttled` body seen in the wild.
fn throttled(retry_after: u64) -> Response {
    let unit = if retry_after == 1 {
        "second"
    } else {
        "seconds"
    };
    let mut error = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "throttled",
        "Request was throttled.",
        format!("Request was throttled. Expected available in {retry_after} {unit}."),
    )
    .pointer("/data")
    .body();
    error["errors"][0]["links"] = json!({ "type": RATE_LIMITS_DOC });
    let mut response = json_api(StatusCode::TOO_MANY_REQUESTS, &error);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

/// A Cloudflare HTML page (bot challenge, `Bearer` auth, gateway errors): not JSON.
fn cloudflare(status: StatusCode, challenge: bool) -> Response {
    let title = if challenge {
        "Just a moment..."
    } else {
        status.canonical_reason().unwrap_or("Error")
    };
    let page = format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{} {title}</h1><p>cloudflare (Klaviyo sandbox)</p></body></html>",
        status.as_u16()
    );
    let mut response = (status, page).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=UTF-8"),
    );
    headers.insert(header::SERVER, HeaderValue::from_static("cloudflare"));
    if challenge {
        headers.insert("cf-mitigated", HeaderValue::from_static("challenge"));
    }
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

/// Why the `Authorization` header gives no key.
enum BadAuth {
    /// Missing, or a scheme other than `Klaviyo-API-Key`.
    Scheme,
    /// `Bearer`, which Cloudflare answers with HTML when the switch is on.
    BearerHtml,
}

impl IntoResponse for BadAuth {
    fn into_response(self) -> Response {
        match self {
            Self::BearerHtml => cloudflare(StatusCode::BAD_REQUEST, false),
            Self::Scheme => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "not_authenticated",
                "Authentication credentials were not provided.",
                "Missing or invalid authorization scheme. Please use Klaviyo-API-Key.",
            )
            .into_response(),
        }
    }
}

/// The private key from `Authorization: Klaviyo-API-Key <key>`.
fn api_key<'a>(headers: &'a HeaderMap, faults: &KlaviyoFaults) -> Result<&'a str, BadAuth> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim();
    let (scheme, key) = value.split_once(' ').unwrap_or((value, ""));
    if scheme.eq_ignore_ascii_case("Klaviyo-API-Key") && !key.trim().is_empty() {
        return Ok(key.trim());
    }
    if faults.bearer_html && scheme.eq_ignore_ascii_case("Bearer") {
        return Err(BadAuth::BearerHtml);
    }
    Err(BadAuth::Scheme)
}

/// `revision` is required and must be one the sandbox knows [fake policy].
fn check_revision(headers: &HeaderMap) -> Result<(), ApiError> {
    let accepted = KLAVIYO_REVISIONS.join(", ");
    match headers
        .get("revision")
        .map(|v| v.to_str().unwrap_or_default().trim())
    {
        Some(revision) if KLAVIYO_REVISIONS.contains(&revision) => Ok(()),
        None => Err(ApiError::invalid_parameter(
            "revision",
            format!("The 'revision' header is required (accepted: {accepted})."),
        )),
        Some(other) => Err(ApiError::invalid_parameter(
            "revision",
            format!("'{other}' is not a valid revision (accepted: {accepted})."),
        )),
    }
}

/// 403 `permission_denied`, naming the scopes the key lacks [fake policy].
fn check_scopes(op: &Op, scopes: &[String]) -> Result<(), ApiError> {
    let missing: Vec<&str> = op
        .scopes()
        .iter()
        .copied()
        .filter(|s| !scopes.iter().any(|have| have == s))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::FORBIDDEN,
        "permission_denied",
        "You do not have permission to perform this action.",
        format!(
            "This API key is missing required scopes: {}.",
            missing.join(", ")
        ),
    ))
}

/// What a handler needs of the request.
struct Req {
    /// `http://host:port`, for links.
    base: String,
    path: String,
    raw_query: Option<String>,
    params: Params,
}

impl Req {
    fn self_link(&self) -> String {
        match &self.raw_query {
            Some(q) => format!("{}{}?{q}", self.base, self.path),
            None => format!("{}{}", self.base, self.path),
        }
    }

    fn link_with_cursor(&self, cursor: &str) -> String {
        format!(
            "{}{}?{}",
            self.base,
            self.path,
            self.params.with_cursor(cursor)
        )
    }
}

/// The sandbox as the client reached it (its `Host`, when that is a plain host and port).
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
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

/// A POST body: JSON:API media type (plain JSON accepted [fake policy]), size, JSON.
fn json_body(headers: &HeaderMap, bytes: &Bytes, limit: usize) -> Result<Value, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if media != JSON_API && media != "application/json" {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Unsupported media type.",
            format!("Unsupported media type \"{content_type}\" in request; send application/vnd.api+json."),
        ));
    }
    if bytes.len() > limit {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request_too_large",
            "Request entity too large.",
            format!("The request body is over {} KB.", limit / 1024),
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "parse_error",
            "Malformed request.",
            format!("JSON parse error - {e}"),
        )
    })
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

// ---- query parameters ----

fn page_size(params: &Params, max: usize, default: usize) -> Result<usize, ApiError> {
    match params.get("page[size]") {
        None => Ok(default),
        Some(text) => match text.trim().parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::invalid_parameter(
                "page[size]",
                format!("'page[size]' must be an integer from 1 to {max}."),
            )),
        },
    }
}

fn page_offset(params: &Params) -> Result<usize, ApiError> {
    match params.get("page[cursor]") {
        None => Ok(0),
        Some(cursor) => query::offset_of(cursor).ok_or_else(|| {
            ApiError::invalid_parameter("page[cursor]", "'page[cursor]' is not a valid cursor.")
        }),
    }
}

fn filter(params: &Params, fields: &[&str]) -> Result<Vec<Condition>, ApiError> {
    match params.get("filter") {
        None => Ok(Vec::new()),
        Some(text) => query::parse_filter(text, fields).map_err(|e| {
            ApiError::invalid_parameter("filter", format!("Invalid filter provided: {e}."))
        }),
    }
}

/// A comma list parameter whose items (or their part before a `.`) must be in `allowed`.
fn listed(params: &Params, name: &str, allowed: &[&str]) -> Result<Option<Vec<String>>, ApiError> {
    let Some(text) = params.get(name) else {
        return Ok(None);
    };
    let mut items = Vec::new();
    for item in text.split(',').map(str::trim) {
        let top = item.split('.').next().unwrap_or_default();
        if !allowed.contains(&top) {
            return Err(ApiError::invalid_parameter(
                name,
                format!(
                    "'{item}' is not a valid value for '{name}' (allowed: {}).",
                    allowed.join(", ")
                ),
            ));
        }
        items.push(top.to_owned());
    }
    Ok(Some(items))
}

fn wants(params: &Params, name: &str, value: &str) -> bool {
    params
        .get(name)
        .is_some_and(|v| v.split(',').any(|i| i.trim() == value))
}

fn sort(params: &Params, allowed: &[&str]) -> Result<Option<Sort>, ApiError> {
    let Some(text) = params.get("sort") else {
        return Ok(None);
    };
    let (field, descending) = match text.strip_prefix('-') {
        Some(field) => (field, true),
        None => (text, false),
    };
    if !allowed.contains(&field) {
        return Err(ApiError::invalid_parameter(
            "sort",
            format!(
                "'{text}' is not a valid sort (allowed: {}, each optionally with '-').",
                allowed.join(", ")
            ),
        ));
    }
    Ok(Some(Sort {
        field: field.to_owned(),
        descending,
    }))
}

/// One page of a collection, with `links.self`, `next` and `prev` (full URLs).
fn page(request: &Req, items: Vec<Value>, offset: usize, size: usize) -> Value {
    let total = items.len();
    let start = offset.min(total);
    let end = (start + size).min(total);
    let data: Vec<Value> = items.into_iter().skip(start).take(size).collect();
    let next = (end < total).then(|| request.link_with_cursor(&query::cursor(end)));
    let prev =
        (start > 0).then(|| request.link_with_cursor(&query::cursor(start.saturating_sub(size))));
    json!({
        "data": data,
        "links": {"self": request.self_link(), "next": next, "prev": prev},
    })
}

/// Keeps only the named attributes of a resource (a sparse fieldset).
fn sparse(mut resource: Value, fields: Option<&[String]>) -> Value {
    if let (Some(fields), Some(Value::Object(attributes))) =
        (fields, resource.get_mut("attributes"))
    {
        attributes.retain(|k, _| fields.iter().any(|f| f == k));
    }
    resource
}

// ---- body helpers ----

/// `data` of a JSON:API document, of type `kind`.
fn data<'a>(body: &'a Value, kind: &str) -> Result<&'a Map<String, Value>, ApiError> {
    let data = body.get("data").and_then(Value::as_object).ok_or_else(|| {
        ApiError::invalid(
            "/data",
            "The body must be a JSON:API document with a 'data' object.",
        )
    })?;
    match data.get("type").and_then(Value::as_str) {
        Some(t) if t == kind => Ok(data),
        Some(other) => Err(ApiError::invalid(
            "/data/type",
            format!("'{other}' is not a valid type here; expected '{kind}'."),
        )),
        None => Err(ApiError::invalid(
            "/data/type",
            format!("'type' is required and must be '{kind}'."),
        )),
    }
}

fn object<'a>(value: Option<&'a Value>, pointer: &str) -> Result<&'a Map<String, Value>, ApiError> {
    value.and_then(Value::as_object).ok_or_else(|| {
        let name = pointer.rsplit('/').next().unwrap_or(pointer);
        ApiError::invalid(
            pointer,
            format!("'{name}' is required and must be an object."),
        )
    })
}

/// Refuses members not in `allowed`.
fn only(
    map: &Map<String, Value>,
    allowed: &[&str],
    pointer: &str,
    resource: &str,
) -> Result<(), ApiError> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(ApiError::invalid(
            &format!("{pointer}/{k}"),
            format!("'{k}' is not a valid field for the resource '{resource}'."),
        )),
        None => Ok(()),
    }
}

fn optional_text<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    pointer: &str,
) -> Result<Option<&'a str>, ApiError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::invalid(
            &format!("{pointer}/{key}"),
            format!("'{key}' must be a string."),
        )),
    }
}

fn is_email(s: &str) -> bool {
    matches!(s.split_once('@'), Some((local, domain))
        if !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
            && !domain.ends_with('.') && !s.contains(char::is_whitespace))
}

/// A profile's attributes, checked: known names, text or `null`, a valid email and an
/// E.164 phone, `location` and `properties` objects. `null` is kept (it clears).
fn profile_attributes(
    attributes: &Map<String, Value>,
    pointer: &str,
    extra: &[&str],
) -> Result<Map<String, Value>, ApiError> {
    for (key, value) in attributes {
        let at = format!("{pointer}/{key}");
        let name = key.as_str();
        if TEXT_ATTRIBUTES.contains(&name) || extra.contains(&name) {
            match value {
                Value::Null => {}
                Value::String(s) if name == "email" && !is_email(s) => {
                    return Err(ApiError::invalid(&at, "Invalid email address."));
                }
                Value::String(s) if name == "phone_number" && Phone::parse(s).is_none() => {
                    return Err(ApiError::invalid(&at, PHONE_FORMAT));
                }
                Value::String(_) => {}
                _ => {
                    return Err(ApiError::invalid(
                        &at,
                        format!("'{key}' must be a string or null."),
                    ))
                }
            }
            continue;
        }
        match (name, value) {
            ("location" | "properties", Value::Null) => {}
            ("location", Value::Object(location)) => {
                for (field, v) in location {
                    let at = format!("{at}/{field}");
                    if !LOCATION_FIELDS.contains(&field.as_str()) {
                        return Err(ApiError::invalid(
                            &at,
                            format!("'{field}' is not a location field."),
                        ));
                    }
                    if !matches!(v, Value::Null | Value::String(_) | Value::Number(_)) {
                        return Err(ApiError::invalid(
                            &at,
                            format!("'{field}' must be a string, a number or null."),
                        ));
                    }
                }
            }
            ("properties", Value::Object(_)) => {}
            ("location" | "properties", _) => {
                return Err(ApiError::invalid(
                    &at,
                    format!("'{key}' must be an object or null."),
                ));
            }
            _ => {
                return Err(ApiError::invalid(
                    &at,
                    format!("'{key}' is not a valid field for the resource 'profile'."),
                ))
            }
        }
    }
    Ok(attributes.clone())
}

// ---- endpoints ----

/// `GET /api/profiles`
fn get_profiles(
    sandbox: &KlaviyoSandbox,
    account_id: &str,
    request: &Req,
) -> Result<Response, ApiError> {
    let params = &request.params;
    let size = page_size(params, 100, 20)?;
    let offset = page_offset(params)?;
    let conditions = filter(params, &["id", "email", "phone_number", "external_id"])?;
    let extras = listed(
        params,
        "additional-fields[profile]",
        &["subscriptions", "predictive_analytics"],
    )?
    .unwrap_or_default();
    let fields = listed(params, "fields[profile]", PROFILE_FIELDS)?;
    let sort = sort(params, &["id", "created", "updated", "email"])?;
    let state = sandbox.0.live();
    let render = Render {
        base: &request.base,
        subscriptions: extras.iter().any(|e| e == "subscriptions"),
        sms_null: state.faults.sms_null,
        fields: fields.as_deref(),
    };
    let found = account(&state, account_id)?.find_profiles(&conditions, sort.as_ref(), &render);
    Ok(json_api(
        StatusCode::OK,
        &page(request, found, offset, size),
    ))
}

/// `POST /api/profile-import`: 201 created, 200 updated, 409 `duplicate_profile`.
fn import_profile(
    sandbox: &KlaviyoSandbox,
    account_id: &str,
    request: &Req,
    body: &Value,
) -> Result<Response, ApiError> {
    let extras = listed(
        &request.params,
        "additional-fields[profile]",
        &["subscriptions", "predictive_analytics"],
    )?
    .unwrap_or_default();
    let fields = listed(&request.params, "fields[profile]", PROFILE_FIELDS)?;
    let data = data(body, "profile")?;
    only(
        data,
        &["type", "id", "attributes", "meta"],
        "/data",
        "profile",
    )?;
    let id = optional_text(data, "id", "/data")?;
    let empty = Map::new();
    let attributes = match data.get("attributes") {
        None if id.is_some() => &empty,
        value => object(value, "/data/attributes")?,
    };
    let attributes = profile_attributes(attributes, "/data/attributes", &[])?;
    if !matches!(
        data.get("meta"),
        None | Some(Value::Null | Value::Object(_))
    ) {
        return Err(ApiError::invalid("/data/meta", "'meta' must be an object."));
    }
    let given = |k: &str| attributes.get(k).is_some_and(Value::is_string);
    if id.is_none()
        && !["email", "phone_number", "external_id"]
            .iter()
            .any(|k| given(k))
    {
        return Err(ApiError::invalid(
            "/data/attributes",
            "A profile needs at least one identifier: 'email', 'phone_number', 'external_id' or 'id'.",
        ));
    }
    let mut state = sandbox.0.live();
    let now = state.now_ms();
    let sms_null = state.faults.sms_null;
    let account = account_mut(&mut state, account_id)?;
    if !account.spec().sms_enabled
        && given("phone_number")
        && !given("email")
        && !given("external_id")
        && id.is_none()
    {
        return Err(ApiError::invalid(
            "/data/attributes/phone_number",
            "SMS configuration is required to create profiles with only a phone number.",
        ));
    }
    match account.import_profile(id, &attributes, now) {
        Ok((index, created)) => {
            let render = Render {
                base: &request.base,
                subscriptions: extras.iter().any(|e| e == "subscriptions"),
                sms_null,
                fields: fields.as_deref(),
            };
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok(json_api(
                status,
                &json!({ "data": account.profile(index, &render) }),
            ))
        }
        Err(ProfileError::UnknownId(id)) => Err(ApiError::not_found(format!(
            "A profile with id '{id}' does not exist."
        ))
        .pointer("/data/id")),
        Err(ProfileError::Duplicate(other)) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "duplicate_profile",
            "Conflict.",
            "A profile already exists with one of these identifiers.",
        )
        .pointer("/data/attributes")
        .meta(json!({ "duplicate_profile_id": other }))),
    }
}

/// `POST /api/profile-subscription-bulk-create-jobs`: validated now, 202, applied later.
fn subscribe(
    sandbox: &KlaviyoSandbox,
    account_id: &str,
    body: &Value,
) -> Result<Response, ApiError> {
    const KIND: &str = "profile-subscription-bulk-create-job";
    let data = data(body, KIND)?;
    only(
        data,
        &["type", "attributes", "relationships"],
        "/data",
        KIND,
    )?;
    let attributes = object(data.get("attributes"), "/data/attributes")?;
    only(
        attributes,
        &["custom_source", "profiles", "historical_import"],
        "/data/attributes",
        KIND,
    )?;
    let custom_source = optional_text(attributes, "custom_source", "/data/attributes")?;
    let historical = match attributes.get("historical_import") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(ApiError::invalid(
                "/data/attributes/historical_import",
                "'historical_import' must be true or false.",
            ))
        }
    };
    const PROFILES: &str = "/data/attributes/profiles/data";
    let profiles = attributes
        .get("profiles")
        .and_then(|p| p.get("data"))
        .and_then(Value::as_array)
        .ok_or_else(|| {
            ApiError::invalid(PROFILES, "'profiles' must be {\"data\": [profile, ...]}.")
        })?;
    if profiles.is_empty() || profiles.len() > 1000 {
        return Err(ApiError::invalid(PROFILES, "Send from 1 to 1000 profiles."));
    }
    let (now, sms_enabled) = {
        let state = sandbox.0.lock();
        let sms = account(&state, account_id)?.spec().sms_enabled;
        (state.now_ms(), sms)
    };
    let mut partial_failure = false;
    let mut wanted = Vec::with_capacity(profiles.len());
    for (i, profile) in profiles.iter().enumerate() {
        let (job_profile, dropped_phone) = job_profile(
            profile,
            &format!("{PROFILES}/{i}"),
            historical,
            now,
            sms_enabled,
        )?;
        partial_failure |= dropped_phone;
        wanted.push(job_profile);
    }
    let list_id = list_relationship(data)?;
    let mut state = sandbox.0.live();
    if let Some(list) = &list_id {
        if !account(&state, account_id)?.has_list(list) {
            // [fake policy]
            return Err(
                ApiError::not_found(format!("A list with id '{list}' does not exist."))
                    .pointer("/data/relationships/list/data/id"),
            );
        }
    }
    state.enqueue(
        account_id,
        Job {
            list_id,
            custom_source: custom_source.map(str::to_owned),
            historical,
            profiles: wanted,
        },
    );
    let mut response = accepted();
    if partial_failure {
        // [fake policy]: the email is subscribed, the invalid phone dropped.
        response.headers_mut().insert(
            "X-Klaviyo-Partial-Failure",
            HeaderValue::from_static("phone_number"),
        );
    }
    Ok(response)
}

/// One profile of a subscribe job; and whether an invalid phone was dropped from it.
fn job_profile(
    value: &Value,
    at: &str,
    historical: bool,
    now: i64,
    sms_enabled: bool,
) -> Result<(JobProfile, bool), ApiError> {
    let profile = object(Some(value), at)?;
    match profile.get("type").and_then(Value::as_str) {
        Some("profile") => {}
        _ => {
            return Err(ApiError::invalid(
                &format!("{at}/type"),
                "'type' must be 'profile'.",
            ))
        }
    }
    only(profile, &["type", "id", "attributes"], at, "profile")?;
    let id = optional_text(profile, "id", at)?;
    let attributes_at = format!("{at}/attributes");
    let attributes = object(profile.get("attributes"), &attributes_at)?;
    if let Some(key) = attributes.keys().find(|k| {
        ![
            "email",
            "phone_number",
            "subscriptions",
            "age_gated_date_of_birth",
        ]
        .contains(&k.as_str())
    }) {
        return Err(ApiError::invalid(
            &format!("{attributes_at}/{key}"),
            format!("'{key}' cannot be sent when subscribing (only email, phone_number, subscriptions and age_gated_date_of_birth); set it with profile-import first."),
        ));
    }
    let email = optional_text(attributes, "email", &attributes_at)?;
    if email.is_some_and(|e| !is_email(e)) {
        return Err(ApiError::invalid(
            &format!("{attributes_at}/email"),
            "Invalid email address.",
        ));
    }
    let phone_text = optional_text(attributes, "phone_number", &attributes_at)?;
    if optional_text(attributes, "age_gated_date_of_birth", &attributes_at)?
        .is_some_and(|d| !is_date(d))
    {
        return Err(ApiError::invalid(
            &format!("{attributes_at}/age_gated_date_of_birth"),
            "'age_gated_date_of_birth' must be a date (YYYY-MM-DD).",
        ));
    }
    let subscriptions_at = format!("{attributes_at}/subscriptions");
    let subscriptions = match attributes.get("subscriptions") {
        Some(Value::Object(s)) if !s.is_empty() => s,
        _ => {
            return Err(ApiError::invalid(
                &subscriptions_at,
                "'subscriptions' is required: name each channel to subscribe, e.g. {\"sms\": {\"marketing\": {\"consent\": \"SUBSCRIBED\"}}}.",
            ))
        }
    };
    let mut wanted = JobProfile {
        id: id.map(str::to_owned),
        email: email.map(str::to_owned),
        ..JobProfile::default()
    };
    for (channel, kinds) in subscriptions {
        let channel_at = format!("{subscriptions_at}/{channel}");
        let allowed: &[&str] = match channel.as_str() {
            "sms" => &["marketing", "transactional"],
            "email" => &["marketing"],
            _ => {
                return Err(ApiError::invalid(
                    &channel_at,
                    format!(
                        "'{channel}' is not a channel the Klaviyo sandbox subscribes (email, sms)."
                    ),
                ))
            }
        };
        let kinds = object(Some(kinds), &channel_at)?;
        only(kinds, allowed, &channel_at, channel)?;
        for (kind, subscription) in kinds {
            let parsed = channel_subscription(
                subscription,
                &format!("{channel_at}/{kind}"),
                historical,
                now,
            )?;
            match (channel.as_str(), kind.as_str()) {
                ("sms", "marketing") => wanted.sms_marketing = Some(parsed),
                ("sms", _) => wanted.sms_transactional = Some(parsed),
                _ => wanted.email_marketing = Some(parsed),
            }
        }
    }
    let wants_sms = wanted.sms_marketing.is_some() || wanted.sms_transactional.is_some();
    let phone_at = format!("{attributes_at}/phone_number");
    let mut dropped_phone = false;
    match phone_text {
        None if wants_sms => return Err(ApiError::invalid(
            &phone_at,
            "'phone_number' must not be empty when the sms channel is included in 'subscriptions'.",
        )),
        None => {}
        Some(text) => match Phone::parse(text) {
            Some(phone) => wanted.phone = Some(phone),
            None if wants_sms || email.is_none() => {
                return Err(ApiError::invalid(&phone_at, PHONE_FORMAT))
            }
            None => dropped_phone = true,
        },
    }
    if wanted.email_marketing.is_some() && email.is_none() {
        return Err(ApiError::invalid(
            &format!("{attributes_at}/email"),
            "'email' must not be empty when the email channel is included in 'subscriptions'.",
        ));
    }
    if wants_sms && !sms_enabled && email.is_none() {
        return Err(ApiError::invalid(
            &phone_at,
            "SMS configuration is required to subscribe phone number only profiles.",
        ));
    }
    Ok((wanted, dropped_phone))
}

/// `{"consent": "SUBSCRIBED", "consented_at"?}`; `consented_at` only (and always) with
/// `historical_import`, and in the past.
fn channel_subscription(
    value: &Value,
    at: &str,
    historical: bool,
    now: i64,
) -> Result<Channel, ApiError> {
    let subscription = object(Some(value), at)?;
    only(
        subscription,
        &["consent", "consented_at"],
        at,
        "subscription",
    )?;
    if subscription.get("consent").and_then(Value::as_str) != Some("SUBSCRIBED") {
        return Err(ApiError::invalid(
            &format!("{at}/consent"),
            "'consent' must be 'SUBSCRIBED'.",
        ));
    }
    let consented_at_pointer = format!("{at}/consented_at");
    let consented_at = match subscription.get("consented_at") {
        None | Some(Value::Null) if historical => {
            return Err(ApiError::invalid(
                &consented_at_pointer,
                "'consented_at' is required for every channel when 'historical_import' is true.",
            ))
        }
        None | Some(Value::Null) => None,
        Some(_) if !historical => {
            return Err(ApiError::invalid(
                &consented_at_pointer,
                "'consented_at' may only be sent with 'historical_import': true (consent collected earlier), never for consent given now.",
            ))
        }
        Some(value) => {
            let at_ms = value.as_str().and_then(parse_datetime).ok_or_else(|| {
                ApiError::invalid(&consented_at_pointer, "'consented_at' must be a datetime.")
            })?;
            if at_ms >= now {
                return Err(ApiError::invalid(&consented_at_pointer, "'consented_at' must be in the past."));
            }
            Some(at_ms)
        }
    };
    Ok(Channel { consented_at })
}

/// `relationships.list.data.id`, when a list is named.
fn list_relationship(data: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    let relationships = match data.get("relationships") {
        None | Some(Value::Null) => return Ok(None),
        value => object(value, "/data/relationships")?,
    };
    only(
        relationships,
        &["list"],
        "/data/relationships",
        "relationships",
    )?;
    let list = match relationships.get("list") {
        None | Some(Value::Null) => return Ok(None),
        Some(list) => object(list.get("data"), "/data/relationships/list/data")?,
    };
    if list.get("type").and_then(Value::as_str) != Some("list") {
        return Err(ApiError::invalid(
            "/data/relationships/list/data/type",
            "'type' must be 'list'.",
        ));
    }
    match list.get("id").and_then(Value::as_str) {
        Some(id) if !id.trim().is_empty() => Ok(Some(id.to_owned())),
        _ => Err(ApiError::invalid(
            "/data/relationships/list/data/id",
            "'id' must name a list.",
        )),
    }
}

/// `POST /api/events`: validated, 202, stored unless it repeats a stored one.
fn create_event(
    sandbox: &KlaviyoSandbox,
    account_id: &str,
    body: &Value,
) -> Result<Response, ApiError> {
    const A: &str = "/data/attributes";
    let data = data(body, "event")?;
    only(data, &["type", "attributes"], "/data", "event")?;
    let attributes = object(data.get("attributes"), A)?;
    only(
        attributes,
        &[
            "properties",
            "time",
            "value",
            "value_currency",
            "unique_id",
            "metric",
            "profile",
            "backfill",
        ],
        A,
        "event",
    )?;
    let properties = match attributes.get("properties") {
        Some(Value::Object(p)) => p.clone(),
        _ => {
            return Err(ApiError::invalid(
                "/data/attributes/properties",
                "'properties' is required and must be an object.",
            ))
        }
    };
    if properties.len() > 400 {
        return Err(ApiError::invalid(
            "/data/attributes/properties",
            "An event may have at most 400 properties.",
        ));
    }
    let metric = object(
        attributes.get("metric").and_then(|m| m.get("data")),
        "/data/attributes/metric/data",
    )?;
    if metric.get("type").and_then(Value::as_str) != Some("metric") {
        return Err(ApiError::invalid(
            "/data/attributes/metric/data/type",
            "'type' must be 'metric'.",
        ));
    }
    let metric_attributes = object(
        metric.get("attributes"),
        "/data/attributes/metric/data/attributes",
    )?;
    let name = match metric_attributes.get("name").and_then(Value::as_str) {
        Some(name) if !name.trim().is_empty() && name.chars().count() < 128 => name.to_owned(),
        _ => {
            return Err(ApiError::invalid(
                "/data/attributes/metric/data/attributes/name",
                "The metric's 'name' is required and must be under 128 characters.",
            ))
        }
    };
    const P: &str = "/data/attributes/profile/data";
    let profile = object(attributes.get("profile").and_then(|p| p.get("data")), P)?;
    if profile.get("type").and_then(Value::as_str) != Some("profile") {
        return Err(ApiError::invalid(
            &format!("{P}/type"),
            "'type' must be 'profile'.",
        ));
    }
    only(profile, &["type", "id", "attributes", "meta"], P, "profile")?;
    let profile_id = optional_text(profile, "id", P)?;
    let profile_attributes = match profile.get("attributes") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(a)) => profile_attributes(a, &format!("{P}/attributes"), &["_kx"])?,
        Some(_) => {
            return Err(ApiError::invalid(
                &format!("{P}/attributes"),
                "'attributes' must be an object.",
            ))
        }
    };
    let identified = profile_id.is_some()
        || [
            "email",
            "phone_number",
            "external_id",
            "anonymous_id",
            "_kx",
        ]
        .iter()
        .any(|k| profile_attributes.get(*k).is_some_and(Value::is_string));
    if !identified {
        return Err(ApiError::invalid(
            &format!("{P}/attributes"),
            "The profile needs an identifier: id, email, phone_number, external_id, anonymous_id or _kx.",
        ));
    }
    let now = sandbox.now_ms();
    let time_ms = match attributes.get("time") {
        None | Some(Value::Null) => None,
        Some(value) => {
            let at = value.as_str().and_then(parse_datetime).ok_or_else(|| {
                ApiError::invalid("/data/attributes/time", "'time' must be a datetime.")
            })?;
            const YEAR_1990_MS: i64 = 631_152_000_000;
            const YEAR_MS: i64 = 365 * 24 * 3_600_000;
            if at <= YEAR_1990_MS || at > now + YEAR_MS {
                return Err(ApiError::invalid(
                    "/data/attributes/time",
                    "'time' must be after 1990 and at most one year ahead.",
                ));
            }
            Some(at)
        }
    };
    if !matches!(
        attributes.get("value"),
        None | Some(Value::Null | Value::Number(_))
    ) {
        return Err(ApiError::invalid(
            "/data/attributes/value",
            "'value' must be a number.",
        ));
    }
    if !matches!(
        attributes.get("backfill"),
        None | Some(Value::Null | Value::Bool(_))
    ) {
        return Err(ApiError::invalid(
            "/data/attributes/backfill",
            "'backfill' must be true or false.",
        ));
    }
    let value_currency = optional_text(attributes, "value_currency", A)?.map(str::to_owned);
    let unique_id = optional_text(attributes, "unique_id", A)?.map(str::to_owned);
    let event = EventInput {
        metric: name,
        properties,
        time_ms,
        unique_id,
        value: attributes.get("value").filter(|v| !v.is_null()).cloned(),
        value_currency,
        profile_id: profile_id.map(str::to_owned),
        profile: profile_attributes,
    };
    let mut state = sandbox.0.live();
    let now = state.now_ms();
    match account_mut(&mut state, account_id)?.create_event(event, now) {
        Ok(_stored) => Ok(accepted()),
        Err(ProfileError::UnknownId(id) | ProfileError::Duplicate(id)) => Err(ApiError::invalid(
            &format!("{P}/id"),
            format!("A profile with id '{id}' does not exist."),
        )),
    }
}

/// `GET /api/lists`: at most 10 a page.
fn get_lists(
    sandbox: &KlaviyoSandbox,
    account_id: &str,
    request: &Req,
) -> Result<Response, ApiError> {
    let params = &request.params;
    let size = page_size(params, 10, 10)?;
    let offset = page_offset(params)?;
    let conditions = filter(params, &["id", "name"])?;
    let sort = sort(params, &["created", "id", "name", "updated"])?;
    let fields = listed(
        params,
        "fields[list]",
        &["name", "created", "updated", "opt_in_process"],
    )?;
    let state = sandbox.0.live();
    let lists = account(&state, account_id)?
        .find_lists(&conditions, sort.as_ref(), &request.base)
        .into_iter()
        .map(|l| sparse(l, fields.as_deref()))
        .collect();
    Ok(json_api(
        StatusCode::OK,
        &page(request, lists, offset, size),
    ))
}

/// `GET /api/lists/{id}`
fn get_list(
    sandbox: &KlaviyoSandbox,
    account_id: &str,
    request: &Req,
    list_id: &str,
) -> Result<Response, ApiError> {
    let extras = listed(
        &request.params,
        "additional-fields[list]",
        &["profile_count"],
    )?
    .unwrap_or_default();
    let fields = listed(
        &request.params,
        "fields[list]",
        &[
            "name",
            "created",
            "updated",
            "opt_in_process",
            "profile_count",
        ],
    )?;
    let state = sandbox.0.live();
    let list = account(&state, account_id)?
        .list(list_id, &request.base, !extras.is_empty())
        .ok_or_else(|| {
            ApiError::not_found(format!("A list with id '{list_id}' does not exist."))
        })?;
    Ok(json_api(
        StatusCode::OK,
        &json!({ "data": sparse(list, fields.as_deref()), "links": {"self": request.self_link()} }),
    ))
}

/// `GET /api/accounts`: the one account the key belongs to.
fn get_accounts(
    sandbox: &KlaviyoSandbox,
    account_id: &str,
    request: &Req,
) -> Result<Response, ApiError> {
    let state = sandbox.0.live();
    let resource = account(&state, account_id)?.resource(&request.base);
    Ok(json_api(
        StatusCode::OK,
        &json!({ "data": [resource], "links": {"self": request.self_link(), "next": null, "prev": null} }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_to_operations() {
        let get = Method::GET;
        let post = Method::POST;
        assert_eq!(Op::resolve(&get, "/api/profiles").unwrap(), Op::GetProfiles);
        assert_eq!(
            Op::resolve(&get, "/api/profiles/").unwrap(),
            Op::GetProfiles
        );
        assert_eq!(
            Op::resolve(&get, "/api/lists/TrkSub/").unwrap(),
            Op::GetList("TrkSub".into())
        );
        assert_eq!(Op::resolve(&post, "/api/events").unwrap(), Op::CreateEvent);
        assert_eq!(
            Op::resolve(&get, "/api/events").unwrap_err().status(),
            StatusCode::METHOD_NOT_ALLOWED
        );
        for missing in [
            "/api",
            "/api/",
            "/api/profile",
            "/api/lists/a/b",
            "/api/webhooks",
        ] {
            assert_eq!(
                Op::resolve(&get, missing).unwrap_err().status(),
                StatusCode::NOT_FOUND,
                "{missing}"
            );
        }
    }

    #[test]
    fn emails() {
        for ok in ["a@b.co", "ana.lee+x@example.com"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["", "a", "a@b", "@b.com", "a b@c.com", "a@.com", "a@b."] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn subscribe_profiles_are_validated_with_pointers() {
        let now = parse_datetime("2026-08-01T00:00:00Z").unwrap();
        let at = "/data/attributes/profiles/data/0";
        let pointer = |value: Value, historical: bool, sms: bool| -> String {
            match job_profile(&value, at, historical, now, sms) {
                Ok(_) => "ok".into(),
                Err(e) => e.0.source.unwrap()["pointer"].as_str().unwrap().to_owned(),
            }
        };
        let sms = json!({"sms": {"marketing": {"consent": "SUBSCRIBED"}}});
        let cases = [
            (
                json!({"type": "profile", "attributes": {"phone_number": "+14155552671", "subscriptions": sms}}),
                false,
                true,
                "ok".to_owned(),
            ),
            (
                json!({"type": "profiles", "attributes": {}}),
                false,
                true,
                format!("{at}/type"),
            ),
            (
                json!({"type": "profile", "attributes": {"email": "a@b.com", "subscriptions": sms}}),
                false,
                true,
                format!("{at}/attributes/phone_number"),
            ),
            (
                json!({"type": "profile", "attributes": {"phone_number": "4155552671", "subscriptions": sms}}),
                false,
                true,
                format!("{at}/attributes/phone_number"),
            ),
            (
                json!({"type": "profile", "attributes": {"phone_number": "+14155552671"}}),
                false,
                true,
                format!("{at}/attributes/subscriptions"),
            ),
            (
                json!({"type": "profile", "attributes": {"phone_number": "+14155552671", "external_id": "c1", "subscriptions": sms}}),
                false,
                true,
                format!("{at}/attributes/external_id"),
            ),
            (
                json!({"type": "profile", "attributes": {"phone_number": "+14155552671", "subscriptions": {"sms": {"marketing": {"consent": "UNSUBSCRIBED"}}}}}),
                false,
                true,
                format!("{at}/attributes/subscriptions/sms/marketing/consent"),
            ),
            (
                json!({"type": "profile", "attributes": {"phone_number": "+14155552671", "subscriptions": {"sms": {"marketing": {"consent": "SUBSCRIBED", "consented_at": "2026-07-01T00:00:00Z"}}}}}),
                false,
                true,
                format!("{at}/attributes/subscriptions/sms/marketing/consented_at"),
            ),
            (
                json!({"type": "profile", "attributes": {"phone_number": "+14155552671", "subscriptions": {"sms": {"marketing": {"consent": "SUBSCRIBED", "consented_at": "2026-07-01T00:00:00Z"}}}}}),
                true,
                true,
                "ok".to_owned(),
            ),
            (
                json!({"type": "profile", "attributes": {"phone_number": "+14155552671", "subscriptions": {"sms": {"marketing": {"consent": "SUBSCRIBED", "consented_at": "2026-09-01T00:00:00Z"}}}}}),
                true,
                true,
                format!("{at}/attributes/subscriptions/sms/marketing/consented_at"),
            ),
            (
                json!({"type": "profile", "attributes": {"phone_number": "+14155552671", "subscriptions": sms}}),
                true,
                true,
                format!("{at}/attributes/subscriptions/sms/marketing/consented_at"),
            ),
            (
                json!({"type": "profile", "attributes": {"phone_number": "+14155552671", "subscriptions": sms}}),
                false,
                false,
                format!("{at}/attributes/phone_number"),
            ),
            (
                json!({"type": "profile", "attributes": {"phone_number": "+14155552671", "subscriptions": {"whatsapp": {}}}}),
                false,
                true,
                format!("{at}/attributes/subscriptions/whatsapp"),
            ),
        ];
        for (value, historical, sms_enabled, expected) in cases {
            assert_eq!(
                pointer(value.clone(), historical, sms_enabled),
                expected,
                "{value}"
            );
        }
        let (_, dropped) = job_profile(
            &json!({"type": "profile", "attributes": {"email": "a@b.com", "phone_number": "555",
                "subscriptions": {"email": {"marketing": {"consent": "SUBSCRIBED"}}}}}),
            at,
            false,
            now,
            true,
        )
        .unwrap();
        assert!(dropped, "an invalid phone beside a valid email is dropped");
    }
}
