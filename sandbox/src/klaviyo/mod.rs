//! The Klaviyo sandbox: a local stand-in for the parts of Klaviyo's server API Tracklight
//! uses, built to the contract in `klaviyo-api.md` section 14: `/api/...` paths with
//! `Authorization: Klaviyo-API-Key`, the `revision` header, JSON:API bodies and error
//! bodies, key scopes, per-account and per-endpoint rate limits (1 s and 60 s fixed windows,
//! `RateLimit-*` and `Retry-After`), profiles with SMS consent, subscribe jobs applied
//! after their 202, double opt-in by confirmation text, and deduplicated events.
//!
//! Where Klaviyo's behaviour is unconfirmed the sandbox's choice is marked **[fake policy]**
//! in the code. Its clock is the real time plus an offset tests move ([`KlaviyoSandbox::advance`]),
//! so rate windows and subscribe delays never make a test sleep. It runs in-process
//! ([`spawn_klaviyo`], or merged into another router with [`KlaviyoSandbox::router`]); its
//! control API lives under `/sandbox/klaviyo/`.
//!
//! - `state/`: the sandbox's memory behind one lock: `spec` (how an account is set up),
//!   `faults`, `account`, `profile`, `lists`, `subscriptions` (jobs, double opt-in, the
//!   outbox, STOP), `events`, `limits` (rate windows), `request_log`, `ids`.
//! - `api/`: the `/api/...` endpoints: the gate every request passes (`mod.rs`), `op`,
//!   `auth`, `errors`, `request` (query parameters), `body` (JSON:API bodies), and one file
//!   per endpoint family: `profiles`, `subscriptions`, `events`, `lists` (and accounts).
//! - `query`: query strings, `filter` expressions, cursors, the log's masked filters.
//! - `phone`: E.164 numbers and the country they dial.
//! - `clock`: the sandbox's time and Klaviyo's datetime text.
//! - `control`: `/sandbox/klaviyo/...`, to set it up and look inside over HTTP.

mod api;
mod clock;
mod control;
mod phone;
mod query;
mod state;

pub use state::{
    KlaviyoAccountSpec, KlaviyoFaults, KlaviyoFaultsPatch, KlaviyoKeySpec, KlaviyoLimits,
    KlaviyoListSpec,
};

use crate::Recorded;
use axum::Router;
use serde_json::Value;
use state::Inner;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// How the sandbox starts: its accounts and fault switches.
#[derive(Debug, Clone)]
pub struct KlaviyoConfig {
    pub accounts: Vec<KlaviyoAccountSpec>,
    pub faults: KlaviyoFaults,
    /// How many requests the log keeps (the newest); older ones are counted, not kept.
    pub log_capacity: usize,
}

impl Default for KlaviyoConfig {
    fn default() -> Self {
        Self {
            accounts: Vec::new(),
            faults: KlaviyoFaults::default(),
            log_capacity: 10_000,
        }
    }
}

/// A Klaviyo sandbox shared by its HTTP handlers and whoever started it in-process.
#[derive(Clone)]
pub struct KlaviyoSandbox(Arc<Inner>);

impl KlaviyoSandbox {
    pub fn new(config: KlaviyoConfig) -> Self {
        let sandbox = Self(Arc::new(Inner::new(config.faults, config.log_capacity)));
        for account in config.accounts {
            sandbox.add_account(account);
        }
        sandbox
    }

    /// `/api/...` and `/sandbox/klaviyo/...` (no route the Yotpo sandbox uses).
    pub fn router(&self) -> Router {
        api::router(self.clone()).merge(control::router(self.clone()))
    }

    /// Adds an account, or replaces its spec (keys, lists, countries) keeping its profiles,
    /// events and the members of lists that stay.
    pub fn add_account(&self, spec: KlaviyoAccountSpec) {
        self.0.lock().add_account(spec);
    }

    pub fn account(&self, account_id: &str) -> Option<KlaviyoAccountSpec> {
        self.0.lock().account(account_id).map(|a| a.spec().clone())
    }

    pub fn account_ids(&self) -> Vec<String> {
        self.0.lock().account_ids()
    }

    /// The `/api` requests in the log (the newest [`KlaviyoConfig::log_capacity`]), oldest
    /// first, personal data masked; `store_id` is the account ID once the key was known.
    pub fn requests(&self) -> Vec<Recorded> {
        self.0.lock().requests()
    }

    /// Requests that fell out of the full log.
    pub fn dropped_requests(&self) -> u64 {
        self.0.lock().dropped_requests()
    }

    pub fn clear_requests(&self) {
        self.0.lock().clear_requests();
    }

    pub fn faults(&self) -> KlaviyoFaults {
        self.0.lock().faults.clone()
    }

    pub fn set_faults(&self, patch: KlaviyoFaultsPatch) -> KlaviyoFaults {
        let mut state = self.0.lock();
        state.faults.apply(patch);
        state.faults.clone()
    }

    /// Every profile, whole (unmasked), with its subscriptions, as the API would show it now.
    pub fn profiles(&self, account_id: &str) -> Vec<Value> {
        self.0.live().profiles(account_id)
    }

    /// The IDs of the list's members, in the order they joined.
    pub fn list_members(&self, account_id: &str, list_id: &str) -> Vec<String> {
        self.0.live().list_members(account_id, list_id)
    }

    /// The stored events (duplicates were accepted but not stored).
    pub fn events(&self, account_id: &str) -> Vec<Value> {
        self.0.live().events(account_id)
    }

    /// Every confirmation text sent (double opt-in), repeats included:
    /// `{"phone_number", "list_id", "profile_id", "at_ms", "body"}`.
    pub fn outbox(&self, account_id: &str) -> Vec<Value> {
        self.0.live().outbox(account_id)
    }

    /// The shopper replies YES: every double opt-in waiting for this phone is applied.
    /// False when none was waiting.
    pub fn confirm(&self, account_id: &str, phone: &str) -> bool {
        self.0.live().confirm(account_id, phone)
    }

    /// The shopper texts STOP: SMS marketing consent becomes `UNSUBSCRIBED` for the
    /// number's profiles. False when no profile has the number.
    pub fn stop(&self, account_id: &str, phone: &str) -> bool {
        self.0.live().stop(account_id, phone)
    }

    /// Makes a profile with these attributes as they are (no validation, no matching:
    /// e.g. two profiles with one `external_id`) and returns its ID.
    ///
    /// # Panics
    /// When the account does not exist or the attributes are not a JSON object (a test's
    /// mistake).
    pub fn seed_profile(&self, account_id: &str, profile_attributes: Value) -> String {
        let Value::Object(attributes) = profile_attributes else {
            panic!("seed_profile takes a JSON object of profile attributes");
        };
        self.0
            .live()
            .seed_profile(account_id, &attributes)
            .unwrap_or_else(|| panic!("seed_profile: no Klaviyo sandbox account {account_id:?}"))
    }

    /// Moves the sandbox's clock forward (rate windows, subscribe delays, timestamps).
    pub fn advance(&self, by: Duration) {
        self.0.lock().clock.advance(by);
    }

    /// Frozen, the sandbox's clock moves only by [`advance`](Self::advance), so a test of
    /// the 1 s burst window does not depend on how fast the machine is.
    pub fn freeze_clock(&self, frozen: bool) {
        self.0.lock().clock.freeze(frozen);
    }

    /// The sandbox's time, in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.0.lock().now_ms()
    }
}

/// A Klaviyo sandbox listening on a port, stopped when dropped.
pub struct KlaviyoSandboxHandle {
    pub sandbox: KlaviyoSandbox,
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
}

impl KlaviyoSandboxHandle {
    /// The base URL to configure as Klaviyo's (`https://a.klaviyo.com` in production).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for KlaviyoSandboxHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Starts a Klaviyo sandbox on `bind` (port 0 for any free port) in this process.
pub async fn spawn_klaviyo(
    config: KlaviyoConfig,
    bind: SocketAddr,
) -> anyhow::Result<KlaviyoSandboxHandle> {
    let sandbox = KlaviyoSandbox::new(config);
    let listener = TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    // Alone on its port, every unknown path gets Klaviyo's JSON 404 (a merged router keeps
    // its host's fallback).
    let app = sandbox.router().fallback(api::not_found);
    tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "the Klaviyo sandbox stopped");
        }
    });
    Ok(KlaviyoSandboxHandle {
        sandbox,
        addr,
        stop: Some(stop),
    })
}

/// The revisions the sandbox accepts in the `revision` header.
pub const KLAVIYO_REVISIONS: &[&str] = &["2026-07-15", "2026-10-15"];

/// Where Klaviyo stores SMS consent (section 11): an account's default.
pub const KLAVIYO_DEFAULT_COUNTRIES: &[&str] = &[
    "US", "CA", "GB", "IE", "DE", "NL", "FR", "BE", "AT", "ES", "CH", "DK", "SE", "NO", "FI", "IT",
    "PT", "AU", "NZ",
];

/// Every scope Tracklight's Klaviyo integration uses.
pub const TRACKLIGHT_KLAVIYO_SCOPES: &[&str] = &[
    "profiles:read",
    "profiles:write",
    "lists:read",
    "lists:write",
    "subscriptions:write",
    "events:write",
    "accounts:read",
];

/// The tracking page subscribers' list of a [`standard_klaviyo_account`] (single opt-in).
pub const STANDARD_KLAVIYO_LIST_ID: &str = "TrkSub";
/// The newsletter list of a [`standard_klaviyo_account`] (double opt-in).
pub const STANDARD_KLAVIYO_NEWSLETTER_ID: &str = "NwsLtr";

/// An account as a merchant trying Tracklight gets it: one key with every scope Tracklight
/// needs, a single opt-in list for tracking page subscribers and a double opt-in
/// newsletter, SMS set up, the default countries.
pub fn standard_klaviyo_account(account_id: &str, key: &str) -> KlaviyoAccountSpec {
    KlaviyoAccountSpec {
        account_id: account_id.to_owned(),
        keys: vec![KlaviyoKeySpec {
            key: key.to_owned(),
            scopes: TRACKLIGHT_KLAVIYO_SCOPES
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        }],
        lists: vec![
            KlaviyoListSpec {
                id: STANDARD_KLAVIYO_LIST_ID.into(),
                name: "Tracking page subscribers".into(),
                opt_in_process: "single_opt_in".into(),
            },
            KlaviyoListSpec {
                id: STANDARD_KLAVIYO_NEWSLETTER_ID.into(),
                name: "Newsletter".into(),
                opt_in_process: "double_opt_in".into(),
            },
        ],
        sms_enabled: true,
        supported_countries: Vec::new(),
    }
}
