//! A profile as the sandbox stores it (only the attributes that were set, its times, its
//! consent per channel) and as the API shows it: the whole resource, with `subscriptions`
//! when asked for, or a sparse fieldset (`Render`).

use crate::klaviyo::clock::iso;
use crate::klaviyo::phone::Phone;
use serde_json::{json, Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum ConsentStatus {
    #[default]
    NeverSubscribed,
    Subscribed,
    Unsubscribed,
}

impl ConsentStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::NeverSubscribed => "NEVER_SUBSCRIBED",
            Self::Subscribed => "SUBSCRIBED",
            Self::Unsubscribed => "UNSUBSCRIBED",
        }
    }
}

/// One channel's consent on a profile.
#[derive(Debug, Clone, Default)]
pub(super) struct Consent {
    pub(super) status: ConsentStatus,
    pub(super) timestamp: Option<i64>,
    pub(super) method: Option<String>,
    pub(super) method_detail: String,
    pub(super) last_updated: Option<i64>,
}

impl Consent {
    /// Records consent given at `at`; an existing consent is left as it is [fake policy].
    pub(super) fn subscribe(&mut self, at: i64, now: i64, source: Option<&str>) {
        if self.status == ConsentStatus::Subscribed {
            return;
        }
        *self = Self {
            status: ConsentStatus::Subscribed,
            timestamp: Some(at),
            method: Some("API".into()),
            method_detail: source.unwrap_or_default().to_owned(),
            last_updated: Some(now),
        };
    }

    fn render(&self, can_receive_key: &str) -> Value {
        let mut out = Map::new();
        out.insert("consent".into(), self.status.as_str().into());
        out.insert(
            can_receive_key.into(),
            (self.status == ConsentStatus::Subscribed).into(),
        );
        out.insert("consent_timestamp".into(), self.timestamp.map(iso).into());
        out.insert("method".into(), self.method.clone().into());
        out.insert("method_detail".into(), self.method_detail.clone().into());
        out.insert("last_updated".into(), self.last_updated.map(iso).into());
        Value::Object(out)
    }
}

/// Profile attributes that hold text (identifiers first).
pub(in crate::klaviyo) const TEXT_ATTRIBUTES: &[&str] = &[
    "email",
    "phone_number",
    "external_id",
    "anonymous_id",
    "first_name",
    "last_name",
    "organization",
    "locale",
    "title",
    "image",
];

pub(in crate::klaviyo) const LOCATION_FIELDS: &[&str] = &[
    "address1",
    "address2",
    "city",
    "country",
    "region",
    "zip",
    "timezone",
    "ip",
    "latitude",
    "longitude",
];

pub(super) struct Profile {
    pub(super) id: String,
    /// Only what was set: text attributes, `location`, `properties`.
    pub(super) attributes: Map<String, Value>,
    pub(super) created_ms: i64,
    pub(super) updated_ms: i64,
    pub(super) last_event_ms: Option<i64>,
    pub(super) sms: Consent,
    pub(super) sms_transactional: Consent,
    pub(super) email: Consent,
}

impl Profile {
    pub(super) fn new(id: String, now: i64) -> Self {
        Self {
            id,
            attributes: Map::new(),
            created_ms: now,
            updated_ms: now,
            last_event_ms: None,
            sms: Consent::default(),
            sms_transactional: Consent::default(),
            email: Consent::default(),
        }
    }

    pub(super) fn text(&self, key: &str) -> Option<&str> {
        self.attributes.get(key).and_then(Value::as_str)
    }

    pub(super) fn phone(&self) -> Option<Phone> {
        self.text("phone_number").and_then(Phone::parse)
    }

    /// Whether the profile's `field` is `value` (emails compare without case).
    pub(super) fn has(&self, field: &str, value: &str) -> bool {
        match field {
            "id" => self.id == value,
            "email" => self
                .text("email")
                .is_some_and(|e| e.eq_ignore_ascii_case(value)),
            _ => self.text(field) == Some(value),
        }
    }

    /// Sets what `attributes` sets: `null` clears; `location` and `properties` merge key by
    /// key (a `null` inside removes that key; `null` for the whole object clears it).
    pub(super) fn apply(&mut self, attributes: &Map<String, Value>, now: i64) {
        for (key, value) in attributes {
            match (key.as_str(), value) {
                (_, Value::Null) => {
                    self.attributes.remove(key);
                }
                ("location" | "properties", Value::Object(fields)) => {
                    let entry = self
                        .attributes
                        .entry(key.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(existing) = entry {
                        for (k, v) in fields {
                            if v.is_null() {
                                existing.remove(k);
                            } else {
                                existing.insert(k.clone(), v.clone());
                            }
                        }
                    }
                }
                _ => {
                    self.attributes.insert(key.clone(), value.clone());
                }
            }
        }
        self.updated_ms = now;
    }

    pub(super) fn resource(&self, render: &Render) -> Value {
        let mut attributes = Map::new();
        for key in TEXT_ATTRIBUTES.iter().filter(|k| **k != "anonymous_id") {
            attributes.insert(
                (*key).into(),
                self.attributes.get(*key).cloned().unwrap_or(Value::Null),
            );
        }
        attributes.insert("created".into(), iso(self.created_ms).into());
        attributes.insert("updated".into(), iso(self.updated_ms).into());
        attributes.insert("last_event_date".into(), self.last_event_ms.map(iso).into());
        let stored = self.attributes.get("location").and_then(Value::as_object);
        let location: Map<String, Value> = LOCATION_FIELDS
            .iter()
            .map(|k| {
                let v = stored.and_then(|l| l.get(*k)).cloned();
                ((*k).to_owned(), v.unwrap_or(Value::Null))
            })
            .collect();
        attributes.insert("location".into(), Value::Object(location));
        attributes.insert(
            "properties".into(),
            self.attributes
                .get("properties")
                .cloned()
                .unwrap_or_else(|| json!({})),
        );
        if render.subscriptions {
            attributes.insert("subscriptions".into(), self.subscriptions(render.sms_null));
        }
        if let Some(fields) = render.fields {
            attributes.retain(|k, _| fields.iter().any(|f| f == k));
        }
        json!({
            "type": "profile",
            "id": self.id,
            "attributes": attributes,
            "links": {"self": format!("{}/api/profiles/{}/", render.base, self.id)},
        })
    }

    fn subscriptions(&self, sms_null: bool) -> Value {
        let mut email = self.email.render("can_receive_email_marketing");
        if let Value::Object(e) = &mut email {
            e.insert("custom_method_detail".into(), Value::Null);
            e.insert("double_optin".into(), Value::Null);
            e.insert("suppression".into(), json!([]));
            e.insert("list_suppressions".into(), json!([]));
        }
        let sms = if sms_null {
            Value::Null
        } else {
            json!({
                "marketing": self.sms.render("can_receive_sms_marketing"),
                "transactional": self.sms_transactional.render("can_receive_sms_transactional"),
            })
        };
        json!({"email": {"marketing": email}, "sms": sms})
    }
}

/// How a profile resource is shown.
pub(in crate::klaviyo) struct Render<'a> {
    /// `http://host:port`, for `links`.
    pub base: &'a str,
    pub subscriptions: bool,
    pub sms_null: bool,
    /// Sparse fieldset: only these attributes.
    pub fields: Option<&'a [String]>,
}
