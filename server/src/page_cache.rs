//! The shopper pages' cache (`/t/{token}`, `/embed/t/{token}`): a rendered page, kept
//! compressed, for everyone who opens the link while the shipment looks the same.
//!
//! Every view still reads the tracking view (the shipment, its checkpoints and brand, and the
//! consent offer from the provider look-up cache): what a hit saves is what comes after it,
//! rendering the HTML and compressing it, most of a page view's cost (BENCHMARKS.md §1). A
//! copy is found by a digest of everything its HTML is made of: the tracking view (its
//! consent offer and texts included), whether it is the widget, and the host page the widget
//! records. So a change anywhere shows at once, on every instance: nothing to invalidate.
//! What differs per request stays out of the HTML: shoppers' pages allow their scripts by
//! hash, not by a nonce (`app::ui::scripts`), and the consent form's key is per copy, a
//! consent being one per key and phone (`app::ssr::consent::submit`).
//!
//! Every answer carries an `ETag`; a conditional request for an unchanged page gets 304.

use app::domain::{OfferForm, TrackingToken, TrackingView};
use app::ssr::request::{is_page_view, Surface};
use app::ssr::tracking::{self, Loaded};
use app::ssr::AppState;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// The largest page read back (a page is about 20 KB; 20 parcels of 100 checkpoints, about 1 MB).
const MAX_PAGE: usize = 8 * 1024 * 1024;

/// How long a copy is kept unless asked for again, and at most: well under the day in which
/// a shopper's own consent shows on their page (after it, the page can look as it did before
/// the consent, and that old copy's form key was used already).
const TIME_TO_IDLE: Duration = Duration::from_secs(10 * 60);
const TIME_TO_LIVE: Duration = Duration::from_secs(60 * 60);

/// Browsers keep the page but ask whether it changed before showing it again; no shared
/// cache keeps it (it names the shopper's first name and city).
const CACHE_CONTROL: &str = "private, no-cache";

#[derive(Clone)]
pub struct PageCache {
    pages: moka::future::Cache<[u8; 32], Arc<Page>>,
}

/// One rendered page: its headers (type, script policy) and its body in each encoding.
struct Page {
    etag: HeaderValue,
    headers: HeaderMap,
    identity: Bytes,
    gzip: Bytes,
    br: Bytes,
}

impl Page {
    fn weight(&self) -> u32 {
        (self.identity.len() + self.gzip.len() + self.br.len())
            .try_into()
            .unwrap_or(u32::MAX)
    }
}

/// Renders a shopper's page for `token` (not from the cache) with its view read here, so the
/// page renders at once instead of waiting for it inside Leptos (see `TrackingPage`).
pub async fn render_loaded(
    state: &AppState,
    surface: Surface,
    token: &TrackingToken,
    mut request: Request,
    next: Next,
) -> Response {
    let page_view = is_page_view(surface, request.headers());
    let prefs = app::ssr::request::lang_prefs(request.headers(), request.uri());
    let loaded = tracking::view(state, token.as_str(), page_view, &prefs).await;
    request
        .extensions_mut()
        .insert(Loaded(loaded.map(Arc::new)));
    next.run(request).await
}

impl PageCache {
    /// A cache of at most `max_bytes` of pages.
    pub fn new(max_bytes: u64) -> Self {
        Self {
            pages: moka::future::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|_, page: &Arc<Page>| page.weight())
                .time_to_idle(TIME_TO_IDLE)
                .time_to_live(TIME_TO_LIVE)
                .build(),
        }
    }

    /// Answers a GET of a shopper's page for `token`: from the cache, or rendered by `next`
    /// (Leptos) with the view read here, then kept.
    pub async fn serve(
        &self,
        state: &AppState,
        surface: Surface,
        token: &TrackingToken,
        mut request: Request,
        next: Next,
    ) -> Response {
        let page_view = is_page_view(surface, request.headers());
        let prefs = app::ssr::request::lang_prefs(request.headers(), request.uri());
        let mut view = match tracking::view(state, token.as_str(), page_view, &prefs).await {
            Ok(view) => view,
            // Not found, or failing: the page says so (at once, like a found one).
            Err(e) => {
                request.extensions_mut().insert(Loaded(Err(e)));
                return next.run(request).await;
            }
        };
        let host_page = (surface == Surface::EmbedPage)
            .then(|| query_param(&request, "page"))
            .flatten();
        let Some(key) = digest(token, &mut view, surface, host_page.as_deref()) else {
            request.extensions_mut().insert(Loaded(Ok(Arc::new(view))));
            return next.run(request).await;
        };
        let encoding = Encoding::accepted(request.headers());
        if let Some(page) = self.pages.get(&key).await {
            metrics::counter!("page_cache_total", "outcome" => "hit").increment(1);
            return answer(&page, encoding, request.headers());
        }
        metrics::counter!("page_cache_total", "outcome" => "miss").increment(1);
        let conditional = request.headers().get(header::IF_NONE_MATCH).cloned();
        request.extensions_mut().insert(Loaded(Ok(Arc::new(view))));
        let response = next.run(request).await;
        if response.status() != StatusCode::OK
            || response.headers().contains_key(header::SET_COOKIE)
            || response.headers().contains_key(header::CONTENT_ENCODING)
        {
            return response;
        }
        let (parts, body) = response.into_parts();
        let body = match axum::body::to_bytes(body, MAX_PAGE).await {
            Ok(body) => body,
            Err(e) => {
                tracing::error!(error = %e, "reading a rendered page");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        };
        // Compressing is CPU work: off the threads that serve requests.
        let page = match tokio::task::spawn_blocking(move || Page::new(parts.headers, body)).await {
            Ok(Ok(page)) => Arc::new(page),
            Ok(Err(e)) => {
                tracing::error!(error = format!("{e:#}"), "compressing a rendered page");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
            Err(e) => {
                tracing::error!(error = %e, "compressing a rendered page");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        };
        self.pages.insert(key, page.clone()).await;
        let mut headers = HeaderMap::new();
        if let Some(conditional) = conditional {
            headers.insert(header::IF_NONE_MATCH, conditional);
        }
        answer(&page, encoding, &headers)
    }
}

impl Page {
    fn new(mut headers: HeaderMap, identity: Bytes) -> anyhow::Result<Self> {
        headers.remove(header::CONTENT_LENGTH);
        headers.remove(header::TRANSFER_ENCODING);
        let etag = format!("W/\"{}\"", &hex::encode(Sha256::digest(&identity))[..32]);
        // Default levels: within a few percent of the best, in a fraction of the time (a copy
        // is compressed once, while its first viewer waits; and a host page's address in the
        // widget's link makes a new copy, so misses can be asked for).
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gzip.write_all(&identity)?;
        let gzip = gzip.finish()?;
        let mut br = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut br, 4096, 6, 20);
            writer.write_all(&identity)?;
        }
        Ok(Self {
            etag: HeaderValue::from_str(&etag)?,
            headers,
            identity,
            gzip: gzip.into(),
            br: br.into(),
        })
    }
}

/// The copy of the page this view of `token`, on this surface, renders to (none when the view
/// cannot be written out: then it is not cached).
fn digest(
    token: &TrackingToken,
    view: &mut TrackingView,
    surface: Surface,
    host_page: Option<&str>,
) -> Option<[u8; 32]> {
    // The form's key is made afresh for each copy, not part of what the copy shows: left out
    // while the view is written, then put back (the view renders the copy on a miss).
    let form = match view.consent.as_mut().map(|offer| &mut offer.form) {
        Some(OfferForm::Checkbox(form)) => Some(form),
        _ => None,
    };
    let key = form.map(|form| std::mem::take(&mut form.idempotency_key));
    let json = serde_json::to_vec(&*view);
    if let (Some(key), Some(OfferForm::Checkbox(form))) =
        (key, view.consent.as_mut().map(|offer| &mut offer.form))
    {
        form.idempotency_key = key;
    }
    let json = json.ok()?;
    let mut hasher = Sha256::new();
    // The page holds its token (links, the form); two shipments never share a copy.
    hasher.update(token.as_str().as_bytes());
    hasher.update(b"\0");
    hasher.update(if surface == Surface::EmbedPage {
        b"embed\0"
    } else {
        b"page\0\0"
    });
    hasher.update(host_page.unwrap_or_default().as_bytes());
    hasher.update(b"\0");
    // The view's JSON holds every value it renders from (serde writes fields in order).
    hasher.update(json);
    Some(hasher.finalize().into())
}

fn query_param(request: &Request, name: &str) -> Option<String> {
    app::ssr::request::query_param(request.uri(), name)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Br,
    Gzip,
    Identity,
}

impl Encoding {
    /// The best encoding the request accepts (`q=0` refuses one).
    fn accepted(headers: &HeaderMap) -> Self {
        let mut br = false;
        let mut gzip = false;
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            for item in value.to_str().unwrap_or_default().split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or_default().trim();
                let refused = parts.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                if refused {
                    continue;
                }
                match name.to_ascii_lowercase().as_str() {
                    "br" => br = true,
                    "gzip" | "x-gzip" => gzip = true,
                    "*" => {
                        br = true;
                        gzip = true;
                    }
                    _ => {}
                }
            }
        }
        match (br, gzip) {
            (true, _) => Self::Br,
            (false, true) => Self::Gzip,
            _ => Self::Identity,
        }
    }
}

/// The page in `encoding`, or 304 when the request already has this copy.
fn answer(page: &Page, encoding: Encoding, request: &HeaderMap) -> Response {
    let unchanged = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || weak(tag) == weak(page.etag.to_str().unwrap_or_default()));
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let (body, name) = match encoding {
            Encoding::Br => (page.br.clone(), Some("br")),
            Encoding::Gzip => (page.gzip.clone(), Some("gzip")),
            Encoding::Identity => (page.identity.clone(), None),
        };
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = page.headers.clone();
        if let Some(name) = name {
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
        }
        response
    };
    let headers = response.headers_mut();
    if unchanged {
        // A 304 carries what a 200 would have said about caching and the policy.
        if let Some(policy) = page.headers.get(header::CONTENT_SECURITY_POLICY) {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy.clone());
        }
    }
    headers.insert(header::ETAG, page.etag.clone());
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    response
}

/// An entity tag without its weak marker: If-None-Match compares weakly.
fn weak(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn the_best_accepted_encoding_is_chosen() {
        assert_eq!(
            Encoding::accepted(&accepting("gzip, deflate, br, zstd")),
            Encoding::Br
        );
        assert_eq!(Encoding::accepted(&accepting("gzip")), Encoding::Gzip);
        assert_eq!(
            Encoding::accepted(&accepting("br;q=0, gzip;q=0.5")),
            Encoding::Gzip
        );
        assert_eq!(
            Encoding::accepted(&accepting("identity")),
            Encoding::Identity
        );
        assert_eq!(Encoding::accepted(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn an_unchanged_copy_is_a_304_with_its_tag() {
        let page = Page::new(HeaderMap::new(), Bytes::from_static(b"<p>hello</p>")).unwrap();
        let tag = page.etag.to_str().unwrap().to_owned();
        let mut asked = accepting("gzip");
        asked.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&tag).unwrap());
        let response = answer(&page, Encoding::Gzip, &asked);
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(response.headers()[header::ETAG], tag.as_str());
        // Strong or weak, the same copy.
        asked.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"x\", {}", weak(&tag))).unwrap(),
        );
        assert_eq!(
            answer(&page, Encoding::Gzip, &asked).status(),
            StatusCode::NOT_MODIFIED
        );
        asked.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("W/\"other\""),
        );
        let response = answer(&page, Encoding::Gzip, &asked);
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    }
}
