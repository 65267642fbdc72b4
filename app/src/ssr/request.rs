//! What server functions take from their HTTP request and give to their response, in one
//! place: [`Ctx`] (the state, the signed-in merchant, the client's address, cookies,
//! redirects) and [`Surface`], the kind of request the router decided this is.
//!
//! Server functions are thin adapters: `Ctx::new()`, one of its session checks, a call into
//! a service, and [`Ctx::answer`] for the result. Services never read Leptos context.

use super::accounts::{self, Session, SESSION_COOKIE, SESSION_TTL};
use super::AppState;
use crate::domain::AppError;
use axum::extract::ConnectInfo;
use http::request::Parts;
use http::{header, HeaderMap};
use leptos::prelude::use_context;
use std::net::{IpAddr, SocketAddr};

/// What kind of request this is. The router decides it once, by route, and puts it in the
/// request's extensions (`server::routes`); everything that behaves differently for pages,
/// the widget and server functions reads it here instead of looking at the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// A server function called by script: errors come back as JSON with their status.
    ServerFn,
    /// A server function posted by a plain HTML form (no WebAssembly yet): Leptos answers
    /// with a redirect back to the page, the error in its query string, so no status is set.
    FormPost,
    /// A shopper's tracking page, `/t/{token}`.
    ShopperPage,
    /// The widget framed in a merchant's site, `/embed/t/{token}`.
    EmbedPage,
    /// A shopper's page about their order that is not the tracking page itself
    /// (`/t/{token}/photos`): in the shopper's language, with the widget, but neither cached
    /// nor counted as a page view.
    ShopperForm,
    /// Any other page (merchant pages, sign-in, not found).
    Page,
}

impl Surface {
    /// Shoppers' pages load the small widget bundle and count as page views.
    pub fn is_shopper_page(self) -> bool {
        matches!(self, Self::ShopperPage | Self::EmbedPage)
    }

    /// A page for shoppers: in their language, enhanced by the widget (not the merchant
    /// pages' islands).
    pub fn is_for_shoppers(self) -> bool {
        self.is_shopper_page() || self == Self::ShopperForm
    }

    pub fn is_page(self) -> bool {
        matches!(
            self,
            Self::ShopperPage | Self::EmbedPage | Self::ShopperForm | Self::Page
        )
    }

    /// The surface of the request being rendered or answered, from Leptos context
    /// (`ServerFn` outside a request, e.g. a direct call in a test).
    pub fn current() -> Self {
        use_context::<Parts>()
            .and_then(|p| p.extensions.get::<Self>().copied())
            .unwrap_or(Self::ServerFn)
    }
}

/// What a refused plain form post sent back to its page (the router reads it from the
/// sealed error in the page's URL: `server::form_errors`), to fill the form in again.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FormEcho {
    pub phone: Option<String>,
    pub country: Option<String>,
    /// The order number of a refused look-up (never the email or postcode typed with it).
    #[serde(default)]
    pub order: Option<String>,
}

impl FormEcho {
    /// The echo of the request being rendered, if any.
    pub fn current() -> Option<Self> {
        use_context::<Parts>().and_then(|p| p.extensions.get::<Self>().cloned())
    }
}

/// A server function's view of its request.
pub struct Ctx {
    pub state: AppState,
    parts: Option<Parts>,
}

impl Ctx {
    pub fn new() -> Result<Self, AppError> {
        let state = use_context::<AppState>()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("AppState missing from context")))?;
        Ok(Self {
            state,
            parts: use_context::<Parts>(),
        })
    }

    pub fn surface(&self) -> Surface {
        self.parts
            .as_ref()
            .and_then(|p| p.extensions.get::<Surface>().copied())
            .unwrap_or(Surface::ServerFn)
    }

    /// Whether this request is a shopper's page being viewed ([`is_page_view`]).
    pub fn is_page_view(&self) -> bool {
        self.headers()
            .is_some_and(|headers| is_page_view(self.surface(), headers))
    }

    pub fn headers(&self) -> Option<&HeaderMap> {
        self.parts.as_ref().map(|p| &p.headers)
    }

    /// What the request says about the shopper's language ([`lang_prefs`]).
    pub fn lang_prefs(&self) -> crate::i18n::LangPrefs {
        self.parts
            .as_ref()
            .map(|p| lang_prefs(&p.headers, &p.uri))
            .unwrap_or_default()
    }

    pub fn header(&self, name: header::HeaderName) -> Option<String> {
        self.headers().and_then(|h| header_value(h, name))
    }

    /// The shopper's or merchant's address: the TCP peer, or what trusted proxies say.
    pub fn client_ip(&self) -> Option<IpAddr> {
        let parts = self.parts.as_ref()?;
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| peer.ip());
        client_ip(&self.state, &parts.headers, peer)
    }

    /// The signed-in user, if any.
    pub async fn session(&self) -> Result<Option<Session>, AppError> {
        match self.headers() {
            Some(headers) => session_from(&self.state, headers)
                .await
                .map_err(|e| self.fail(e)),
            None => Ok(None),
        }
    }

    /// A merchant page or read: the signed-in user. A page for a stranger sends them to the
    /// sign-in page.
    pub async fn signed_in(&self) -> Result<Session, AppError> {
        self.session()
            .await?
            .ok_or_else(|| self.fail(AppError::Unauthorized))
    }

    /// A change: the signed-in user, and the request carries the session's CSRF token.
    pub async fn authorized(&self, csrf: &str) -> Result<Session, AppError> {
        let session = self.signed_in().await?;
        if !accounts::csrf_matches(&session, csrf) {
            return Err(self.fail(AppError::invalid(
                "form",
                "This page is out of date. Reload it and try again.",
            )));
        }
        Ok(session)
    }

    /// The raw session cookie, to end the session.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers().and_then(session_token)
    }

    pub fn set_session_cookie(&self, token: &str) {
        self.set_cookie(token, time::Duration::seconds(SESSION_TTL.as_secs() as i64));
    }

    pub fn clear_session_cookie(&self) {
        self.set_cookie("", time::Duration::ZERO);
    }

    fn set_cookie(&self, value: &str, max_age: time::Duration) {
        let cookie = cookie::Cookie::build((SESSION_COOKIE, value.to_owned()))
            .path("/")
            .http_only(true)
            .same_site(cookie::SameSite::Lax)
            .secure(self.state.public_url.as_str().starts_with("https://"))
            .max_age(max_age)
            .build();
        if let (Some(response), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            header::HeaderValue::from_str(&cookie.to_string()),
        ) {
            response.append_header(header::SET_COOKIE, value);
        }
    }

    pub fn redirect(&self, path: &str) {
        leptos_axum::redirect(path);
    }

    /// A service's result, its error answered as [`Ctx::fail`] does.
    pub fn answer<T>(&self, result: Result<T, AppError>) -> Result<T, AppError> {
        result.map_err(|e| self.fail(e))
    }

    /// Prepares the response for `err`, by surface: a server function called by script gets
    /// the error's status (a 404 is a 404, not a 500); a plain form post is left to Leptos's
    /// redirect back to the page; a page for a stranger redirects to the sign-in page.
    pub fn fail(&self, err: AppError) -> AppError {
        match (self.surface(), &err) {
            (Surface::FormPost, _) => {}
            (surface, AppError::Unauthorized) if surface.is_page() => self.redirect("/signin"),
            _ => {
                if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                    response.set_status(err.status());
                }
            }
        }
        err
    }
}

/// Whether a request on `surface` with these headers is a shopper's page being viewed (it
/// counts towards the merchant's sign-up rate): a page or the widget, loaded as a document.
/// The page's Refresh reads it again with `fetch`, which browsers mark `Sec-Fetch-Dest: empty`.
pub fn is_page_view(surface: Surface, headers: &HeaderMap) -> bool {
    surface.is_shopper_page()
        && headers
            .get("sec-fetch-dest")
            .is_none_or(|dest| dest.as_bytes() != b"empty")
}

pub fn header_value(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The client's address: the TCP `peer`, or what the operator's trusted proxies say
/// (`ssr::client_ip`).
pub fn client_ip(state: &AppState, headers: &HeaderMap, peer: Option<IpAddr>) -> Option<IpAddr> {
    let forwarded = header_value(headers, header::HeaderName::from_static("x-forwarded-for"));
    state
        .consent
        .trusted_proxies
        .client(peer, forwarded.as_deref())
}

/// The session cookie's token in request headers.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, SESSION_COOKIE)
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A query parameter of `uri`, decoded.
pub fn query_param(uri: &http::Uri, name: &str) -> Option<String> {
    form_urlencoded::parse(uri.query()?.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// The shopper's pick from a page's language switcher (`?lang=…&pick=1`), to remember.
pub fn picked_lang(uri: &http::Uri) -> Option<crate::i18n::Lang> {
    (query_param(uri, "pick").as_deref() == Some("1"))
        .then(|| query_param(uri, "lang"))
        .flatten()
        .and_then(|tag| crate::i18n::Lang::parse(&tag))
}

/// The `Set-Cookie` that remembers a language pick for a year.
pub fn lang_cookie(lang: crate::i18n::Lang, secure: bool) -> String {
    cookie::Cookie::build((crate::i18n::LANG_COOKIE, lang.tag()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::days(365))
        .build()
        .to_string()
}

/// What a request says about the shopper's language: `?lang=`, the switcher's cookie,
/// `Accept-Language`.
pub fn lang_prefs(headers: &HeaderMap, uri: &http::Uri) -> crate::i18n::LangPrefs {
    crate::i18n::LangPrefs {
        // The widget's own `?lang=`, else its host page's (a merchant's email can link to the
        // page that embeds it).
        query: query_param(uri, "lang").or_else(|| {
            let page = query_param(uri, "page")?;
            let query = page.split('#').next()?.split_once('?')?.1;
            form_urlencoded::parse(query.as_bytes())
                .find(|(key, _)| key == "lang")
                .map(|(_, value)| value.into_owned())
        }),
        picked: cookie_value(headers, crate::i18n::LANG_COOKIE),
        accept_language: header_value(headers, header::ACCEPT_LANGUAGE),
    }
}

/// The live session of the request with these headers, if any (server functions and plain
/// axum handlers such as downloads share it).
pub async fn session_from(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Session>, AppError> {
    let Some(token) = session_token(headers) else {
        return Ok(None);
    };
    accounts::session(&state.db, &token, state.clock.now_ms())
        .await
        .map_err(AppError::internal)
}
