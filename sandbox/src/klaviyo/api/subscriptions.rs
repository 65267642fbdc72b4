//! `POST /api/profile-subscription-bulk-create-jobs`: every profile and channel validated
//! now (pointers to the culprit), the list named checked, then 202 and a job queued; what
//! the job does later lives in the state's `subscriptions`.

use super::body::{data, is_email, object, only, optional_text, PHONE_FORMAT};
use super::errors::ApiError;
use super::{accepted, account};
use crate::klaviyo::clock::{is_date, parse_datetime};
use crate::klaviyo::phone::Phone;
use crate::klaviyo::state::{Channel, Job, JobProfile};
use crate::klaviyo::KlaviyoSandbox;
use axum::http::HeaderValue;
use axum::response::Response;
use serde_json::{Map, Value};

/// `POST /api/profile-subscription-bulk-create-jobs`: validated now, 202, applied later.
pub(super) fn subscribe(
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
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn subscribe_profiles_are_validated_with_pointers() {
        let now = parse_datetime("2026-08-01T00:00:00Z").unwrap();
        let at = "/data/attributes/profiles/data/0";
        let pointer = |value: Value, historical: bool, sms: bool| -> String {
            match job_profile(&value, at, historical, now, sms) {
                Ok(_) => "ok".into(),
                Err(e) => e.source().unwrap()["pointer"].as_str().unwrap().to_owned(),
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
