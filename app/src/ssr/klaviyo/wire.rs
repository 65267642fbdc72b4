//! The JSON:API shapes of the Klaviyo endpoints Tracklight uses (klaviyo-api.md §§4-7), and
//! nothing else. Unknown fields are ignored; every nullable parent is an `Option`.

use serde::Deserialize;
use serde_json::{json, Value};

/// A collection answer: `{"data": [...], "links": {"next": ...}}`.
#[derive(Debug, Deserialize)]
pub struct Collection<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub links: Option<Links>,
}

#[derive(Debug, Deserialize)]
pub struct Links {
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Resource<A> {
    pub id: String,
    pub attributes: A,
}

#[derive(Debug, Default, Deserialize)]
pub struct ProfileAttributes {
    #[serde(default)]
    pub phone_number: Option<String>,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub subscriptions: Option<Subscriptions>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Subscriptions {
    #[serde(default)]
    pub sms: Option<SmsSubscriptions>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SmsSubscriptions {
    #[serde(default)]
    pub marketing: Option<SmsMarketing>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SmsMarketing {
    /// `SUBSCRIBED`, `NEVER_SUBSCRIBED`, `UNSUBSCRIBED`; free text in the spec, so anything
    /// else reads as not subscribed.
    #[serde(default)]
    pub consent: Option<String>,
    #[serde(default)]
    pub can_receive_sms_marketing: Option<bool>,
    #[serde(default)]
    pub consent_timestamp: Option<String>,
    #[serde(default)]
    pub last_updated: Option<String>,
}

impl ProfileAttributes {
    pub fn sms_marketing(&self) -> Option<&SmsMarketing> {
        self.subscriptions
            .as_ref()?
            .sms
            .as_ref()?
            .marketing
            .as_ref()
    }

    /// Klaviyo says SMS marketing is consented and can be sent now.
    pub fn sms_subscribed(&self) -> bool {
        self.sms_marketing().is_some_and(|m| {
            m.consent.as_deref() == Some("SUBSCRIBED") && m.can_receive_sms_marketing == Some(true)
        })
    }
}

#[derive(Debug, Deserialize)]
pub struct ListAttributes {
    pub name: String,
    /// `double_opt_in`, `single_opt_in`, or null.
    #[serde(default)]
    pub opt_in_process: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct AccountAttributes {}

/// `POST /api/profile-import`: create or update the profile. Absent fields stay as they are
/// at Klaviyo (a `null` would clear them), so only what is known is sent.
pub fn profile_import(
    external_id: &str,
    email: Option<&str>,
    phone: Option<&str>,
    first_name: Option<&str>,
    last_name: Option<&str>,
    country: Option<&str>,
    city: Option<&str>,
) -> Value {
    let mut attributes = json!({
        "external_id": external_id,
        "properties": {"tracklight_source": "tracking_page"},
    });
    for (key, value) in [
        ("email", email),
        ("phone_number", phone),
        ("first_name", first_name),
        ("last_name", last_name),
    ] {
        if let Some(value) = value {
            attributes[key] = Value::from(value);
        }
    }
    let mut location = serde_json::Map::new();
    for (key, value) in [("country", country), ("city", city)] {
        if let Some(value) = value {
            location.insert(key.into(), Value::from(value));
        }
    }
    if !location.is_empty() {
        attributes["location"] = Value::Object(location);
    }
    json!({"data": {"type": "profile", "attributes": attributes}})
}

/// `POST /api/profile-subscription-bulk-create-jobs`: one profile, SMS marketing consent
/// from a live checkbox (no `consented_at`, no `historical_import`), to the merchant's list.
pub fn subscribe(phone: &str, email: Option<&str>, list_id: &str, custom_source: &str) -> Value {
    let mut attributes = json!({
        "phone_number": phone,
        "subscriptions": {"sms": {"marketing": {"consent": "SUBSCRIBED"}}},
    });
    if let Some(email) = email {
        attributes["email"] = Value::from(email);
    }
    json!({"data": {
        "type": "profile-subscription-bulk-create-job",
        "attributes": {
            "custom_source": custom_source,
            "profiles": {"data": [{"type": "profile", "attributes": attributes}]},
        },
        "relationships": {"list": {"data": {"type": "list", "id": list_id}}},
    }})
}

/// `POST /api/events`: the milestone as an event of its metric on the shopper's profile,
/// identified by external ID and email too (an event identified only by phone has been
/// reported dropped). `unique_id` makes a replay a no-op at Klaviyo.
pub fn event(
    metric: &str,
    unique_id: &str,
    time_rfc3339: &str,
    properties: &[(&str, String)],
    external_id: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> Value {
    let mut profile = json!({"external_id": external_id});
    for (key, value) in [("email", email), ("phone_number", phone)] {
        if let Some(value) = value {
            profile[key] = Value::from(value);
        }
    }
    let properties: serde_json::Map<String, Value> = properties
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::from(v.as_str())))
        .collect();
    json!({"data": {"type": "event", "attributes": {
        "properties": properties,
        "time": time_rfc3339,
        "unique_id": unique_id,
        "metric": {"data": {"type": "metric", "attributes": {"name": metric}}},
        "profile": {"data": {"type": "profile", "attributes": profile}},
    }}})
}

/// The `detail` (else `title`, else `code`) of a JSON:API error body, and its `code` and
/// `meta.duplicate_profile_id`.
pub struct ErrorBody {
    pub code: Option<String>,
    pub detail: Option<String>,
    pub duplicate_profile_id: Option<String>,
}

pub fn error_body(body: &[u8]) -> ErrorBody {
    let first = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("errors")?.get(0).cloned());
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    match first {
        Some(e) => ErrorBody {
            code: text(&e, "code"),
            detail: text(&e, "detail")
                .or_else(|| text(&e, "title"))
                .or_else(|| text(&e, "code")),
            duplicate_profile_id: e.get("meta").and_then(|m| text(m, "duplicate_profile_id")),
        },
        None => ErrorBody {
            code: None,
            detail: None,
            duplicate_profile_id: None,
        },
    }
}

/// A filter value in double quotes (`equals(external_id,"c-1")`).
pub fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}
