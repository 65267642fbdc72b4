//! Builds the HTTP application: state, router, listener, and a graceful shutdown.

use crate::config::{redact_url, ProviderTarget, Settings, YotpoTarget};
use anyhow::Context;
use app::ssr::budget::SharedBudget;
use app::ssr::consent::lookup::SubscriptionLookup;
use app::ssr::consent::ConsentConfig;
use app::ssr::db::PoolConfig;
use app::ssr::jobs::{Worker, WorkerConfig};
use app::ssr::klaviyo::KlaviyoClient;
use app::ssr::limits::Limits;
use app::ssr::media::{FsMediaStore, Media, MediaLimits, MediaStore, ObjectMediaStore};
use app::ssr::secrets::SecretBox;
use app::ssr::sms::ListProvider;
use app::ssr::sms::SmsListProvider;
use app::ssr::sms::{AccountId, ListId};
use app::ssr::state::{Providers, PublicUrl, SandboxAccounts, SmsMode};
use app::ssr::yotpo::{LoyaltyClient, LoyaltyConfig, ReviewsClient, SharedTokens, YotpoClient};
use app::ssr::{AppState, Clock, Db};
use axum::serve::ListenerExt;
use axum::Router;
use leptos::prelude::*;
use sandbox::klaviyo::{self, KlaviyoConfig};
use sandbox::{SandboxConfig, SandboxHandle};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// The content hash `scripts/build.sh` gives the bundles' and stylesheet's names
/// (`tracklight.{id}.js`, ...), from `{site root}/build-id`; `None` for a build without it
/// (e.g. cargo-leptos), whose names are plain.
pub fn build_id(site_root: &std::path::Path) -> Option<String> {
    let id = std::fs::read_to_string(site_root.join("build-id")).ok()?;
    let id = id.trim();
    (!id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| id.to_owned())
}

pub fn leptos_options(settings: &Settings, addr: SocketAddr) -> LeptosOptions {
    let output_name = match build_id(&settings.site_root) {
        Some(id) => format!("tracklight.{id}"),
        None => "tracklight".to_owned(),
    };
    LeptosOptions::builder()
        .output_name(output_name)
        .site_root(settings.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(leptos::config::Env::PROD)
        .build()
}

/// A bound, ready-to-run Tracklight.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    shutdown_timeout: Duration,
    consent_retention: Duration,
    /// The in-process Yotpo sandbox, when no Yotpo API URL is configured.
    sandbox: Option<SandboxHandle>,
    /// The in-process Klaviyo sandbox, when no Klaviyo API URL is configured.
    klaviyo_sandbox: Option<klaviyo::KlaviyoSandboxHandle>,
    worker: WorkerConfig,
}

/// The key that encrypts merchant secrets: `TRACKLIGHT_SECRET_KEY`, else the key file.
pub fn secret_box(settings: &Settings) -> anyhow::Result<SecretBox> {
    match &settings.secret_key {
        Some(key) => SecretBox::from_base64(key).map_err(anyhow::Error::msg),
        None => key_file(&settings.data_dir),
    }
}

/// The key that encrypts merchant secrets when none is configured: a file in the data
/// directory, created on first start, readable by its owner only.
fn key_file(data_dir: &std::path::Path) -> anyhow::Result<SecretBox> {
    let path = data_dir.join(SECRET_KEY_FILE);
    let key = match std::fs::read_to_string(&path) {
        Ok(key) => key,
        Err(_) => {
            let key = SecretBox::generate_key();
            write_private(&path, &key)
                .with_context(|| format!("writing the secret key file {}", path.display()))?;
            tracing::warn!(file = %path.display(), "created a key for merchant secrets; set TRACKLIGHT_SECRET_KEY in production and keep it safe");
            key
        }
    };
    SecretBox::from_base64(&key).map_err(|m| anyhow::anyhow!("{}: {m}", path.display()))
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?
        .write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

pub const SECRET_KEY_FILE: &str = "secret-key";

impl Application {
    /// Creates the data directory, connects to and migrates the database, binds the port.
    pub async fn build(settings: &Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&settings.data_dir).with_context(|| {
            format!(
                "TRACKLIGHT_DATA_DIR: cannot create {}",
                settings.data_dir.display()
            )
        })?;
        let pool = PoolConfig {
            max_connections: settings.db_max_connections,
            ..PoolConfig::default()
        };
        let db = Db::connect(&settings.database_url, &pool)
            .await
            .with_context(|| {
                format!(
                    "TRACKLIGHT_DATABASE_URL: {}",
                    redact_url(&settings.database_url)
                )
            })?;
        let listener = TcpListener::bind(settings.bind)
            .await
            .with_context(|| format!("TRACKLIGHT_BIND: cannot listen on {}", settings.bind))?;
        let addr = listener.local_addr()?;
        // With port 0 (tests) the public URL follows the port actually bound.
        let public_url = if settings.bind.port() == 0 {
            PublicUrl::parse(&format!("http://{addr}")).map_err(anyhow::Error::msg)?
        } else {
            settings.public_url.clone()
        };
        let (api_url, sandbox) = match &settings.yotpo.target {
            YotpoTarget::Live { api_url } => (api_url.clone(), None),
            YotpoTarget::Sandbox { bind } => {
                let config = SandboxConfig {
                    stores: sandbox::saved_stores(&settings.data_dir, settings.demo)?,
                    persist: Some(settings.data_dir.join(sandbox::DEMO_STORES_FILE)),
                    ..SandboxConfig::default()
                };
                let handle = sandbox::spawn(config, *bind).await.with_context(|| {
                    format!("TRACKLIGHT_YOTPO_SANDBOX_BIND: cannot listen on {bind}")
                })?;
                (reqwest::Url::parse(&handle.url())?, Some(handle))
            }
        };
        let (klaviyo_url, klaviyo_sandbox) = match &settings.klaviyo.target {
            ProviderTarget::Live { api_url } => (api_url.clone(), None),
            ProviderTarget::Sandbox { bind } => {
                let config = KlaviyoConfig {
                    accounts: klaviyo_trials::saved(&settings.data_dir)?,
                    ..KlaviyoConfig::default()
                };
                let handle = klaviyo::spawn_klaviyo(config, *bind)
                    .await
                    .with_context(|| {
                        format!("TRACKLIGHT_KLAVIYO_SANDBOX_BIND: cannot listen on {bind}")
                    })?;
                (reqwest::Url::parse(&handle.url())?, Some(handle))
            }
        };
        let mut urls = Vec::new();
        if let Some(handle) = &sandbox {
            urls.push((ListProvider::Yotpo, handle.url()));
        }
        if let Some(handle) = &klaviyo_sandbox {
            urls.push((ListProvider::Klaviyo, handle.url()));
        }
        let sms_mode = if urls.is_empty() {
            SmsMode::Live
        } else {
            let accounts = Arc::new(TrialStores {
                yotpo: sandbox.as_ref().map(|h| h.sandbox.clone()),
                klaviyo: klaviyo_sandbox.as_ref().map(|h| h.sandbox.clone()),
                data_dir: settings.data_dir.clone(),
            });
            SmsMode::Sandbox { urls, accounts }
        };
        let mut yotpo = settings.yotpo.client_config(api_url.clone());
        if let Some(handle) = &sandbox {
            // The sandbox serves stand-ins for Yotpo's form scripts.
            yotpo.forms_url = reqwest::Url::parse(&format!("{}/forms", handle.url()))?;
        }
        let secrets = secret_box(settings)?;
        // Every instance sharing the database keeps to each connection's budget together,
        // and uses its one token.
        let budget = Arc::new(SharedBudget::new(db.clone()));
        let tokens = Arc::new(SharedTokens::new(db.clone(), secrets.clone()));
        let yotpo: Arc<dyn SmsListProvider> = Arc::new(
            YotpoClient::new(yotpo)?
                .with_budget(budget)
                .with_shared_tokens(tokens),
        );
        let klaviyo_budget = Arc::new(SharedBudget::new(db.clone()));
        let klaviyo: Arc<dyn SmsListProvider> = Arc::new(
            KlaviyoClient::new(settings.klaviyo.client_config(klaviyo_url))?
                .with_budget(klaviyo_budget),
        );
        let loyalty_url = match (&settings.yotpo.loyalty_url, &sandbox) {
            (Some(url), _) => url.clone(),
            (None, Some(handle)) => reqwest::Url::parse(&handle.url())?,
            (None, None) => LoyaltyConfig::production().url,
        };
        let loyalty = Arc::new(
            LoyaltyClient::new(settings.yotpo.loyalty_config(loyalty_url))?
                .with_budget(Arc::new(SharedBudget::new(db.clone()))),
        );
        let reviews = Arc::new(
            ReviewsClient::new(settings.yotpo.reviews_config(api_url.clone()))?
                .with_budget(Arc::new(SharedBudget::new(db.clone()))),
        );
        let store: Arc<dyn MediaStore> = match &settings.media_s3 {
            Some(s3) => Arc::new(ObjectMediaStore::s3(s3)?),
            None => Arc::new(FsMediaStore::new(settings.data_dir.join("media"))?),
        };
        let media = Media::new(store, MediaLimits::default());
        let state = AppState {
            loyalty,
            reviews,
            media,
            leptos_options: leptos_options(settings, addr),
            db,
            clock,
            public_url,
            providers: Providers { yotpo, klaviyo },
            sms_mode,
            secrets,
            lookup: SubscriptionLookup::default(),
            consent_settings: Default::default(),
            limits: Limits {
                consent_per_network: app::ssr::limits::Limit::per(
                    settings.consents_per_network,
                    std::time::Duration::from_secs(3600),
                ),
                sign_in_per_network: app::ssr::limits::Limit::per(
                    settings.sign_ins_per_network,
                    std::time::Duration::from_secs(600),
                ),
                ..Limits::default()
            },
            public_signup: settings.public_signup,
            consent: ConsentConfig {
                trusted_proxies: settings.trusted_proxies.clone(),
                ..ConsentConfig::default()
            },
            jobs_wake: Arc::default(),
            ingest_wake: Arc::default(),
            stats: Arc::default(),
        };
        // The recorder is installed before the first request or job records anything.
        crate::metrics::handle();
        let router = crate::routes::router(state.clone(), settings);
        Ok(Self {
            listener,
            router,
            state,
            shutdown_timeout: settings.shutdown_timeout,
            consent_retention: settings.consent_retention,
            sandbox,
            klaviyo_sandbox,
            worker: WorkerConfig {
                optin_delay: settings.optin_delay,
                klaviyo_optin_delay: settings.klaviyo.optin_delay,
                read_delay: settings.yotpo.read_delay,
                klaviyo_read_delay: settings.klaviyo.read_delay,
                poll: settings.job_poll,
                grace: settings.shutdown_timeout,
                ..WorkerConfig::default()
            },
        })
    }

    /// The in-process Yotpo sandbox, in sandbox mode.
    pub fn sandbox(&self) -> Option<&SandboxHandle> {
        self.sandbox.as_ref()
    }

    /// The in-process Klaviyo sandbox, in sandbox mode.
    pub fn klaviyo_sandbox(&self) -> Option<&klaviyo::KlaviyoSandboxHandle> {
        self.klaviyo_sandbox.as_ref()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish for up to the
    /// shutdown timeout, and closes the database pool.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let stopping = Arc::new(tokio::sync::Notify::new());
        // No Nagle delay: a response written in several pieces (headers, then a file) would
        // otherwise wait for the client's delayed ACK, about 40 ms each.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::debug!(error = %err, "could not set TCP_NODELAY");
            }
        });
        let (stop_worker, worker_stopped) = tokio::sync::watch::channel(false);
        let worker = tokio::spawn(Worker::new(self.state.clone(), self.worker.clone()).run(
            async move {
                let mut stopped = worker_stopped;
                let _ = stopped.wait_for(|stop| *stop).await;
            },
        ));
        // The webhook inbox: deliveries are stored by the request, processed here.
        let inbox = tokio::spawn(app::ssr::ingest::inbox::run(self.state.clone(), {
            let mut stopped = stop_worker.subscribe();
            async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            }
        }));
        let app = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        // Housekeeping: page counts reach the database every ten seconds (and at the end);
        // expired sessions and ended rate-limit windows are removed every hour, and consents
        // past their retention every day.
        let retention = self.consent_retention;
        let flusher = {
            let state = self.state.clone();
            tokio::spawn(async move {
                let mut every = tokio::time::interval(Duration::from_secs(10));
                for tick in 0u64.. {
                    every.tick().await;
                    if let Err(e) = state.stats.flush(&state.db).await {
                        tracing::warn!(error = format!("{e:#}"), "page counts not written yet");
                    }
                    if tick % 360 == 0 {
                        let now = state.clock.now_ms();
                        if let Err(e) = app::ssr::accounts::purge_expired(&state.db, now).await {
                            tracing::warn!(
                                error = format!("{e:#}"),
                                "expired sessions not removed"
                            );
                        }
                        if let Err(e) = app::ssr::limits::prune(&state.db, now).await {
                            tracing::warn!(error = format!("{e:#}"), "old rate counts not removed");
                        }
                        if let Err(e) = app::ssr::ingest::inbox::prune(&state.db, now).await {
                            tracing::warn!(
                                error = format!("{e:#}"),
                                "old webhook deliveries not removed"
                            );
                        }
                        // Shoppers' files a crash left behind (rejected, erased, or an
                        // upload that was never recorded).
                        match app::ssr::media::cleanup::sweep(&state, now).await {
                            Ok(0) => {}
                            Ok(n) => tracing::info!(files = n, "deleted files left behind"),
                            Err(e) => tracing::warn!(
                                error = format!("{e:#}"),
                                "files left behind not deleted"
                            ),
                        }
                    }
                    if tick % 8640 == 0 {
                        let now = state.clock.now_ms();
                        match app::ssr::data_rights::expire(&state.db, retention, now).await {
                            Ok(0) => {}
                            Ok(n) => tracing::info!(
                                consents = n,
                                "removed consents past their retention"
                            ),
                            Err(e) => tracing::warn!(
                                error = format!("{e:#}"),
                                "consents past their retention not removed"
                            ),
                        }
                    }
                }
            })
        };
        let server = axum::serve(listener, app).with_graceful_shutdown({
            let stopping = stopping.clone();
            async move {
                shutdown.await;
                tracing::info!("shutting down: finishing in-flight requests and jobs");
                let _ = stop_worker.send(true);
                stopping.notify_one();
            }
        });
        let grace = async {
            stopping.notified().await;
            tokio::time::sleep(self.shutdown_timeout).await;
        };
        tokio::select! {
            result = server => result.context("serving HTTP")?,
            () = grace => tracing::warn!("shutdown grace period over; closing open connections"),
        }
        if let Err(e) = worker.await {
            tracing::error!(error = %e, "the job worker panicked");
        }
        if let Err(e) = inbox.await {
            tracing::error!(error = %e, "the webhook inbox panicked");
        }
        flusher.abort();
        if let Err(e) = self.state.stats.flush(&self.state.db).await {
            tracing::warn!(error = format!("{e:#}"), "page counts lost at shutdown");
        }
        self.state.db.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Merchants' own accounts in the in-process sandboxes ("use the sandbox" in settings).
struct TrialStores {
    yotpo: Option<sandbox::Sandbox>,
    klaviyo: Option<klaviyo::KlaviyoSandbox>,
    data_dir: std::path::PathBuf,
}

/// The sign-up form of a merchant's sandbox store.
const TRIAL_FORM_ID: u64 = 7001;

impl SandboxAccounts for TrialStores {
    fn create(&self, id: &AccountId, secret: &str) -> Option<ListId> {
        self.yotpo
            .as_ref()?
            .add_store(sandbox::standard_store(id.as_str(), secret, TRIAL_FORM_ID));
        Some(ListId::from(sandbox::STANDARD_LIST_ID))
    }

    fn create_klaviyo(&self, id: &AccountId, key: &str) -> Option<ListId> {
        let spec = klaviyo::standard_klaviyo_account(id.as_str(), key);
        self.klaviyo.as_ref()?.add_account(spec.clone());
        if let Err(e) = klaviyo_trials::save(&self.data_dir, spec) {
            tracing::error!(
                error = format!("{e:#}"),
                "could not save a Klaviyo sandbox account"
            );
        }
        ListId::parse(klaviyo::STANDARD_KLAVIYO_LIST_ID).ok()
    }
}

/// The Klaviyo sandbox's accounts, kept in the data directory so keys stay valid across
/// restarts (profiles and events live in memory only).
pub mod klaviyo_trials {
    use anyhow::Context;
    use sandbox::klaviyo::KlaviyoAccountSpec;
    use std::path::Path;

    pub const FILE: &str = "klaviyo-sandbox-accounts.json";

    pub fn saved(data_dir: &Path) -> anyhow::Result<Vec<KlaviyoAccountSpec>> {
        let path = data_dir.join(FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .with_context(|| format!("{} is not a valid account list", path.display())),
            Err(_) => Ok(Vec::new()),
        }
    }

    /// Adds (or replaces) an account in the saved list.
    pub fn save(data_dir: &Path, spec: KlaviyoAccountSpec) -> anyhow::Result<()> {
        let mut accounts = saved(data_dir)?;
        accounts.retain(|a| a.account_id != spec.account_id);
        accounts.push(spec);
        let path = data_dir.join(FILE);
        std::fs::write(&path, serde_json::to_string_pretty(&accounts)?)
            .with_context(|| format!("writing {}", path.display()))
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
