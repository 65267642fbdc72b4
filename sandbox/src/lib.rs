//! The Yotpo sandbox: a local stand-in for the parts of Yotpo's API Tracklight uses, built
//! to the contract in `yotpo-api.md` (paths, methods, `X-Yotpo-Token` token exchange, JSON
//! shapes, validation, 5 requests/second per store with 429 and `RateLimit-*` headers,
//! customers that become visible to reads only after a delay).
//!
//! It runs in-process ([`spawn`]) for tests and the first-run demo, or on its own
//! (`tracklight yotpo-sandbox`). Fault switches (latency, error status and rate, token
//! expiry) are set at start ([`SandboxConfig`]) or at run time through `/sandbox/faults`.
//! It logs the Yotpo requests it receives, for tests to assert on (`/sandbox/requests`): the
//! newest [`SandboxConfig::log_capacity`] of them, with personal data masked ([`mask`]).
//!
//! - `state`: stores, tokens, customers, subscribers, the request log, the fault switches.
//! - `yotpo`: the Yotpo endpoints and their validation.
//! - `loyalty`: Yotpo Loyalty & Referrals (`/api/v2/...`).
//! - `reviews`: Reviews / Visual UGC v1: the utoken exchange (`/oauth/token`) and image and
//!   video imports (`/v1/apps/{app_key}/...`), with their own rate window (5,000 a minute).
//! - `forms`: stand-ins for Yotpo's published SMS sign-up forms (their scripts).
//! - `admin`: the `/sandbox/...` endpoints that set it up and look inside.
//! - `klaviyo`: the Klaviyo sandbox, a separate stand-in for Klaviyo's server API (`/api/...`,
//!   control API under `/sandbox/klaviyo/...`), built to section 14 of `klaviyo-api.md`; its
//!   router merges with this one.

mod admin;
mod forms;
pub mod klaviyo;
pub mod loyalty;
pub mod mask;
mod reviews;
mod state;
mod yotpo;

pub use state::{
    Faults, FaultsPatch, Recorded, ReviewsFaultsPatch, SandboxStore, SignupFormSpec, SmsListSpec,
};

use axum::Router;
use state::Inner;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// How the sandbox starts: its stores and fault switches.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub stores: Vec<SandboxStore>,
    pub faults: Faults,
    /// Where stores added at run time are saved, so they outlive a restart (customers and
    /// subscribers live in memory only).
    pub persist: Option<std::path::PathBuf>,
    /// How many requests the log keeps (the newest); older ones are counted, not kept.
    pub log_capacity: usize,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            stores: Vec::new(),
            faults: Faults::default(),
            persist: None,
            log_capacity: 10_000,
        }
    }
}

/// A sandbox shared by its HTTP handlers and by whoever started it in-process.
#[derive(Clone)]
pub struct Sandbox(Arc<Inner>, Option<Arc<std::path::PathBuf>>);

impl Sandbox {
    pub fn new(config: SandboxConfig) -> Self {
        let sandbox = Self(
            Arc::new(Inner::new(config.faults, config.log_capacity)),
            None,
        );
        for store in config.stores {
            sandbox.add_store(store);
        }
        Self(sandbox.0, config.persist.map(Arc::new))
    }

    pub fn router(&self) -> Router {
        yotpo::router(self.clone())
            .merge(loyalty::router(self.clone()))
            .merge(reviews::router(self.clone()))
            .merge(forms::router(self.clone()))
            .merge(admin::router(self.clone()))
    }

    /// Adds (or replaces) a store, saving the store list when the sandbox persists it.
    pub fn add_store(&self, store: SandboxStore) {
        self.0.add_store(store);
        if let Some(path) = &self.1 {
            let saved = serde_json::to_string_pretty(&self.0.store_specs())
                .map_err(std::io::Error::other)
                .and_then(|json| std::fs::write(path.as_path(), json));
            if let Err(e) = saved {
                tracing::error!(file = %path.display(), error = %e, "could not save the sandbox stores");
            }
        }
    }

    /// A store's spec (ID, secret, lists, forms), as added.
    pub fn store(&self, store_id: &str) -> Option<SandboxStore> {
        self.0
            .store_specs()
            .into_iter()
            .find(|s| s.store_id == store_id)
    }

    /// The Yotpo requests in the log (the newest [`SandboxConfig::log_capacity`]), oldest
    /// first, personal data masked.
    pub fn requests(&self) -> Vec<Recorded> {
        self.0.requests()
    }

    /// Requests that fell out of the full log.
    pub fn dropped_requests(&self) -> u64 {
        self.0.dropped_requests()
    }

    pub fn clear_requests(&self) {
        self.0.clear_requests();
    }

    pub fn faults(&self) -> Faults {
        self.0.faults()
    }

    pub fn set_faults(&self, patch: FaultsPatch) -> Faults {
        self.0.set_faults(patch)
    }

    /// Sets the Reviews / Visual UGC fault switches and rate limit (the `reviews_*` fields).
    pub fn set_reviews_faults(&self, patch: ReviewsFaultsPatch) -> Faults {
        self.0.set_reviews_faults(patch)
    }

    /// Makes every issued access token and v1 utoken invalid, as if all had expired.
    pub fn expire_tokens(&self) {
        self.0.expire_tokens();
    }

    /// The images imported for an app key (a store's ID), oldest first: each image object
    /// as received, plus `received_at_ms`.
    pub fn imported_images(&self, app_key: &str) -> Vec<serde_json::Value> {
        self.0.imported(app_key, state::Media::Images)
    }

    /// The videos imported for an app key, oldest first: each as received, plus
    /// `received_at_ms`.
    pub fn imported_videos(&self, app_key: &str) -> Vec<serde_json::Value> {
        self.0.imported(app_key, state::Media::Videos)
    }

    /// Lets an app key import more than 3 images at a time (up to 8), as Yotpo support
    /// does on request. Off by default; no effect for an unknown app key.
    pub fn set_bulk_image_import(&self, app_key: &str, enabled: bool) {
        self.0.set_bulk_image_import(app_key, enabled);
    }

    /// Whether the app key may import more than 3 images at a time.
    pub fn bulk_image_import(&self, app_key: &str) -> bool {
        self.0.bulk_image_import(app_key)
    }

    /// A Yotpo Loyalty customer's points and history (by email, any case), if any.
    pub fn loyalty_customer(
        &self,
        guid: &str,
        email: &str,
    ) -> Option<(i64, Vec<serde_json::Value>)> {
        self.0.loyalty_customer(guid, &email.to_ascii_lowercase())
    }

    /// Replaces a loyalty account's custom-action campaigns (action name, points).
    pub fn set_loyalty_campaigns(&self, guid: &str, campaigns: &[(&str, i64)]) {
        self.0.set_loyalty_campaigns(
            guid,
            campaigns
                .iter()
                .map(|(n, p)| ((*n).to_owned(), *p))
                .collect(),
        );
    }

    /// The store's customers as reads see them now (eventual consistency applied).
    pub fn visible_customers(&self, store_id: &str) -> Vec<serde_json::Value> {
        self.0.visible_customers(store_id)
    }

    /// The store's customers as last written, before reads can see them.
    pub fn customers(&self, store_id: &str) -> Vec<serde_json::Value> {
        self.0.customers(store_id)
    }

    pub fn subscribers(&self, store_id: &str) -> Vec<serde_json::Value> {
        self.0.subscribers(store_id)
    }

    /// The store's custom customer events, one per event ID (a repeated ID replaced it).
    pub fn events(&self, store_id: &str) -> Vec<serde_json::Value> {
        self.0.events(store_id)
    }
}

/// A sandbox listening on a port, stopped when dropped.
pub struct SandboxHandle {
    pub sandbox: Sandbox,
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
}

impl SandboxHandle {
    /// The base URL to configure as Yotpo's API URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Starts a sandbox on `bind` (port 0 for any free port) in this process.
pub async fn spawn(config: SandboxConfig, bind: SocketAddr) -> anyhow::Result<SandboxHandle> {
    let sandbox = Sandbox::new(config);
    let listener = TcpListener::bind(bind).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let app = sandbox.router();
    tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "the Yotpo sandbox stopped");
        }
    });
    Ok(SandboxHandle {
        sandbox,
        addr,
        stop: Some(stop),
    })
}

/// The stores of the sandbox that `serve` runs, kept in the data directory so store IDs and
/// secrets stay the same across restarts. Missing: none, or with `demo` one demo store.
pub fn saved_stores(data_dir: &std::path::Path, demo: bool) -> anyhow::Result<Vec<SandboxStore>> {
    let path = data_dir.join(DEMO_STORES_FILE);
    if path.exists() || demo {
        demo_stores(data_dir)
    } else {
        Ok(Vec::new())
    }
}

/// The sandbox's stores for the first-run demo (see [`saved_stores`]); created with one demo
/// store when missing.
pub fn demo_stores(data_dir: &std::path::Path) -> anyhow::Result<Vec<SandboxStore>> {
    use anyhow::Context;
    use rand::distr::{Alphanumeric, SampleString};
    let path = data_dir.join(DEMO_STORES_FILE);
    if let Ok(text) = std::fs::read_to_string(&path) {
        return serde_json::from_str(&text)
            .with_context(|| format!("{} is not a valid sandbox store list", path.display()));
    }
    let secret = Alphanumeric.sample_string(&mut rand::rng(), 32);
    let stores = vec![standard_store(DEMO_STORE_ID, &secret, DEMO_FORM_ID)];
    std::fs::write(&path, serde_json::to_string_pretty(&stores)?)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(stores)
}

/// A store as the demo and merchants trying Tracklight out get it: two lists (the first,
/// [`STANDARD_LIST_ID`], for tracking page subscribers) and a published sign-up form for it.
pub fn standard_store(store_id: &str, secret: &str, form_id: u64) -> SandboxStore {
    SandboxStore {
        store_id: store_id.to_owned(),
        secret: secret.to_owned(),
        lists: vec![
            SmsListSpec {
                id: STANDARD_LIST_ID,
                name: "Tracking page subscribers".into(),
            },
            SmsListSpec {
                id: STANDARD_LIST_ID + 1,
                name: "Newsletter".into(),
            },
        ],
        forms: vec![SignupFormSpec {
            form_id,
            script_source: String::new(),
            list_id: Some(STANDARD_LIST_ID),
            status: "published".into(),
        }],
    }
}

/// The tracking page subscribers' list of a [`standard_store`].
pub const STANDARD_LIST_ID: u64 = 1001;

pub const DEMO_STORES_FILE: &str = "yotpo-sandbox-stores.json";
pub const DEMO_STORE_ID: &str = "northwind-demo";
/// The demo store's published sign-up form (served by the sandbox itself).
pub const DEMO_FORM_ID: u64 = 5001;

/// Yotpo documents "about 60 seconds" before an upserted customer shows in reads.
pub const YOTPO_VISIBILITY_DELAY: Duration = Duration::from_secs(60);

/// Visual UGC v1's documented limit: 5,000 requests a minute per app key.
pub const VISUAL_UGC_RATE_LIMIT_PER_MINUTE: u32 = 5_000;
