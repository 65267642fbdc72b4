//! What server functions read from the HTTP request (the client's IP, the session cookie)
//! and write to the response (the session cookie). One place, so every server function
//! treats them alike.

use super::accounts::{self, Session, SESSION_COOKIE, SESSION_TTL};
use super::AppState;
use crate::domain::AppError;
use axum::extract::ConnectInfo;
use http::{header, HeaderMap};
use leptos::prelude::use_context;
use std::net::{IpAddr, SocketAddr};

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("AppState missing from context")))
}

pub async fn headers() -> Result<HeaderMap, AppError> {
    leptos_axum::extract::<HeaderMap>()
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("reading request headers: {e}")))
}

pub fn header_value(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The client's address: the TCP peer, or the first `X-Forwarded-For` hop when the
/// operator says a proxy sets it.
pub async fn client_ip(state: &AppState, headers: &HeaderMap) -> Option<IpAddr> {
    let forwarded = state
        .consent
        .trust_forwarded_for
        .then(|| header_value(headers, header::HeaderName::from_static("x-forwarded-for")))
        .flatten()
        .and_then(|v| v.split(',').next()?.trim().parse::<IpAddr>().ok());
    if forwarded.is_some() {
        return forwarded;
    }
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .ok()
        .map(|ConnectInfo(peer)| peer.ip())
}

/// The session cookie's token in request headers.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_owned())
}

/// The signed-in user, if any.
pub async fn session(state: &AppState) -> Result<Option<Session>, AppError> {
    let headers = headers().await?;
    let Some(token) = session_token(&headers) else {
        return Ok(None);
    };
    accounts::session(&state.db, &token, state.clock.now_ms())
        .await
        .map_err(AppError::internal)
}

/// The signed-in user, for a request that changes something: it must carry the session's
/// CSRF token.
pub async fn require_session(state: &AppState, csrf: &str) -> Result<Session, AppError> {
    let session = session(state).await?.ok_or(AppError::Unauthorized)?;
    if !accounts::csrf_matches(&session, csrf) {
        return Err(AppError::invalid(
            "form",
            "This page is out of date. Reload it and try again.",
        ));
    }
    Ok(session)
}

/// The raw cookie token, to end the session.
pub async fn session_cookie() -> Result<Option<String>, AppError> {
    Ok(session_token(&headers().await?))
}

fn set_cookie(state: &AppState, value: &str, max_age: time::Duration) {
    let cookie = cookie::Cookie::build((SESSION_COOKIE, value.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(state.public_url.as_str().starts_with("https://"))
        .max_age(max_age)
        .build();
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        header::HeaderValue::from_str(&cookie.to_string()),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
}

pub fn set_session_cookie(state: &AppState, token: &str) {
    set_cookie(
        state,
        token,
        time::Duration::seconds(SESSION_TTL.as_secs() as i64),
    );
}

pub fn clear_session_cookie(state: &AppState) {
    set_cookie(state, "", time::Duration::ZERO);
}
