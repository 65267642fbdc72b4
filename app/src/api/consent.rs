//! The SMS consent block's server functions: thin adapters over `ssr::consent`.
//!
//! `sms_subscribe` takes the consent form: as a plain HTML form post (no WebAssembly; the
//! answer is a redirect back to the page, errors in its query string) or from the hydrated
//! page without a reload. Arguments are plain strings, re-validated on the server.
//! `sms_status` lets a hydrated page ask again when the provider was slow at render time.

// A form's fields are a server function's arguments (so it posts without WebAssembly), and
// the consent form has eight of them.
#![allow(clippy::too_many_arguments)]

use crate::domain::{AppError, ConsentOffer, SubscribeOutcome};
#[cfg(feature = "ssr")]
use crate::ssr::{
    consent::{offer, submit},
    request::Ctx,
};
use leptos::prelude::*;

#[server(name = SubscribeSms, prefix = "/api/fn", endpoint = "sms_subscribe")]
pub async fn sms_subscribe(
    token: String,
    phone: String,
    /// `order`: the number on the order, unless one is typed.
    phone_choice: Option<String>,
    country: String,
    /// The checkbox; absent when not ticked.
    consent: Option<String>,
    key: String,
    disclosure: String,
    page_url: Option<String>,
    lang: Option<String>,
) -> Result<SubscribeOutcome, AppError> {
    let ctx = Ctx::new()?;
    let form = submit::Submission {
        token,
        phone,
        phone_choice,
        country,
        consent,
        idempotency_key: key,
        disclosure_sha256: disclosure,
        page_url,
        lang,
    };
    let meta = submit::RequestMeta {
        ip: ctx.client_ip(),
        user_agent: ctx.header(http::header::USER_AGENT),
        referer: ctx.header(http::header::REFERER),
    };
    ctx.answer(submit::submit(&ctx.state, &form, &meta).await)
}

#[server(name = SmsStatus, prefix = "/api/fn", endpoint = "sms_status")]
pub async fn sms_status(token: String) -> Result<Option<ConsentOffer>, AppError> {
    let ctx = Ctx::new()?;
    ctx.answer(offer::status(&ctx.state, &token).await)
}
