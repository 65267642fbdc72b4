//! The HTTP surface: every route, the layers around them, and what the router decides once
//! per request so that nothing below it looks at paths: the request's [`Surface`] (a server
//! function called by script or posted by a plain form, a shopper's page, the embedded
//! widget, another page), the widget's `frame-ancestors` policy, the sealing of plain form
//! posts' errors (`form_errors`), and 4xx for server function calls that do not decode.

use crate::config::Settings;
use crate::form_errors;
use crate::ops;
use crate::page_cache::PageCache;
use crate::rest;
use crate::startup::build_id;
use app::domain::{AppError, TrackingToken};
use app::ssr::request::Surface;
use app::ssr::AppState;
use app::{shell, App};
use axum::extract::{MatchedPath, RawPathParams, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::collections::HashSet;
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::compression::predicate::{NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, DefaultPredicate};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Assets whose names carry the build's content hash never change: cache them for a year.
const IMMUTABLE_CACHE: &str = "public, max-age=31536000, immutable";
/// Other static files (the stable `tracklight.css` of the docs pages, the favicon) may change
/// with a new build: browsers revalidate after five minutes (a cheap 304 with `Last-Modified`).
const ASSET_CACHE: &str = "public, max-age=300";

/// The largest plain form post (its fields are short).
const FORM_LIMIT: usize = 64 * 1024;

/// The shopper's tracking page and the embedded widget, as `app::ui` routes them.
pub const SHOPPER_PAGE: &str = "/t/{token}";
pub const EMBED_PAGE: &str = "/embed/t/{token}";
/// Where a shopper's photo upload is posted, and the page a plain post lands on.
pub const PHOTOS_PAGE: &str = "/t/{token}/photos";
/// A store's order look-up page, and the widget's when the host page has no tracking link.
pub const LOOKUP_PAGE: &str = "/track/{store}";
pub const EMBED_LOOKUP_PAGE: &str = "/embed/track/{store}";
/// The consent block's preview, which the settings page frames.
pub const PREVIEW_PAGE: &str = "/settings/preview";

/// The whole HTTP surface. `state` carries everything handlers need.
pub fn router(state: AppState, settings: &Settings) -> Router {
    let hsts = state.public_url.as_str().starts_with("https://");
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let context = {
        let state = state.clone();
        move || {
            // leptos_axum gives each request a fresh nonce: merchant pages' scripts carry it
            // and their Content-Security-Policy (`ui::scripts`) allows only them. Shoppers'
            // pages name their scripts by hash instead, so that their HTML can be cached
            // (`page_cache`).
            provide_context(state.clone());
        }
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
    let fingerprint = build_id(site_root).map(|id| format!(".{id}"));
    let pkg_cache = axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let fingerprinted = fingerprint
                .as_deref()
                .is_some_and(|f| request.uri().path().contains(f));
            async move {
                let mut response = next.run(request).await;
                let policy = if fingerprinted {
                    IMMUTABLE_CACHE
                } else {
                    ASSET_CACHE
                };
                if response.status().is_success() {
                    response
                        .headers_mut()
                        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
                }
                response
            }
        },
    );
    let favicon = ServeFile::new(site_root.join("favicon.svg"));

    let demo_pages = if settings.demo {
        Router::new().route("/demo/{page}", get(crate::demo::legal_page))
    } else {
        Router::new()
    };
    Router::new()
        .merge(rest::router(settings.api_body_limit))
        .merge(crate::hooks::router())
        .merge(demo_pages)
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(crate::metrics::scrape))
        .route(
            "/settings/consents.csv",
            get(crate::downloads::consents_csv),
        )
        .route(
            "/settings/subject.json",
            get(crate::downloads::subject_json),
        )
        .merge(crate::photos::router())
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .route(PHOTOS_PAGE, crate::photos::upload(&state))
        // After routing (a `Router::layer` wraps each route), so the matched route is known.
        .layer(axum::middleware::from_fn_with_state(
            SurfaceRules::new(state.clone(), settings.page_cache_bytes),
            mark_surface,
        ))
        .nest_service("/pkg", Router::new().fallback_service(pkg).layer(pkg_cache))
        .route("/embed/v1.js", get(crate::embed::loader))
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
                .layer(axum::middleware::from_fn_with_state(
                    settings.request_timeout,
                    time_limit,
                ))
                // Videos are compressed already, and players ask for byte ranges.
                .layer(CompressionLayer::new().compress_when(
                    DefaultPredicate::new().and(NotForContentType::const_new("video/")),
                ))
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
                // No page may be framed by another site, except the embed widget, which
                // sets its own frame-ancestors from the merchant's allowed sites.
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static("frame-ancestors 'none'"),
                ))
                // Tracking links are bearer links: never send them to other sites.
                // Browsers that have seen the https site once never try plain http again.
                .option_layer(hsts.then(|| {
                    SetResponseHeaderLayer::overriding(
                        header::STRICT_TRANSPORT_SECURITY,
                        HeaderValue::from_static("max-age=31536000"),
                    )
                }))
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                )),
        )
        .with_state(state)
}

/// What [`mark_surface`] knows: the server functions' routes, and the state it reads the
/// widget's allowed sites from.
#[derive(Clone)]
struct SurfaceRules {
    server_fns: Arc<HashSet<&'static str>>,
    state: AppState,
    /// The shoppers' pages, rendered and compressed (none: rendered for every view).
    pages: Option<PageCache>,
}

impl SurfaceRules {
    fn new(state: AppState, page_cache_bytes: u64) -> Self {
        let server_fns = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _method)| path)
            .collect();
        Self {
            server_fns: Arc::new(server_fns),
            state,
            pages: (page_cache_bytes > 0).then(|| PageCache::new(page_cache_bytes)),
        }
    }

    fn surface(&self, route: Option<&str>, accepts_html: bool) -> Surface {
        match route {
            Some(route) if self.server_fns.contains(route) => {
                // A plain HTML form post asks for HTML; `fetch` from the page asks for JSON.
                if accepts_html {
                    Surface::FormPost
                } else {
                    Surface::ServerFn
                }
            }
            Some(SHOPPER_PAGE | LOOKUP_PAGE) => Surface::ShopperPage,
            Some(EMBED_PAGE | EMBED_LOOKUP_PAGE) => Surface::EmbedPage,
            Some(PHOTOS_PAGE) => Surface::ShopperForm,
            _ => Surface::Page,
        }
    }
}

/// Marks the request with its [`Surface`] (Leptos code reads it from the request's parts),
/// and gives the widget the `frame-ancestors` of its merchant's allowed sites (every other
/// page gets `'none'` from the outer layer).
async fn mark_surface(
    State(rules): State<SurfaceRules>,
    matched: Option<MatchedPath>,
    params: Result<RawPathParams, axum::extract::rejection::RawPathParamsRejection>,
    mut request: Request,
    next: Next,
) -> Response {
    let accepts_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let surface = rules.surface(matched.as_ref().map(MatchedPath::as_str), accepts_html);
    // The photos page a plain post from the widget's frame lands on: framed like the widget.
    let framed_form = surface == Surface::ShopperForm
        && request
            .uri()
            .query()
            .is_some_and(|q| q.split('&').any(|pair| pair == "embed=1"));
    request.extensions_mut().insert(surface);
    if matches!(surface, Surface::ServerFn | Surface::FormPost)
        && cross_site(request.headers(), rules.state.public_url.as_str())
    {
        return (
            StatusCode::FORBIDDEN,
            "This request came from another site. Use the page itself.",
        )
            .into_response();
    }
    let now = rules.state.clock.now_ms();
    let secrets = &rules.state.secrets;
    // A page shows only a form error this server sealed (`form_errors`).
    if surface.is_page() {
        if let Some((uri, echo)) = form_errors::open_uri(secrets, request.uri(), now) {
            *request.uri_mut() = uri;
            if let Some(echo) = echo {
                request.extensions_mut().insert(echo);
            }
        }
    }
    // A plain form post: keep what it sent, to give it back with a refusal.
    let mut echo = None;
    if surface == Surface::FormPost {
        let (parts, body) = request.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, FORM_LIMIT).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE, "This form is too large.").into_response();
        };
        echo = Some(form_errors::echo_of(&bytes));
        request = Request::from_parts(parts, axum::body::Body::from(bytes));
    }
    let param = |wanted: &str| {
        params.as_ref().ok().and_then(|params| {
            params
                .iter()
                .find(|(name, _)| *name == wanted)
                .map(|(_, value)| value.to_owned())
        })
    };
    let token = param("token").and_then(|value| TrackingToken::parse(&value).ok());
    let store = param("store");
    // A shopper picked a language from the page's switcher: remembered for their next visits.
    let picked_lang = surface
        .is_shopper_page()
        .then(|| app::ssr::request::picked_lang(request.uri()))
        .flatten();
    let route = matched.as_ref().map(MatchedPath::as_str).map(str::to_owned);
    let started = std::time::Instant::now();
    // A shopper's tracking page, as anyone with the link sees it (not a refused form coming
    // back with its error and what was typed): from the page cache.
    let cacheable = request.method() == axum::http::Method::GET
        && request
            .extensions()
            .get::<app::ssr::request::FormEcho>()
            .is_none()
        && !request
            .uri()
            .query()
            .is_some_and(|q| q.contains("__err") || q.contains("__path"));
    let mut response = match (&token, &rules.pages) {
        (Some(token), Some(pages)) if cacheable && surface.is_shopper_page() => {
            pages
                .serve(&rules.state, surface, token, request, next)
                .await
        }
        (Some(token), _) if surface.is_shopper_page() => {
            crate::page_cache::render_loaded(&rules.state, surface, token, request, next).await
        }
        _ => next.run(request).await,
    };
    let label = route.clone().unwrap_or_else(|| "unmatched".into());
    metrics::histogram!("http_request_duration_seconds", "route" => label.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!(
        "http_requests_total",
        "route" => label,
        "status" => response.status().as_u16().to_string()
    )
    .increment(1);
    if surface == Surface::ServerFn && response.status() == StatusCode::INTERNAL_SERVER_ERROR {
        response = bad_requests_are_4xx(response).await;
    }
    if let Some(echo) = echo {
        let sealed = form_errors::location(&response)
            .and_then(|location| form_errors::seal_location(secrets, location, echo, now));
        if let Some(sealed) = sealed {
            response.headers_mut().insert(header::LOCATION, sealed);
        }
    }
    // Who may frame this response: the settings page its preview, the merchant's allowed
    // sites the widget, nobody anything else. Joined to the page's own policy (its scripts,
    // set by `ui::shell`), if it has one.
    let frame_ancestors = if route.as_deref() == Some(PREVIEW_PAGE) {
        "frame-ancestors 'self'".to_owned()
    } else if surface == Surface::EmbedPage || framed_form {
        let db = &rules.state.db;
        let policy = match (token, store) {
            (Some(token), _) => app::ssr::embed::frame_ancestors(db, &token).await,
            (None, Some(store)) => app::ssr::embed::frame_ancestors_of_store(db, &store).await,
            (None, None) => Ok("frame-ancestors 'none'".to_owned()),
        };
        policy.unwrap_or_else(|e| {
            tracing::error!(
                error = format!("{e:#}"),
                "reading the widget's allowed sites"
            );
            "frame-ancestors 'none'".to_owned()
        })
    } else {
        "frame-ancestors 'none'".to_owned()
    };
    let policy = match response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
    {
        Some(page) => format!("{page}; {frame_ancestors}"),
        None => frame_ancestors,
    };
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    if surface.is_shopper_page() {
        // The page's language follows these request headers (`app::i18n::choose`).
        response.headers_mut().append(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
        if let Some(lang) = picked_lang {
            let secure = rules.state.public_url.as_str().starts_with("https://");
            if let Ok(value) = HeaderValue::from_str(&app::ssr::request::lang_cookie(lang, secure))
            {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
    }
    response
}

/// Whether a browser says this request was made by another site's page: its `Origin` is not
/// this host, or `Sec-Fetch-Site` says `cross-site`. Server functions (sign-in included:
/// a forged sign-in would sign a merchant into an attacker's account) take requests from
/// Tracklight's own pages only; the widget posts from its own frame, which is this origin.
/// This origin is the request's `Host`, or the public URL (a proxy may rewrite `Host`).
/// Clients that are not browsers send neither header.
pub(crate) fn cross_site(headers: &axum::http::HeaderMap, public_url: &str) -> bool {
    let value = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(origin) = value(header::ORIGIN) {
        let host = value(header::HOST).unwrap_or_default();
        let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest);
        let ours =
            origin_host.eq_ignore_ascii_case(host) || origin.eq_ignore_ascii_case(public_url);
        return !ours;
    }
    value(header::HeaderName::from_static("sec-fetch-site")) == Some("cross-site")
}

/// How long a photo upload may take: a shopper on a phone network sending a video.
const UPLOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

/// Every request within `limit` (408 past it), except photo uploads, which get
/// [`UPLOAD_TIMEOUT`].
async fn time_limit(
    State(limit): State<std::time::Duration>,
    request: Request,
    next: Next,
) -> Response {
    let upload = request.method() == axum::http::Method::POST
        && request
            .extensions()
            .get::<MatchedPath>()
            .is_some_and(|m| m.as_str() == PHOTOS_PAGE);
    let limit = if upload { UPLOAD_TIMEOUT } else { limit };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

/// A server function's arguments that do not decode (missing, malformed) fail before its
/// body runs, and Leptos answers 500. Such an answer is the client's error: a 400 with the
/// message (an `AppError::Invalid` for the field `request`). Other 500s stay as they are.
async fn bad_requests_are_4xx(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    if matches!(
        serde_json::from_slice::<AppError>(&bytes),
        Ok(AppError::Invalid { ref field, .. }) if field == "request"
    ) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page routes the surface rules name are the ones `app::ui` declares: renaming one
    /// there must not silently turn a shopper's page into a merchant page here.
    #[test]
    fn only_this_sites_pages_may_call_server_functions() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = axum::http::HeaderMap::new();
            for (k, v) in pairs {
                map.insert(*k, HeaderValue::from_static(v));
            }
            map
        };
        let public = "https://track.example";
        let cross = |pairs: &[(&'static str, &'static str)]| cross_site(&headers(pairs), public);
        let host = ("host", "track.example:8443");
        assert!(!cross(&[host]), "not a browser");
        assert!(!cross(&[host, ("origin", "https://track.example:8443")]));
        assert!(
            !cross(&[
                ("host", "127.0.0.1:3000"),
                ("origin", "https://track.example")
            ]),
            "behind a proxy that rewrites Host"
        );
        assert!(cross(&[host, ("origin", "https://evil.example")]));
        assert!(cross(&[host, ("origin", "null")]));
        assert!(cross(&[host, ("sec-fetch-site", "cross-site")]));
        assert!(!cross(&[host, ("sec-fetch-site", "same-origin")]));
    }

    #[test]
    fn the_named_pages_are_routed() {
        let paths: Vec<String> = generate_route_list(App)
            .iter()
            .map(|r| r.path().to_owned())
            .collect();
        for page in [
            SHOPPER_PAGE,
            EMBED_PAGE,
            LOOKUP_PAGE,
            EMBED_LOOKUP_PAGE,
            PREVIEW_PAGE,
        ] {
            assert!(paths.iter().any(|p| p == page), "{page} not in {paths:?}");
        }
    }
}
