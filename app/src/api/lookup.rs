//! The order look-up: thin adapters over `ssr::order_lookup`. The form is a plain HTML post
//! (it works without JavaScript, inside the widget's frame too); a match redirects to the
//! order's tracking page, a refusal comes back to the look-up page with its message.

use crate::domain::{AppError, LookupPageView};
#[cfg(feature = "ssr")]
use crate::ssr::{order_lookup, request::Ctx};
use leptos::prelude::*;

/// The look-up page of a store; unknown stores are [`AppError::NotFound`].
#[server(name = LookupPageFn, prefix = "/api/fn", endpoint = "lookup_page")]
pub async fn lookup_page(store: String) -> Result<LookupPageView, AppError> {
    let ctx = Ctx::new()?;
    ctx.answer(order_lookup::page(&ctx.state, &store, &ctx.lang_prefs()).await)
}

/// Finds the order `order` of `store` by its email or postcode (`proof`) and opens its
/// tracking page: `/t/{token}`, or in the widget (`embed`) `/embed/t/{token}`, keeping the
/// host page's origin (`host`, for the frame's height messages) and address (`page`, for
/// the proof of consent).
#[server(name = OrderLookup, prefix = "/api/fn", endpoint = "order_lookup")]
pub async fn order_lookup(
    store: String,
    order: String,
    proof: String,
    embed: Option<String>,
    host: Option<String>,
    page: Option<String>,
    lang: Option<String>,
) -> Result<(), AppError> {
    let ctx = Ctx::new()?;
    let token = ctx.answer(
        order_lookup::find(
            &ctx.state,
            ctx.client_ip(),
            &store,
            &order,
            &proof,
            lang.as_deref(),
        )
        .await,
    )?;
    // The tracking page speaks the language the look-up was in.
    let lang = lang
        .and_then(|l| crate::i18n::Lang::parse(&l))
        .map(crate::i18n::Lang::tag);
    let target = if embed.is_some() {
        let mut url = reqwest::Url::parse("http://widget.invalid/embed/t/")
            .and_then(|base| base.join(token.as_str()))
            .map_err(|e| AppError::internal(e.into()))?;
        {
            let mut query = url.query_pairs_mut();
            if let Some(host) = host.and_then(|h| crate::ssr::embed::parse_origin(&h).ok()) {
                query.append_pair("host", &host);
            }
            if let Some(page) = page.filter(|p| p.starts_with("http")) {
                query.append_pair("page", &page.chars().take(2000).collect::<String>());
            }
            if let Some(lang) = &lang {
                query.append_pair("lang", lang);
            }
        }
        match url.query().filter(|q| !q.is_empty()) {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    } else {
        match &lang {
            Some(lang) => format!("/t/{}?lang={lang}", token.as_str()),
            None => format!("/t/{}", token.as_str()),
        }
    };
    ctx.redirect(&target);
    Ok(())
}
