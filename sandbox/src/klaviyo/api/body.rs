//! A POST's body: the media type (415), the size, the JSON (400 `parse_error`); then the
//! checks its JSON:API members get, each error pointing at its culprit: `data` and its
//! type, required objects, unknown members, text, emails, a profile's attributes.

use super::errors::ApiError;
use super::JSON_API;
use crate::klaviyo::phone::Phone;
use crate::klaviyo::state::{LOCATION_FIELDS, TEXT_ATTRIBUTES};
use axum::body::Bytes;
use axum::http::{header, HeaderMap, StatusCode};
use serde_json::{Map, Value};

pub(super) const PHONE_FORMAT: &str =
    "Invalid phone number format (Example of a valid format: +12345678901)";

/// A POST body: JSON:API media type (plain JSON accepted [fake policy]), size, JSON.
pub(super) fn json_body(
    headers: &HeaderMap,
    bytes: &Bytes,
    limit: usize,
) -> Result<Value, ApiError> {
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
/// `data` of a JSON:API document, of type `kind`.
pub(super) fn data<'a>(body: &'a Value, kind: &str) -> Result<&'a Map<String, Value>, ApiError> {
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

pub(super) fn object<'a>(
    value: Option<&'a Value>,
    pointer: &str,
) -> Result<&'a Map<String, Value>, ApiError> {
    value.and_then(Value::as_object).ok_or_else(|| {
        let name = pointer.rsplit('/').next().unwrap_or(pointer);
        ApiError::invalid(
            pointer,
            format!("'{name}' is required and must be an object."),
        )
    })
}

/// Refuses members not in `allowed`.
pub(super) fn only(
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

pub(super) fn optional_text<'a>(
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

pub(super) fn is_email(s: &str) -> bool {
    matches!(s.split_once('@'), Some((local, domain))
        if !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
            && !domain.ends_with('.') && !s.contains(char::is_whitespace))
}

/// A profile's attributes, checked: known names, text or `null`, a valid email and an
/// E.164 phone, `location` and `properties` objects. `null` is kept (it clears).
pub(super) fn profile_attributes(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["a@b.co", "ana.lee+x@example.com"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["", "a", "a@b", "@b.com", "a b@c.com", "a@.com", "a@b."] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
