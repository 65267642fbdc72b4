//! `POST /api/events`: the event, its metric and its profile validated, 202; the state
//! stores it unless it repeats a stored one.

use super::body::{data, object, only, optional_text, profile_attributes};
use super::errors::ApiError;
use super::{accepted, account_mut};
use crate::klaviyo::clock::parse_datetime;
use crate::klaviyo::state::{EventInput, ProfileError};
use crate::klaviyo::KlaviyoSandbox;
use axum::response::Response;
use serde_json::{Map, Value};

/// `POST /api/events`: validated, 202, stored unless it repeats a stored one.
pub(super) fn create_event(
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
