//! Klaviyo's error answers: `ApiError`, the JSON:API body every error gets
//! (`{"errors": [{id, status, code, title, detail, source?, meta?}]}`), the 429 `throttled`
//! answer with its `Retry-After`, and the HTML pages Cloudflare answers with instead.

use super::json_api;
use crate::klaviyo::state::error_id;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

const RATE_LIMITS_DOC: &str =
    "https://developers.klaviyo.com/en/docs/rate_limits_and_error_handling";
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
    pub(super) fn new(
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
    pub(super) fn invalid(pointer: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid", "Invalid input.", detail).pointer(pointer)
    }

    /// A 400 about a query parameter or header.
    pub(super) fn invalid_parameter(parameter: &str, detail: impl Into<String>) -> Self {
        let mut error = Self::new(StatusCode::BAD_REQUEST, "invalid", "Invalid input.", detail);
        error.0.source = Some(json!({ "parameter": parameter }));
        error
    }

    pub(super) fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "Not found.", detail)
    }

    pub(super) fn pointer(mut self, pointer: &str) -> Self {
        self.0.source = Some(json!({ "pointer": pointer }));
        self
    }

    pub(super) fn meta(mut self, meta: Value) -> Self {
        self.0.meta = Some(meta);
        self
    }

    #[cfg(test)]
    pub(super) fn status(&self) -> StatusCode {
        self.0.status
    }

    #[cfg(test)]
    pub(super) fn source(&self) -> Option<&Value> {
        self.0.source.as_ref()
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
/// 429: only `Retry-After`, and the `throttled` body seen in the wild.
pub(super) fn throttled(retry_after: u64) -> Response {
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
pub(super) fn cloudflare(status: StatusCode, challenge: bool) -> Response {
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
