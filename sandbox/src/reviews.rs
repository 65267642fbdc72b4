//! Yotpo Reviews / Visual UGC v1, after `yotpo-api.md` §1, §2, §3 and §10: the utoken
//! exchange (`POST /oauth/token`, a form with `client_id`, `client_secret`,
//! `grant_type=client_credentials`, as tap-yotpo sends it) and the Visual UGC imports
//! (`POST /v1/apps/{app_key}/images/import`, `POST /v1/apps/{app_key}/videos/import`). Here an
//! app key is a store's ID and its client secret the store's secret, the one the core
//! `access_tokens` route checks. A utoken lasts `token_ttl_secs`, like a v3 token, and
//! [`Sandbox::expire_tokens`] ends it too. The imports take it in the body (`utoken`) or the
//! `utoken` query parameter.
//!
//! Documented (§10): at most 8 images a request, more than 3 only once Yotpo support enables
//! it for the account ([`Sandbox::set_bulk_image_import`]); `videos.album_names`,
//! `videos.domain_keys` (product ids), at most 8 products a video; 5,000 requests a minute
//! per app key (§3), kept here in a window of its own (`reviews_rate_limit_per_minute`),
//! answered with 429 and the `RateLimit-Remaining` / `RateLimit-Reset` headers the core
//! routes send.
//!
//! UNCONFIRMED, and Tracklight's defaults which its client lets a merchant override: both
//! import paths and methods, their body schemas (every field name but `album_names` and
//! `domain_keys`), the success body (`{"status": {"code": 200, "message": "OK"},
//! "response": {"imported": N}}`), the error bodies (v1-style `{"status": {"code", "message"}}`
//! here; OAuth-style `{"error", "error_description"}` for `/oauth/token`), the 1,000-character
//! caption limit, whether `/oauth/token` answers `token_type` and whether it accepts JSON
//! (only a form here).
//!
//! Every request passes this module's gate (latency, the app key's window, the `reviews_*`
//! fault switches, then the shared `fail_next` and `error_rate`) and lands in the request log
//! with `utoken`, `client_secret`, `user_email` and `user_name` masked ([`mask`](super::mask)).

use super::state::{unix_ms, Auth, Gate, Media, Recorded};
use super::Sandbox;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// Largest request body the sandbox reads.
const BODY_LIMIT: usize = 1 << 20;

/// The v1 token exchange.
const TOKEN_PATH: &str = "/oauth/token";

/// Images a request may import at most, and without bulk import enabled.
const MAX_IMAGES: usize = 8;
const MAX_IMAGES_WITHOUT_BULK: usize = 3;
/// Products a video may be tagged with.
const MAX_DOMAIN_KEYS: usize = 8;
/// An image caption's length, in characters (UNCONFIRMED).
const MAX_CAPTION_CHARS: usize = 1000;

pub(super) fn router(sandbox: Sandbox) -> Router {
    Router::new()
        .route(TOKEN_PATH, post(token))
        .route("/v1/apps/{app_key}/images/import", post(import_images))
        .route("/v1/apps/{app_key}/videos/import", post(import_videos))
        .layer(middleware::from_fn_with_state(
            sandbox.clone(),
            gate_and_record,
        ))
        .with_state(sandbox)
}

/// A v1 error answer: `{"status": {"code": ..., "message": ...}}`.
struct V1Error {
    status: StatusCode,
    message: String,
}

impl IntoResponse for V1Error {
    fn into_response(self) -> Response {
        let body = json!({"status": {"code": self.status.as_u16(), "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

fn v1_error(status: StatusCode, message: impl Into<String>) -> Response {
    V1Error {
        status,
        message: message.into(),
    }
    .into_response()
}

/// A 400 naming the problem.
fn bad(message: impl Into<String>) -> V1Error {
    V1Error {
        status: StatusCode::BAD_REQUEST,
        message: message.into(),
    }
}

/// An OAuth 2 error answer (RFC 6749 §5.2): `{"error": ..., "error_description": ...}`.
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

/// The app key in a `/v1/apps/{app_key}/...` path.
fn app_key_of(path: &str) -> Option<String> {
    let mut parts = path.split('/');
    parts.find(|p| *p == "apps")?;
    parts.next().filter(|p| !p.is_empty()).map(str::to_owned)
}

/// An `application/x-www-form-urlencoded` body's fields (the last of a repeated name wins;
/// a pair that does not decode is skipped).
fn form_fields(body: &[u8]) -> BTreeMap<String, String> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(name)?, percent_decode(value)?))
        })
        .collect()
}

/// Form decoding: `+` is a space, `%XX` a byte; `None` when that is not UTF-8 or a `%` is
/// not followed by two hex digits.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// An absolute `http` or `https` URL with a host, without spaces.
fn is_http_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        && !host.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The gate and the log for the v1 routes, like the core routes' but with the app key's own
/// window (per minute) and the `reviews_*` fault switches. A request without a known app key
/// goes straight to its handler, which refuses it (400 or 401) without counting it.
async fn gate_and_record(State(sandbox): State<Sandbox>, request: Request, next: Next) -> Response {
    let at_ms = unix_ms();
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => return v1_error(StatusCode::PAYLOAD_TOO_LARGE, "request body too large"),
    };
    // The token exchange names its app key in its form (`client_id`), the imports in the path.
    let (app_key, logged_body) = if parts.uri.path() == TOKEN_PATH {
        let form = form_fields(&bytes);
        let app_key = form.get("client_id").cloned();
        let logged = (!form.is_empty()).then(|| {
            Value::Object(
                form.into_iter()
                    .map(|(name, value)| (name, Value::String(value)))
                    .collect(),
            )
        });
        (app_key, logged)
    } else {
        (
            app_key_of(parts.uri.path()),
            serde_json::from_slice::<Value>(&bytes).ok(),
        )
    };
    let mut record = Recorded {
        seq: 0,
        at_ms,
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        store_id: app_key.clone(),
        status: 0,
        body: logged_body,
    };
    let faults = sandbox.faults();
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    let key = app_key.unwrap_or_default();
    let gate = if key.is_empty() {
        Gate::UnknownStore
    } else {
        sandbox.0.reviews_gate(&key)
    };
    let mut response = match gate {
        Gate::UnknownStore => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Gate::RateLimited { reset_secs } => {
            let mut r = v1_error(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests");
            let headers = r.headers_mut();
            headers.insert("RateLimit-Remaining", HeaderValue::from(0));
            headers.insert("RateLimit-Reset", HeaderValue::from(reset_secs));
            r
        }
        Gate::Inject(status) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let mut r = v1_error(status, "injected by the sandbox's fault switches");
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
                HeaderValue::from(sandbox.0.reviews_remaining(&key)),
            );
            r
        }
    };
    record.status = response.status().as_u16();
    sandbox.0.record(record);
    // As on the core routes: the import is made and logged; the answer may come late.
    if faults.answer_delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.answer_delay_ms)).await;
    }
    response
        .headers_mut()
        .insert("X-Sandbox", HeaderValue::from_static("yotpo"));
    response
}

/// A non-empty form field.
fn form_field<'a>(form: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    form.get(name).map(String::as_str).filter(|v| !v.is_empty())
}

/// `POST /oauth/token`: a utoken for the app key when `client_secret` is its secret.
async fn token(State(sandbox): State<Sandbox>, body: Bytes) -> Response {
    let form = form_fields(&body);
    let (Some(client_id), Some(client_secret), Some(grant_type)) = (
        form_field(&form, "client_id"),
        form_field(&form, "client_secret"),
        form_field(&form, "grant_type"),
    ) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "client_id, client_secret and grant_type are required, as an \
             application/x-www-form-urlencoded body",
        );
    };
    if grant_type != "client_credentials" {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be client_credentials",
        );
    }
    match sandbox.0.issue_utoken(client_id, client_secret) {
        Some(token) => Json(json!({"access_token": token, "token_type": "bearer"})).into_response(),
        None => oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "unknown client_id or wrong client_secret",
        ),
    }
}

async fn import_images(
    State(sandbox): State<Sandbox>,
    Path(app_key): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    import(&sandbox, &app_key, &query, &body, Media::Images)
}

async fn import_videos(
    State(sandbox): State<Sandbox>,
    Path(app_key): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    import(&sandbox, &app_key, &query, &body, Media::Videos)
}

/// An import: the utoken (body, else query) first (401), then the body (400), then every
/// item kept.
fn import(
    sandbox: &Sandbox,
    app_key: &str,
    query: &HashMap<String, String>,
    body: &[u8],
    media: Media,
) -> Response {
    let parsed = serde_json::from_slice::<Value>(body);
    let utoken = parsed
        .as_ref()
        .ok()
        .and_then(|b| b.get("utoken"))
        .and_then(Value::as_str)
        .or_else(|| query.get("utoken").map(String::as_str));
    if let Auth::Invalid = sandbox.0.check_utoken(app_key, utoken) {
        return v1_error(
            StatusCode::UNAUTHORIZED,
            "missing, invalid or expired utoken for this app key",
        );
    }
    if let (Media::Videos, Some(status)) = (media, sandbox.faults().reviews_video_status) {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        return v1_error(status, "injected by the sandbox's fault switches (videos)");
    }
    let body = match parsed {
        Ok(Value::Object(body)) => body,
        Ok(_) => return bad("the body must be a JSON object").into_response(),
        Err(e) => return bad(format!("the body is not valid JSON: {e}")).into_response(),
    };
    let items = match validate(&body, media, sandbox.0.bulk_image_import(app_key)) {
        Ok(items) => items,
        Err(e) => return e.into_response(),
    };
    let imported = sandbox.0.import_media(app_key, media, items);
    Json(json!({
        "status": {"code": 200, "message": "OK"},
        "response": {"imported": imported},
    }))
    .into_response()
}

/// The items of an import, or a 400 naming the first problem.
fn validate(
    body: &Map<String, Value>,
    media: Media,
    bulk_image_import: bool,
) -> Result<Vec<Map<String, Value>>, V1Error> {
    let key = match media {
        Media::Images => "images",
        Media::Videos => "videos",
    };
    let items = match body.get(key) {
        None | Some(Value::Null) => {
            return Err(bad(format!("{key} is required: an array of {key}")))
        }
        Some(Value::Array(items)) => items,
        Some(_) => return Err(bad(format!("{key} must be an array"))),
    };
    if items.is_empty() {
        return Err(bad(format!("{key} must not be empty")));
    }
    if media == Media::Images {
        if items.len() > MAX_IMAGES {
            return Err(bad(format!(
                "images: at most {MAX_IMAGES} a request ({} sent)",
                items.len()
            )));
        }
        if items.len() > MAX_IMAGES_WITHOUT_BULK && !bulk_image_import {
            return Err(bad(format!(
                "images: more than {MAX_IMAGES_WITHOUT_BULK} a request needs bulk image import, \
                 which Yotpo support enables for the account ({} sent)",
                items.len()
            )));
        }
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| validate_item(&format!("{key}[{i}]"), item, media))
        .collect()
}

/// One image or video; `at` names it in messages (`images[0]`).
fn validate_item(at: &str, item: &Value, media: Media) -> Result<Map<String, Value>, V1Error> {
    let Value::Object(item) = item else {
        return Err(bad(format!("{at} must be an object")));
    };
    let url_field = match media {
        Media::Images => "image_url",
        Media::Videos => "video_url",
    };
    match text(item, at, url_field)? {
        None => return Err(bad(format!("{at}.{url_field} is required"))),
        Some(url) if !is_http_url(url) => {
            return Err(bad(format!(
                "{at}.{url_field} must be an absolute http or https URL"
            )))
        }
        Some(_) => {}
    }
    for field in ["caption", "user_name", "user_email", "external_id"] {
        text(item, at, field)?;
    }
    text_list(item, at, "album_names")?;
    match media {
        Media::Images => {
            text(item, at, "domain_key")?;
            if let Some(caption) = text(item, at, "caption")? {
                if caption.chars().count() > MAX_CAPTION_CHARS {
                    return Err(bad(format!(
                        "{at}.caption: at most {MAX_CAPTION_CHARS} characters"
                    )));
                }
            }
        }
        Media::Videos => {
            if text_list(item, at, "domain_keys")? > MAX_DOMAIN_KEYS {
                return Err(bad(format!(
                    "{at}.domain_keys: at most {MAX_DOMAIN_KEYS} products a video"
                )));
            }
        }
    }
    Ok(item.clone())
}

/// An optional string field: absent or `null` is `None`, anything but a string a 400.
fn text<'a>(
    item: &'a Map<String, Value>,
    at: &str,
    field: &str,
) -> Result<Option<&'a str>, V1Error> {
    match item.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(bad(format!("{at}.{field} must be a string"))),
    }
}

/// An optional array of strings: how many (0 when absent or `null`), or a 400.
fn text_list(item: &Map<String, Value>, at: &str, field: &str) -> Result<usize, V1Error> {
    match item.get(field) {
        None | Some(Value::Null) => Ok(0),
        Some(Value::Array(list)) if list.iter().all(Value::is_string) => Ok(list.len()),
        Some(_) => Err(bad(format!("{at}.{field} must be an array of strings"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{spawn, standard_store, ReviewsFaultsPatch, SandboxConfig, SandboxHandle};

    const APP_KEY: &str = "shop";
    const SECRET: &str = "s3cret";

    #[test]
    fn urls_must_be_absolute_http() {
        for ok in [
            "https://cdn.example.com/a.jpg",
            "http://example.com",
            "HTTPS://example.com/v.mp4?x=1",
        ] {
            assert!(is_http_url(ok), "{ok}");
        }
        for not in [
            "",
            "cdn.example.com/a.jpg",
            "/a.jpg",
            "ftp://example.com/a.jpg",
            "https:///a.jpg",
            "https://example.com/a b.jpg",
            "javascript://x",
        ] {
            assert!(!is_http_url(not), "{not}");
        }
    }

    #[test]
    fn forms_decode() {
        let form =
            form_fields(b"client_id=shop&client_secret=a%2Bb+c%3D&grant_type=client_credentials");
        assert_eq!(form_field(&form, "client_id"), Some("shop"));
        assert_eq!(form_field(&form, "client_secret"), Some("a+b c="));
        assert_eq!(form_field(&form, "grant_type"), Some("client_credentials"));
        assert!(form_fields(b"").is_empty());
        assert!(form_fields(b"a=%zz").is_empty(), "a bad escape is skipped");
        assert_eq!(percent_decode("%E2%9C%93"), Some("\u{2713}".to_owned()));
    }

    #[test]
    fn app_keys_come_from_the_path() {
        assert_eq!(
            app_key_of("/v1/apps/abc/images/import").as_deref(),
            Some("abc")
        );
        assert_eq!(app_key_of("/oauth/token"), None);
    }

    async fn start() -> SandboxHandle {
        let config = SandboxConfig {
            stores: vec![standard_store(APP_KEY, SECRET, 1)],
            ..SandboxConfig::default()
        };
        spawn(config, "127.0.0.1:0".parse().unwrap()).await.unwrap()
    }

    async fn utoken(sb: &SandboxHandle) -> String {
        let r = reqwest::Client::new()
            .post(format!("{}/oauth/token", sb.url()))
            .form(&[
                ("client_id", APP_KEY),
                ("client_secret", SECRET),
                ("grant_type", "client_credentials"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["token_type"], "bearer");
        body["access_token"].as_str().unwrap().to_owned()
    }

    async fn post(sb: &SandboxHandle, path: &str, body: Value) -> (u16, Value) {
        let r = reqwest::Client::new()
            .post(format!("{}{path}", sb.url()))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    fn image(n: usize) -> Value {
        json!({"image_url": format!("https://cdn.example.com/{n}.jpg"), "domain_key": "p-1"})
    }

    #[tokio::test]
    async fn the_token_exchange_checks_its_form() {
        let sb = start().await;
        let http = reqwest::Client::new();
        let url = format!("{}/oauth/token", sb.url());
        for (form, status) in [
            (vec![("client_id", APP_KEY), ("client_secret", SECRET)], 400),
            (
                vec![
                    ("client_id", APP_KEY),
                    ("client_secret", SECRET),
                    ("grant_type", "password"),
                ],
                400,
            ),
            (
                vec![
                    ("client_id", APP_KEY),
                    ("client_secret", "wrong"),
                    ("grant_type", "client_credentials"),
                ],
                401,
            ),
            (
                vec![
                    ("client_id", "nobody"),
                    ("client_secret", SECRET),
                    ("grant_type", "client_credentials"),
                ],
                401,
            ),
        ] {
            let r = http.post(&url).form(&form).send().await.unwrap();
            assert_eq!(r.status().as_u16(), status, "{form:?}");
            let body: Value = r.json().await.unwrap();
            assert!(body["error"].is_string(), "{body}");
        }
        let token = utoken(&sb).await;
        let log = sb.sandbox.requests();
        let last = log.last().unwrap();
        assert_eq!(last.path, "/oauth/token");
        assert_eq!(last.store_id.as_deref(), Some(APP_KEY));
        assert_eq!(last.body.as_ref().unwrap()["client_secret"], "[redacted]");
        // A v1 utoken also works as X-Yotpo-Token on v3 (yotpo-api.md §2a).
        let lists = http
            .get(format!("{}/messaging/v3/stores/{APP_KEY}/lists", sb.url()))
            .header("X-Yotpo-Token", &token)
            .send()
            .await
            .unwrap();
        assert_eq!(lists.status().as_u16(), 200);
    }

    #[tokio::test]
    async fn images_are_imported_and_checked() {
        let sb = start().await;
        let token = utoken(&sb).await;
        let path = format!("/v1/apps/{APP_KEY}/images/import");
        let (status, body) = post(
            &sb,
            &path,
            json!({"utoken": token, "images": [{
                "image_url": "https://cdn.example.com/a.jpg", "domain_key": "p-1",
                "album_names": ["Deliveries"], "caption": "Arrived!", "user_name": "Ana Lima",
                "user_email": "ana@example.com", "external_id": "ship-1"
            }, image(2)]}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body,
            json!({"status": {"code": 200, "message": "OK"}, "response": {"imported": 2}})
        );
        let kept = sb.sandbox.imported_images(APP_KEY);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0]["user_email"], "ana@example.com", "kept whole");
        assert!(kept[0]["received_at_ms"].as_i64().unwrap() > 0);
        assert!(sb.sandbox.imported_videos(APP_KEY).is_empty());

        let logged = sb.sandbox.requests().last().unwrap().clone();
        assert_eq!(logged.store_id.as_deref(), Some(APP_KEY));
        let logged_body = logged.body.unwrap();
        assert_eq!(logged_body["utoken"], "[redacted]");
        assert_eq!(logged_body["images"][0]["user_email"], "a***@example.com");
        assert_eq!(logged_body["images"][0]["user_name"], "A***");

        let four: Vec<Value> = (0..4).map(image).collect();
        let nine: Vec<Value> = (0..9).map(image).collect();
        let long = "x".repeat(MAX_CAPTION_CHARS + 1);
        for bad_body in [
            json!({"utoken": token}),
            json!({"utoken": token, "images": []}),
            json!({"utoken": token, "images": four}),
            json!({"utoken": token, "images": [{"image_url": "cdn.example.com/a.jpg"}]}),
            json!({"utoken": token, "images": [{"image_url": "ftp://example.com/a.jpg"}]}),
            json!({"utoken": token, "images": [{"image_url": "https://e.com/a.jpg", "caption": long}]}),
        ] {
            let (status, body) = post(&sb, &path, bad_body.clone()).await;
            assert_eq!(status, 400, "{bad_body}");
            assert!(body["status"]["message"].is_string(), "{body}");
        }
        sb.sandbox.set_bulk_image_import(APP_KEY, true);
        let (status, _) = post(&sb, &path, json!({"utoken": token, "images": four})).await;
        assert_eq!(status, 200);
        let (status, _) = post(&sb, &path, json!({"utoken": token, "images": nine})).await;
        assert_eq!(status, 400, "never more than 8");
        assert_eq!(sb.sandbox.imported_images(APP_KEY).len(), 6);

        // The utoken may come in the query; a wrong or expired one is a 401.
        let with_query = format!("{path}?utoken={token}");
        let (status, _) = post(&sb, &with_query, json!({"images": [image(1)]})).await;
        assert_eq!(status, 200);
        let logged = sb.sandbox.requests().last().unwrap().clone();
        assert_eq!(logged.query.as_deref(), Some("utoken=[redacted]"));
        let (status, _) = post(&sb, &path, json!({"utoken": "nope", "images": [image(1)]})).await;
        assert_eq!(status, 401);
        let other = "/v1/apps/other/images/import";
        let (status, _) = post(&sb, other, json!({"utoken": token, "images": [image(1)]})).await;
        assert_eq!(status, 401, "an unknown app key");
        sb.sandbox.expire_tokens();
        let (status, _) = post(&sb, &path, json!({"utoken": token, "images": [image(1)]})).await;
        assert_eq!(status, 401);
    }

    #[tokio::test]
    async fn videos_are_imported_and_checked() {
        let sb = start().await;
        let token = utoken(&sb).await;
        let path = format!("/v1/apps/{APP_KEY}/videos/import");
        let video = json!({
            "video_url": "https://cdn.example.com/unboxing.mp4",
            "domain_keys": ["p-1", "p-2"], "album_names": ["Unboxing"],
            "caption": "Look", "user_name": "Ana", "user_email": "ana@example.com",
            "external_id": "ship-1"
        });
        let (status, body) = post(&sb, &path, json!({"utoken": token, "videos": [video]})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["response"]["imported"], 1);
        let kept = sb.sandbox.imported_videos(APP_KEY);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0]["domain_keys"], json!(["p-1", "p-2"]));
        let nine: Vec<String> = (0..9).map(|n| format!("p-{n}")).collect();
        for bad_body in [
            json!({"utoken": token}),
            json!({"utoken": token, "videos": []}),
            json!({"utoken": token, "videos": [{"video_url": "/v.mp4"}]}),
            json!({"utoken": token, "videos": [{"video_url": "https://e.com/v.mp4", "domain_keys": nine}]}),
        ] {
            let (status, _) = post(&sb, &path, bad_body.clone()).await;
            assert_eq!(status, 400, "{bad_body}");
        }
        assert_eq!(sb.sandbox.imported_videos(APP_KEY).len(), 1);
    }

    #[tokio::test]
    async fn the_rate_window_and_fault_switch_are_the_reviews_own() {
        let sb = start().await;
        let token = utoken(&sb).await;
        let path = format!("/v1/apps/{APP_KEY}/images/import");
        assert_eq!(
            sb.sandbox.faults().reviews_rate_limit_per_minute,
            crate::VISUAL_UGC_RATE_LIMIT_PER_MINUTE
        );
        sb.sandbox.set_reviews_faults(ReviewsFaultsPatch {
            reviews_rate_limit_per_minute: Some(2),
            ..Default::default()
        });
        let http = reqwest::Client::new();
        let send = || {
            http.post(format!("{}{path}", sb.url()))
                .json(&json!({"utoken": token, "images": [image(1)]}))
                .send()
        };
        // The token exchange counted against the window: one import left.
        let r = send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["ratelimit-remaining"], "0");
        let r = send().await.unwrap();
        assert_eq!(r.status().as_u16(), 429);
        assert!(r.headers().get("ratelimit-reset").is_some());
        assert_eq!(r.headers()["ratelimit-remaining"], "0");

        sb.sandbox.set_reviews_faults(ReviewsFaultsPatch {
            reviews_rate_limit_per_minute: Some(0),
            reviews_status: Some(Some(500)),
            ..Default::default()
        });
        assert_eq!(send().await.unwrap().status().as_u16(), 500);
        // Over HTTP, beside the core keys: null turns the forced status off.
        let put_faults = |patch: Value| {
            let request = http
                .put(format!("{}/sandbox/faults", sb.url()))
                .json(&patch);
            async move {
                let answer = request.send().await.unwrap();
                answer.json::<Value>().await.unwrap()
            }
        };
        let faults =
            put_faults(json!({"reviews_status": null, "reviews_fail_next": 1, "latency_ms": 0}))
                .await;
        assert_eq!(faults["reviews_status"], Value::Null);
        assert_eq!(faults["reviews_fail_next"], 1);
        assert_eq!(send().await.unwrap().status().as_u16(), 503, "error_status");
        assert_eq!(send().await.unwrap().status().as_u16(), 200);
        // Videos alone can fail, while images go through.
        let faults = put_faults(json!({"reviews_video_status": 502})).await;
        assert_eq!(faults["reviews_video_status"], 502);
        let video = http
            .post(format!("{}/v1/apps/{APP_KEY}/videos/import", sb.url()))
            .json(&json!({"utoken": token, "videos": [{"video_url": "https://e.com/v.mp4"}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(video.status().as_u16(), 502);
        assert_eq!(send().await.unwrap().status().as_u16(), 200);
        assert!(sb.sandbox.imported_videos(APP_KEY).is_empty());
        let bad = http
            .put(format!("{}/sandbox/faults", sb.url()))
            .json(&json!({"reviews_status": 200}))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status().as_u16(), 400);
        let unknown = http
            .put(format!("{}/sandbox/faults", sb.url()))
            .json(&json!({"reviews_typo": 1}))
            .send()
            .await
            .unwrap();
        assert!(unknown.status().is_client_error());
        // The core routes' window is untouched by all this.
        assert_eq!(sb.sandbox.faults().rate_limit_per_second, 5);
    }
}
