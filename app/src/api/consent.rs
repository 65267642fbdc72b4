//! The SMS consent block's server functions.
//!
//! `sms_subscribe` takes the consent form: as a plain HTML form post (no WebAssembly; the
//! answer is a redirect back to the page, errors in its query string) or from the hydrated
//! page without a reload. Arguments are plain strings, re-validated on the server.
//! `sms_status` lets a hydrated page ask again when the provider was slow at render time.

use crate::domain::{AppError, ConsentOffer, SubscribeOutcome};
use leptos::prelude::*;

#[server(name = SubscribeSms, prefix = "/api/fn", endpoint = "sms_subscribe")]
pub async fn sms_subscribe(
    token: String,
    phone: String,
    country: String,
    /// The checkbox; absent when not ticked.
    consent: Option<String>,
    key: String,
    disclosure: String,
    page_url: Option<String>,
) -> Result<SubscribeOutcome, AppError> {
    let form = crate::ssr::consent::submit::Submission {
        token,
        phone,
        country,
        consent,
        idempotency_key: key,
        disclosure_sha256: disclosure,
        page_url,
    };
    ssr::subscribe(form).await.map_err(AppError::respond)
}

#[server(name = SmsStatus, prefix = "/api/fn", endpoint = "sms_status")]
pub async fn sms_status(token: String) -> Result<Option<ConsentOffer>, AppError> {
    ssr::status(&token).await.map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::domain::{AppError, ConsentOffer, SubscribeOutcome, TrackingToken};
    use crate::ssr::consent::offer;
    use crate::ssr::consent::submit::{self, RequestMeta, Submission};
    use crate::ssr::request::{client_ip, header_value, headers, state};
    use std::time::Duration;

    /// A hydrated page asking again may wait longer than a page render.
    const STATUS_BOUND: Duration = Duration::from_secs(5);

    pub async fn subscribe(form: Submission) -> Result<SubscribeOutcome, AppError> {
        let state = state()?;
        let headers = headers().await?;
        let meta = RequestMeta {
            ip: client_ip(&state, &headers).await,
            user_agent: header_value(&headers, http::header::USER_AGENT),
            referer: header_value(&headers, http::header::REFERER),
        };
        submit::submit(&state, &form, &meta).await
    }

    pub async fn status(token: &str) -> Result<Option<ConsentOffer>, AppError> {
        let state = state()?;
        let token = TrackingToken::parse(token).map_err(|_| AppError::NotFound)?;
        offer::offer(&state, &token, STATUS_BOUND, false)
            .await
            .map_err(AppError::internal)
    }
}
