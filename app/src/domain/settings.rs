//! What the merchant settings page shows and what its actions answer.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsView {
    pub brand: String,
    pub accent_color: Option<String>,
    pub logo_url: Option<String>,
    /// The signed-in user's email.
    pub email: String,
    /// Sent back with every change.
    pub csrf: String,
    /// No Yotpo API URL is configured: the built-in sandbox answers.
    pub sandbox: bool,
    pub sms: SmsSettingsView,
    pub api_keys: Vec<ApiKeyView>,
    /// Sites allowed to embed the widget.
    pub allowed_origins: Vec<String>,
    pub guards: GuardsView,
    /// The milestones sent to the provider as events, by name (`domain::milestone`).
    pub milestones: Vec<String>,
    /// The embed loader's URL, for the snippet.
    pub embed_src: String,
    /// The store's public ID (its look-up page's address and the loader's `data-store`).
    pub store: String,
    /// What shoppers type beside the order number to find it.
    pub lookup_proof: crate::domain::LookupProof,
    /// The store's own look-up page, for merchants who do not embed.
    pub lookup_url: String,
    /// Shopify and the carrier-tracking services: each one's webhook address.
    pub ingest: Vec<IngestSourceView>,
    /// The newest webhook deliveries and what became of them.
    pub ingest_recent: Vec<IngestDeliveryView>,
    /// The store's languages.
    pub languages: LanguagesView,
    /// The Yotpo Loyalty connection.
    pub loyalty: LoyaltyView,
}

/// The merchant's Yotpo Loyalty connection and sign-up reward (never the key).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoyaltyView {
    /// Blank: not connected.
    pub guid: String,
    pub has_key: bool,
    /// The custom-action campaign that rewards a sign-up; blank: none.
    pub action: String,
    /// The points the consent block promises for it.
    pub points: Option<i64>,
    /// The custom-action campaign that rewards an approved photo; blank: none.
    pub photo_action: String,
    /// The points the photo form promises for it.
    pub photo_points: Option<i64>,
}

/// The store's languages as the settings page shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LanguagesView {
    /// The default language's tag.
    pub default: String,
    /// Every language Tracklight speaks.
    pub choices: Vec<LanguageChoiceView>,
}

/// One language of the settings page's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LanguageChoiceView {
    /// BCP 47 tag (`pt-BR`).
    pub tag: String,
    /// Its own name ("Português (Brasil)").
    pub name: String,
    /// Shoppers may read the pages in it.
    pub offered: bool,
    /// The store's heading and extra text in it, when it is not the default language.
    pub heading: Option<String>,
    pub extra: Option<String>,
    /// The built-in heading in it (the placeholder).
    pub default_heading: String,
}

/// A source of webhooks (Shopify, EasyPost, AfterShip) as the settings page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestSourceView {
    /// `shopify`, `easypost`, `aftership`.
    pub source: String,
    pub label: String,
    /// The webhook address to give the source, once connected.
    pub url: Option<String>,
    /// Shopify: the Liquid for the shipping notification's tracking link.
    pub snippet: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestDeliveryView {
    /// "2026-11-24 12:00 UTC".
    pub received: String,
    pub source: String,
    pub topic: String,
    /// `queued`, `done`, `failed`.
    pub state: String,
    /// What it did, or why it failed.
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmsSettingsView {
    /// Where new consents go.
    pub provider: crate::domain::ListProvider,
    /// Yotpo: the store ID.
    pub store_id: Option<String>,
    /// Whether a Yotpo API secret is stored (it is never shown again).
    pub has_secret: bool,
    /// Yotpo's list.
    pub list_id: Option<String>,
    pub klaviyo: KlaviyoView,
    pub terms_url: Option<String>,
    pub privacy_url: Option<String>,
    pub heading: Option<String>,
    pub extra: Option<String>,
    /// Everything the consent block needs is set: tracking pages show it.
    pub ready: bool,
    /// The published Yotpo form shown instead of Tracklight's checkbox, if one is chosen.
    pub form_script: Option<String>,
}

/// The merchant's Klaviyo connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KlaviyoView {
    /// The Klaviyo account the stored key belongs to.
    pub account_id: Option<String>,
    /// Whether a private key is stored (it is never shown again).
    pub has_key: bool,
    pub list_id: Option<String>,
    pub double_opt_in: bool,
}

/// The merchant's guards against SMS pumping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuardsView {
    /// Sign-ups an hour before the rest are held for the merchant to release.
    pub hourly_cap: i64,
    /// The countries whose numbers may sign up, as typed (`US, CA`); empty: `ships_to`.
    pub countries: String,
    /// The countries the store's orders ship to (the default).
    pub ships_to: Vec<String>,
}

/// A published sign-up form in the merchant's Yotpo account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignupFormView {
    pub id: String,
    /// The form's script address: what the merchant picks.
    pub script: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyView {
    pub prefix: String,
    pub label: String,
    /// `YYYY-MM-DD`.
    pub created: String,
}

/// The answer of "test connection".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectionReport {
    pub ok: bool,
    pub message: String,
    /// The account's SMS lists, when Yotpo's API offers them.
    pub lists: Option<Vec<SmsListView>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmsListView {
    pub id: String,
    pub name: String,
    /// Shoppers confirm by replying to a text (Klaviyo's double opt-in); `None`: not said.
    pub double_opt_in: Option<bool>,
}

/// A new API key, shown once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewKeyView {
    pub key: String,
    pub prefix: String,
}

/// The consent log page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentLogView {
    pub csrf: String,
    pub counts: SignUpCounts,
    /// How many consents are in each state.
    pub states: Vec<(String, i64)>,
    /// The state shown ("" for all).
    pub filter: String,
    /// Newest first.
    pub rows: Vec<ConsentRowView>,
    /// Shipment milestone events sent to the provider.
    pub events: EventFiguresView,
}

/// The store's milestone events by state, and the newest failures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventFiguresView {
    pub sent: i64,
    pub waiting: i64,
    pub failed: i64,
    /// (time UTC, milestone label, reason), newest first.
    pub recent_failures: Vec<(String, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignUpCounts {
    pub views: i64,
    pub offered: i64,
    pub consents: i64,
    /// Consents per offer, in percent; `None` before the first offer.
    pub rate_percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentRowView {
    pub id: String,
    /// RFC 3339 (UTC), for `<time datetime>`.
    pub iso: String,
    /// "2026-11-24 12:00".
    pub time: String,
    pub phone_masked: String,
    pub page_url: Option<String>,
    /// The provider the consent goes to, as merchants know it ("Klaviyo").
    pub provider: String,
    /// waiting | customer_sent | subscribed | failed
    pub state: String,
    pub reason: Option<String>,
    /// The language the shopper read the disclosure in (BCP 47 tag), and its own name.
    pub language: String,
    pub language_name: String,
    /// What became of its loyalty points, when the store rewards sign-ups.
    pub points: Option<String>,
    /// Yotpo Loyalty did not take them: the merchant may try again.
    pub points_failed: bool,
}
