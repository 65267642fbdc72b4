//! The JSON Yotpo documents, as typed structs: requests Tracklight sends, responses it reads.
//! Field names follow `yotpo-api.md`; where the document marks a name UNCONFIRMED, the
//! comment says so and the field lives in exactly one place here.

use crate::domain::mask;
use serde::{Deserialize, Serialize};
use std::fmt;

/// `POST .../access_tokens` body.
#[derive(Serialize)]
pub struct TokenRequest<'a> {
    pub secret: &'a str,
}

#[derive(Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
}

/// `PATCH .../customers` body: `{"customer": {...}}`, keyed by `external_id`.
#[derive(Serialize, Deserialize, Debug)]
pub struct CustomerEnvelope<T> {
    pub customer: T,
}

/// Create or update customer. `None` fields are left out ("to skip a parameter, leave it
/// out"). `phone_number` is deprecated on this endpoint yet still sent by Yotpo's own
/// extensions; Yotpo may ignore it.
#[derive(Serialize, Default)]
pub struct CustomerUpsert<'a> {
    pub external_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepts_sms_marketing: Option<bool>,
}

/// Create or update custom customer event (yotpo-api.md §8). The envelope and every key
/// but `source` and `customer` are UNCONFIRMED: they live here only.
#[derive(Serialize)]
pub struct CustomEventEnvelope<'a> {
    pub custom_event: CustomEvent<'a>,
}

#[derive(Serialize)]
pub struct CustomEvent<'a> {
    /// Unique per event; an existing ID replaces the stored event (an idempotent upsert).
    pub id: &'a str,
    /// snake_case, e.g. `shipment_delivered`.
    pub event_name: String,
    /// snake_case name of the sending app.
    pub source: &'static str,
    /// ISO 8601.
    pub occurred_at: String,
    pub customer: EventCustomer<'a>,
    /// String keys to primitive values, no nulls.
    pub properties: std::collections::BTreeMap<&'a str, &'a str>,
}

/// The customer an event is about: `external_id` (with it, email and phone may both go).
#[derive(Serialize)]
pub struct EventCustomer<'a> {
    pub external_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<&'a str>,
}

/// `GET .../customers` answer.
#[derive(Deserialize, Debug)]
pub struct CustomersPage {
    pub customers: Vec<Customer>,
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

#[derive(Deserialize, Debug, Default)]
pub struct Pagination {
    pub next_page_info: Option<String>,
}

/// A customer as Retrieve customers returns it (the fields Tracklight reads; others are
/// ignored). `Debug` masks the personal data.
#[derive(Deserialize, Clone, PartialEq, Eq)]
pub struct Customer {
    pub external_id: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// The customer chose to accept SMS marketing (`null` when never asked).
    pub accepts_sms_marketing: Option<bool>,
    pub accepts_email_marketing: Option<bool>,
}

impl fmt::Debug for Customer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Customer")
            .field("external_id", &self.external_id)
            .field("email", &self.email.as_deref().map(mask::email))
            .field(
                "phone_number",
                &self.phone_number.as_deref().map(mask::phone),
            )
            .field("accepts_sms_marketing", &self.accepts_sms_marketing)
            .field("accepts_email_marketing", &self.accepts_email_marketing)
            .finish_non_exhaustive()
    }
}

/// `POST .../subscribers` body: `{"subscriber": {...}}`.
#[derive(Serialize)]
pub struct SubscriberEnvelope<'a> {
    pub subscriber: SubscriberUpsert<'a>,
}

#[derive(Serialize)]
pub struct SubscriberUpsert<'a> {
    /// E.164, at most 15 characters.
    pub phone: &'a str,
    pub list_id: u64,
    /// 3–40 characters.
    pub source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<&'a str>,
    /// The SMS consent. Yotpo documents a "Channels" section with an SMS `consent` of
    /// `subscribed`/`unsubscribed`; the exact nesting `channels.sms.consent` is UNCONFIRMED.
    pub channels: Channels<'a>,
}

#[derive(Serialize)]
pub struct Channels<'a> {
    pub sms: ChannelConsent<'a>,
}

#[derive(Serialize)]
pub struct ChannelConsent<'a> {
    pub consent: &'a str,
}

/// The answer of the lists endpoint (path and shape UNCONFIRMED).
#[derive(Deserialize, Debug)]
pub struct ListsPage {
    pub lists: Vec<ListEntry>,
}

#[derive(Deserialize, Debug)]
pub struct ListEntry {
    pub id: u64,
    pub name: String,
}

/// `GET .../subscription-forms?status=published` answer.
#[derive(Deserialize, Debug)]
pub struct FormsPage {
    pub forms: Vec<SignupForm>,
}

/// A published Yotpo SMS sign-up form and the script that renders it.
#[derive(Deserialize, Serialize, Debug, Clone, PartialEq, Eq)]
pub struct SignupForm {
    pub form_id: serde_json::Value,
    pub script_source: String,
}
