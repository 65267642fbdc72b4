//! What the SMS consent block shows, and what a submission answers. Built on the server
//! (which alone decides whether to offer the checkbox) and rendered by `ui::consent_block`.

use serde::{Deserialize, Serialize};

/// The consent block for one tracking page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentOffer {
    pub status: OfferStatus,
    /// What a shopper who is not subscribed is shown.
    #[serde(flatten)]
    pub form: OfferForm,
    /// SMS sign-ups go to a built-in provider sandbox.
    pub sandbox: bool,
    /// The list asks the shopper to confirm by replying to a text (double opt-in): the
    /// confirmation says so.
    #[serde(default)]
    pub confirm_by_text: bool,
}

/// Tracklight's checkbox, or the merchant's own form from their SMS provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "form")]
// One per page, built once and moved: the checkbox form's size costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum OfferForm {
    Checkbox(CheckboxForm),
    /// The provider's published sign-up form (Yotpo: `forms.smsbump.com/{user}/form_{id}.js`);
    /// its script renders it and sends the sign-up to the provider itself.
    Provider {
        script_src: String,
    },
}

/// Tracklight's consent form: an unchecked box bound to the required disclosure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckboxForm {
    /// The language of its texts (the form sends it back: the disclosure is checked and
    /// recorded in it).
    pub lang: crate::i18n::Lang,
    /// The merchant's heading, or the default one.
    pub heading: String,
    /// Optional text the merchant adds above the checkbox.
    pub extra: Option<String>,
    /// The required disclosure up to the links: brand, recurring automated marketing texts,
    /// not a condition of purchase, frequency varies, message and data rates may apply,
    /// HELP and STOP.
    pub disclosure: String,
    pub terms_url: String,
    pub privacy_url: String,
    /// SHA-256 (hex) of the whole text as shown; sent back with the form so the server
    /// records exactly what the shopper saw.
    pub disclosure_sha256: String,
    /// The order's phone, masked (`+1*******671`), when the order has one: the shopper may
    /// choose it without anyone holding the link seeing it; the server looks it up.
    pub order_phone: Option<String>,
    /// Default region for the phone (ISO 3166-1 alpha-2): the shipping country.
    pub country: String,
    /// An example mobile number of that country, as its people write it.
    pub phone_example: Option<String>,
    /// A fresh key per rendering: a double click or a resent form makes one consent.
    pub idempotency_key: String,
    /// The loyalty points signing up earns (the store's Yotpo Loyalty reward), when the
    /// shopper can earn them (the order has an email). Not part of the disclosure.
    pub loyalty_points: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OfferStatus {
    /// Not subscribed: show the checkbox (or the provider's form).
    Offer,
    /// Signed up on a tracking page already: a short note, no checkbox.
    SignedUp { phone_masked: String },
    /// Subscribed with the provider by other means: show nothing.
    Subscribed,
    /// The provider did not answer in time; the browser asks again once hydrated.
    Checking,
}

/// The answer to a consent submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscribeOutcome {
    /// The number that was signed up, masked (`+1******671`).
    pub phone_masked: String,
    /// The list asks the shopper to confirm by replying to a text (double opt-in): the
    /// confirmation says so.
    #[serde(default)]
    pub confirm_by_text: bool,
}
