//! The one application state, shared by the axum router, the REST API and (through Leptos
//! context) the server functions.

use super::consent::lookup::SubscriptionLookup;
use super::consent::settings::SettingsCache;
use super::consent::ConsentConfig;
use super::limits::Limits;
use super::page_stats::PageStats;
use super::secrets::SecretBox;
use super::sms::{AccountId, ListId, SmsListProvider};
use super::{Clock, Db};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;
use tokio::sync::Notify;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub public_url: PublicUrl,
    /// Where SMS consents go (Yotpo, or the built-in Yotpo sandbox).
    pub sms: Arc<dyn SmsListProvider>,
    pub sms_mode: SmsMode,
    /// Encrypts merchants' provider secrets at rest.
    pub secrets: SecretBox,
    /// Cached, coalesced "already subscribed?" answers.
    pub lookup: SubscriptionLookup,
    /// Merchants' consent settings for page renders, briefly cached.
    pub consent_settings: SettingsCache,
    /// Rate limits (counted in the database, across instances).
    pub limits: Limits,
    /// Anyone may create a merchant account (`TRACKLIGHT_PUBLIC_SIGNUP`).
    pub public_signup: bool,
    pub consent: ConsentConfig,
    /// Tracking page views and offers, counted in memory and flushed now and then.
    pub stats: Arc<PageStats>,
    /// Wakes the job worker when new work is queued.
    pub jobs_wake: Arc<Notify>,
}

/// Whether SMS sign-ups reach a real provider. In sandbox mode the UI says so.
#[derive(Clone)]
pub enum SmsMode {
    /// The built-in Yotpo sandbox, at this URL: no texts are ever sent.
    Sandbox {
        url: String,
        /// Creates accounts in it, for merchants who try Tracklight out.
        accounts: Arc<dyn SandboxAccounts>,
    },
    Live,
}

impl std::fmt::Debug for SmsMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sandbox { url, .. } => f.debug_struct("Sandbox").field("url", url).finish(),
            Self::Live => f.write_str("Live"),
        }
    }
}

/// The built-in provider sandbox, as the settings page's "use the sandbox" needs it: the
/// server, which runs the sandbox in-process, implements it (no HTTP round trip, no admin
/// API to keep in step).
pub trait SandboxAccounts: Send + Sync + 'static {
    /// Creates (or replaces) an account with this ID and secret, with a list for tracking
    /// page subscribers and a published sign-up form; returns that list.
    fn create(&self, id: &AccountId, secret: &str) -> ListId;
}

impl SmsMode {
    pub fn is_sandbox(&self) -> bool {
        matches!(self, Self::Sandbox { .. })
    }
}

/// The externally visible base URL (scheme, host, optional port, no trailing slash), used to
/// build shopper links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim().trim_end_matches('/');
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| "must start with http:// or https://".to_owned())?;
        if rest.is_empty() || rest.contains(['?', '#', ' ']) {
            return Err("must be a base URL such as https://track.example.com".into());
        }
        Ok(Self(s.to_owned()))
    }

    pub fn tracking_url(&self, token: &crate::domain::TrackingToken) -> String {
        format!("{}/t/{}", self.0, token)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::PublicUrl;

    #[test]
    fn public_urls() {
        assert_eq!(
            PublicUrl::parse("https://t.example.com/").unwrap().as_str(),
            "https://t.example.com"
        );
        for bad in ["", "t.example.com", "ftp://x", "https://", "https://a b"] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad:?}");
        }
    }
}
