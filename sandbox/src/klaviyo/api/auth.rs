//! Who is asking, and may they: the private key from `Authorization: Klaviyo-API-Key`
//! (401; Cloudflare's HTML 400 for `Bearer` when that switch is on), the `revision` header
//! (400), and the scopes the operation needs (403).

use super::errors::{cloudflare, ApiError};
use super::op::Op;
use crate::klaviyo::{KlaviyoFaults, KLAVIYO_REVISIONS};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// Why the `Authorization` header gives no key.
pub(super) enum BadAuth {
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
pub(super) fn api_key<'a>(
    headers: &'a HeaderMap,
    faults: &KlaviyoFaults,
) -> Result<&'a str, BadAuth> {
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
pub(super) fn check_revision(headers: &HeaderMap) -> Result<(), ApiError> {
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
pub(super) fn check_scopes(op: &Op, scopes: &[String]) -> Result<(), ApiError> {
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
