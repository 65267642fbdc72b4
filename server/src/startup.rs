//! Builds the HTTP application: state, router, listener, and a graceful shutdown.

use crate::config::{redact_url, Settings, YotpoTarget};
use crate::sandbox::{self, SandboxConfig, SandboxHandle};
use crate::{ops, rest};
use anyhow::Context;
use app::ssr::db::PoolConfig;
use app::ssr::sms::SmsListProvider;
use app::ssr::state::{PublicUrl, SmsMode};
use app::ssr::yotpo::YotpoClient;
use app::ssr::{AppState, Clock, Db};
use app::{shell, App};
use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Static assets are not content-hashed yet, so browsers revalidate after five minutes
/// (a cheap 304 thanks to `Last-Modified`).
const ASSET_CACHE: &str = "public, max-age=300";

pub fn leptos_options(settings: &Settings, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("tracklight")
        .site_root(settings.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(leptos::config::Env::PROD)
        .build()
}

/// The whole HTTP surface. `state` carries everything handlers need.
pub fn router(state: AppState, settings: &Settings) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let cache = || {
        SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static(ASSET_CACHE),
        )
    };
    let site_root = &settings.site_root;
    let pkg = ServeDir::new(site_root.join("pkg"))
        .precompressed_gzip()
        .precompressed_br();
    let favicon = ServeFile::new(site_root.join("favicon.svg"));

    Router::new()
        .merge(rest::router(settings.api_body_limit))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest_service("/pkg", ServiceBuilder::new().layer(cache()).service(pkg))
        .route_service(
            "/favicon.svg",
            ServiceBuilder::new().layer(cache()).service(favicon),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(
            ServiceBuilder::new()
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                .layer(TimeoutLayer::with_status_code(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    settings.request_timeout,
                ))
                .layer(CompressionLayer::new())
                // Pages and API answers carry shoppers' data: never cached by default.
                // (Static assets set their own Cache-Control above.)
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-store"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                // Tracking links are bearer links: never send them to other sites.
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                )),
        )
        .with_state(state)
}

/// A bound, ready-to-run Tracklight.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    shutdown_timeout: Duration,
    /// The in-process Yotpo sandbox, when no Yotpo API URL is configured.
    sandbox: Option<SandboxHandle>,
}

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
        let (api_url, sms_mode, sandbox) = match &settings.yotpo.target {
            YotpoTarget::Live { api_url } => (api_url.clone(), SmsMode::Live, None),
            YotpoTarget::Sandbox { bind } => {
                let stores = if settings.demo {
                    sandbox::demo_stores(&settings.data_dir)?
                } else {
                    Vec::new()
                };
                let config = SandboxConfig {
                    stores,
                    ..SandboxConfig::default()
                };
                let handle = sandbox::spawn(config, *bind).await.with_context(|| {
                    format!("TRACKLIGHT_YOTPO_SANDBOX_BIND: cannot listen on {bind}")
                })?;
                let url = handle.url();
                let api_url = reqwest::Url::parse(&url)?;
                (api_url, SmsMode::Sandbox { url }, Some(handle))
            }
        };
        let sms: Arc<dyn SmsListProvider> =
            Arc::new(YotpoClient::new(settings.yotpo.client_config(api_url))?);
        let state = AppState {
            leptos_options: leptos_options(settings, addr),
            db,
            clock,
            public_url,
            sms,
            sms_mode,
        };
        let router = router(state.clone(), settings);
        Ok(Self {
            listener,
            router,
            state,
            shutdown_timeout: settings.shutdown_timeout,
            sandbox,
        })
    }

    /// The in-process Yotpo sandbox, in sandbox mode.
    pub fn sandbox(&self) -> Option<&SandboxHandle> {
        self.sandbox.as_ref()
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
        let server = axum::serve(listener, self.router).with_graceful_shutdown({
            let stopping = stopping.clone();
            async move {
                shutdown.await;
                tracing::info!("shutting down: finishing in-flight requests");
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
        self.state.db.close().await;
        tracing::info!("stopped");
        Ok(())
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
