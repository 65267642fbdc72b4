//! The boundary between Tracklight and an SMS list provider (Yotpo SMS & Email, Klaviyo).
//!
//! The consent block, the job queue and the settings page talk to an [`SmsListProvider`] in
//! the provider-neutral terms of this module: look up a shopper's SMS consent, send the
//! shopper's details, subscribe a phone to a list, list the account's lists. Adding another
//! provider means one more implementation of the trait and one more [`ListProvider`];
//! nothing that calls it changes. This module must not know any provider's URLs or JSON.

use crate::domain::inputs::{Email, PersonName, PhoneE164};
pub use crate::domain::ListProvider;
use crate::domain::Milestone;
use secrecy::SecretString;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

pub type ProviderFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<T, ProviderError>> + Send + 'a>>;

/// What Tracklight needs from an SMS list provider.
pub trait SmsListProvider: Send + Sync + 'static {
    /// Which provider this is.
    fn kind(&self) -> ListProvider;

    /// Checks the account's credentials against the provider ("test connection").
    fn check_account<'a>(&'a self, account: &'a Account) -> ProviderFuture<'a, ()>;

    /// Whether the provider keeps SMS marketing consent for numbers of this country
    /// (ISO 3166-1 alpha-2); a sign-up from elsewhere would be lost there.
    fn keeps_sms_consent_in(&self, _country: &str) -> bool {
        true
    }

    /// The account a secret belongs to, for providers whose key alone names the account
    /// (Klaviyo); `None` where the merchant names the account (Yotpo's store ID).
    fn account_of_key<'a>(
        &'a self,
        _secret: &'a SecretString,
    ) -> ProviderFuture<'a, Option<AccountId>> {
        Box::pin(async { Ok(None) })
    }

    /// The SMS marketing consent of the customer with this ecommerce customer ID.
    fn sms_consent<'a>(
        &'a self,
        account: &'a Account,
        customer_id: &'a str,
    ) -> ProviderFuture<'a, SmsConsent>;

    /// Creates or updates the customer's profile (step 1 of a consent).
    fn upsert_contact<'a>(
        &'a self,
        account: &'a Account,
        contact: &'a Contact,
    ) -> ProviderFuture<'a, ()>;

    /// Subscribes a phone to a list with SMS consent (step 2 of a consent).
    fn subscribe<'a>(&'a self, account: &'a Account, opt_in: &'a OptIn) -> ProviderFuture<'a, ()>;

    /// The phone's SMS marketing consent at the provider now, when the provider can tell
    /// (`None` when it cannot). Asked before an opt-in is sent again after an attempt whose
    /// outcome is unknown (a time-out, a reset connection, a worker that died mid-call), so
    /// a replay never sends it twice when it arrived, and never re-subscribes a shopper who
    /// texted STOP since.
    fn phone_consent<'a>(
        &'a self,
        account: &'a Account,
        opt_in: &'a OptIn,
    ) -> ProviderFuture<'a, Option<PhoneConsent>>;

    /// The account's SMS lists, or `None` when the provider's API does not offer them
    /// (the merchant then types the list ID).
    fn lists<'a>(&'a self, account: &'a Account) -> ProviderFuture<'a, Option<Vec<SmsList>>>;

    /// The account's published sign-up forms (the provider's own alternative to Tracklight's
    /// checkbox), or `None` when the provider's API does not list them.
    fn signup_forms<'a>(
        &'a self,
        account: &'a Account,
    ) -> ProviderFuture<'a, Option<Vec<SignupForm>>>;

    /// Sends a shipment milestone as an event on the shopper's profile (Yotpo: a custom
    /// customer event; Klaviyo: Create Event). Safe to send again: the provider keeps one
    /// event per [`MilestoneEvent::unique_id`].
    fn send_event<'a>(
        &'a self,
        account: &'a Account,
        event: &'a MilestoneEvent,
    ) -> ProviderFuture<'a, ()>;

    /// Reads what a merchant pasted to name a sign-up form (the script's address, or the
    /// whole embed snippet) into the script to load; the error says what is wrong.
    fn form_script(&self, input: &str) -> Result<FormScript, String>;
}

/// A merchant's account at the provider: its ID (Yotpo: the store ID, also called app key)
/// and API secret.
#[derive(Clone)]
pub struct Account {
    pub id: AccountId,
    pub secret: SecretString,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("secret", &"[redacted]")
            .finish()
    }
}

/// A provider account ID. It becomes part of request paths, so only URL-safe characters pass.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(String);

impl AccountId {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        if s.is_empty() || s.len() > 64 {
            return Err("must be 1 to 64 characters".into());
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err("may contain only letters, digits, - and _".into());
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The ID of an SMS list at its provider (Yotpo: a number; Klaviyo: letters and digits such
/// as `Y6nRLr`). Sent in request bodies and paths, so only URL-safe characters pass.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ListId(String);

impl ListId {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        if s.is_empty() || s.len() > 64 {
            return Err("must be 1 to 64 characters".into());
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err("may contain only letters, digits, - and _".into());
        }
        Ok(Self(s.to_owned()))
    }

    /// A list ID that must be a whole number greater than 0 (Yotpo's).
    pub fn parse_number(input: &str) -> Result<Self, String> {
        match input.trim().parse::<u64>() {
            Ok(n) if (1..=i64::MAX as u64).contains(&n) => Ok(Self(n.to_string())),
            _ => Err("must be a whole number greater than 0".into()),
        }
    }

    /// The ID as a number, for providers whose list IDs are numbers.
    pub fn number(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<u64> for ListId {
    fn from(id: u64) -> Self {
        Self(id.to_string())
    }
}

impl fmt::Display for ListId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a subscription came from, as the provider records it (3 to 40 characters of
/// lower-case letters, digits and `_`), e.g. `tracking_page`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source(String);

impl Source {
    pub fn parse(input: &str) -> Result<Self, String> {
        let ok_chars = input
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !(3..=40).contains(&input.len()) || !ok_chars {
            return Err("must be 3 to 40 characters of a-z, 0-9 and _".into());
        }
        Ok(Self(input.to_owned()))
    }

    pub fn tracking_page() -> Self {
        Self("tracking_page".into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The shopper's details sent with step 1. `Debug` masks the personal data.
#[derive(Clone)]
pub struct Contact {
    /// The ecommerce platform's customer ID: the provider's merge key.
    pub customer_id: String,
    pub first_name: Option<PersonName>,
    pub last_name: Option<PersonName>,
    pub email: Option<Email>,
    pub phone: Option<PhoneE164>,
    /// Where the order ships: the ISO country code and the city, when known.
    pub country: Option<String>,
    pub city: Option<String>,
}

/// A subscription with SMS consent (step 2). `Debug` masks the personal data.
#[derive(Clone)]
pub struct OptIn {
    pub phone: PhoneE164,
    pub list_id: ListId,
    pub source: Source,
    pub email: Option<Email>,
    pub first_name: Option<PersonName>,
    pub last_name: Option<PersonName>,
}

fn masked_name(name: &Option<PersonName>) -> &'static str {
    if name.is_some() {
        "[name]"
    } else {
        "-"
    }
}

impl fmt::Debug for Contact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Contact")
            .field("customer_id", &self.customer_id)
            .field("first_name", &masked_name(&self.first_name))
            .field("last_name", &masked_name(&self.last_name))
            .field("email", &self.email)
            .field("phone", &self.phone)
            .field("country", &self.country)
            .field("city", &self.city.as_ref().map(|_| "[city]"))
            .finish()
    }
}

impl fmt::Debug for OptIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OptIn")
            .field("phone", &self.phone)
            .field("list_id", &self.list_id)
            .field("source", &self.source)
            .field("email", &self.email)
            .field("first_name", &masked_name(&self.first_name))
            .field("last_name", &masked_name(&self.last_name))
            .finish()
    }
}

/// A shipment milestone for the shopper's profile. `Debug` masks the personal data.
#[derive(Clone)]
pub struct MilestoneEvent {
    pub milestone: Milestone,
    /// What the provider deduplicates on: the shipment, the status and when it happened.
    pub unique_id: String,
    /// When it happened (Unix ms): the checkpoint's time, else when Tracklight learnt of it.
    pub occurred_at_ms: i64,
    /// Who it is about: the ecommerce customer ID and what else the order says.
    pub customer: Contact,
    /// The catalogue's properties (`domain::milestone::EVENT_PROPERTIES`), absent ones left
    /// out; every value is a string.
    pub properties: Vec<(&'static str, String)>,
}

impl fmt::Debug for MilestoneEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MilestoneEvent")
            .field("milestone", &self.milestone)
            .field("unique_id", &self.unique_id)
            .field("occurred_at_ms", &self.occurred_at_ms)
            .field("customer", &self.customer)
            .field("properties", &self.properties.len())
            .finish()
    }
}

/// What the provider says about a customer's SMS marketing consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsConsent {
    Subscribed,
    /// Known to the provider without SMS consent, or not known at all.
    NotSubscribed,
}

/// A phone's SMS marketing consent as the provider holds it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneConsent {
    pub subscribed: bool,
    /// The shopper withdrew (texted STOP or unsubscribed), as far as the provider can tell.
    pub unsubscribed: bool,
    /// When the consent last changed (Unix ms), when the provider says.
    pub changed_at_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsList {
    pub id: ListId,
    pub name: String,
    /// The shopper must confirm by replying to a text before they are subscribed; `None`
    /// when the provider does not say.
    pub double_opt_in: Option<bool>,
}

/// A provider's sign-up form, shown on the tracking page in place of Tracklight's checkbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignupForm {
    pub id: String,
    pub script: FormScript,
}

/// The address of a provider's sign-up form script, checked by the provider
/// ([`SmsListProvider::form_script`]) to be one of its own forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormScript(String);

impl FormScript {
    /// Only for providers, which check the address first, and for addresses stored after
    /// such a check.
    pub fn checked(url: String) -> Self {
        Self(url)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a provider call failed, in the terms the queue needs: try again (maybe after a
/// given wait) or give up, and a reason a merchant can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct ProviderError {
    pub kind: ProviderErrorKind,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderErrorKind {
    /// Worth retrying; `after` is the wait the provider asked for, if it said. `unapplied`:
    /// the call certainly did nothing (the provider answered 429, or it was never sent), so
    /// a write may be sent again as it is; otherwise (a time-out, a cut connection, a 5xx,
    /// even a 503, which a gateway may give after passing the request on) it may have
    /// landed.
    Retryable {
        after: Option<Duration>,
        unapplied: bool,
    },
    /// The account's credentials were refused: retrying will not help until they change.
    BadCredentials,
    /// The request itself was refused: retrying will not help.
    Permanent,
}

impl ProviderError {
    pub fn is_retryable(&self) -> bool {
        matches!(self.kind, ProviderErrorKind::Retryable { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids() {
        assert_eq!(
            AccountId::parse(" abc_DEF-123 ").unwrap().as_str(),
            "abc_DEF-123"
        );
        for bad in ["", "a/b", "a b", "../x", "é", &"x".repeat(65)] {
            assert!(AccountId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn list_ids() {
        assert_eq!(ListId::parse(" Y6nRLr ").unwrap().as_str(), "Y6nRLr");
        assert_eq!(ListId::parse("4096107").unwrap().number(), Some(4096107));
        for bad in ["", "a/b", "a b", "../x", &"x".repeat(65)] {
            assert!(ListId::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            ListId::parse_number(" 4096107 ").unwrap().as_str(),
            "4096107"
        );
        for bad in ["", "0", "-1", "1.5", "abc", "99999999999999999999"] {
            assert!(ListId::parse_number(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sources() {
        assert!(Source::parse("tracking_page").is_ok());
        for bad in ["ab", "Tracking", "a-b-c", &"a".repeat(41)] {
            assert!(Source::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn account_debug_hides_the_secret() {
        let account = Account {
            id: AccountId::parse("store1").unwrap(),
            secret: SecretString::from("hunter2"),
        };
        assert!(!format!("{account:?}").contains("hunter2"));
    }
}
