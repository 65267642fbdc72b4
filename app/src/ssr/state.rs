//! The one application state, shared by the axum router, the REST API and (through Leptos
//! context) the server functions.

use super::consent::lookup::SubscriptionLookup;
use super::consent::settings::SettingsCache;
use super::consent::ConsentConfig;
use super::limits::Limits;
use super::page_stats::PageStats;
use super::secrets::SecretBox;
use super::sms::{AccountId, ListId, ListProvider, SmsListProvider};
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
    /// Where SMS consents go: each provider's client (real, or the built-in sandboxes).
    pub providers: Providers,
    /// Yotpo Loyalty & Referrals: points for sign-ups.
    pub loyalty: Arc<crate::ssr::yotpo::LoyaltyClient>,
    /// Yotpo Reviews: approved shopper photos and videos imported.
    pub reviews: Arc<crate::ssr::yotpo::ReviewsClient>,
    /// Shoppers' photos and videos: where they are stored, the limits.
    pub media: crate::ssr::media::Media,
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
    /// Wakes the webhook inbox (`ingest::inbox`) when a delivery is stored.
    #[from_ref(skip)]
    pub ingest_wake: Arc<Notify>,
}

/// One client per SMS list provider, shared by every merchant.
#[derive(Clone)]
pub struct Providers {
    pub yotpo: Arc<dyn SmsListProvider>,
    pub klaviyo: Arc<dyn SmsListProvider>,
}

impl Providers {
    /// The same client for every provider (tests with a scripted provider).
    pub fn all(provider: Arc<dyn SmsListProvider>) -> Self {
        Self {
            yotpo: provider.clone(),
            klaviyo: provider,
        }
    }

    pub fn get(&self, provider: ListProvider) -> &Arc<dyn SmsListProvider> {
        match provider {
            ListProvider::Yotpo => &self.yotpo,
            ListProvider::Klaviyo => &self.klaviyo,
        }
    }
}

/// Whether SMS sign-ups reach a real provider. In sandbox mode the UI says so.
#[derive(Clone)]
pub enum SmsMode {
    /// At least one provider is a built-in sandbox (at these URLs): no texts are ever sent
    /// to it.
    Sandbox {
        urls: Vec<(ListProvider, String)>,
        /// Creates accounts in them, for merchants who try Tracklight out.
        accounts: Arc<dyn SandboxAccounts>,
    },
    Live,
}

impl std::fmt::Debug for SmsMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sandbox { urls, .. } => f.debug_struct("Sandbox").field("urls", urls).finish(),
            Self::Live => f.write_str("Live"),
        }
    }
}

/// The built-in provider sandbox, as the settings page's "use the sandbox" needs it: the
/// server, which runs the sandbox in-process, implements it (no HTTP round trip, no admin
/// API to keep in step).
pub trait SandboxAccounts: Send + Sync + 'static {
    /// Creates (or replaces) a Yotpo store with this ID and secret, with a list for
    /// tracking page subscribers and a published sign-up form; returns that list (`None`:
    /// Yotpo is not a sandbox here).
    fn create(&self, id: &AccountId, secret: &str) -> Option<ListId>;

    /// Creates (or replaces) a Klaviyo account with this ID and private key, with a single
    /// opt-in list for tracking page subscribers; returns that list (`None`: Klaviyo is not
    /// a sandbox here).
    fn create_klaviyo(&self, id: &AccountId, key: &str) -> Option<ListId>;
}

impl SmsMode {
    pub fn is_sandbox(&self) -> bool {
        matches!(self, Self::Sandbox { .. })
    }

    /// Sign-ups to `provider` go to its built-in sandbox (no texts are sent; the UI says so).
    pub fn is_sandbox_for(&self, provider: ListProvider) -> bool {
        matches!(self, Self::Sandbox { urls, .. } if urls.iter().any(|(p, _)| *p == provider))
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
