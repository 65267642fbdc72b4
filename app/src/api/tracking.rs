//! The shopper's tracking data: a thin adapter over `ssr::tracking`.

use crate::domain::{AppError, TrackingView};
#[cfg(feature = "ssr")]
use crate::ssr::{request::Ctx, tracking};
use leptos::prelude::*;

/// The tracking view for a shopper's token. Unknown and malformed tokens both answer
/// [`AppError::NotFound`], so a probe learns nothing.
#[server(name = TrackingViewFn, prefix = "/api/fn", endpoint = "tracking_view")]
pub async fn tracking_view(token: String) -> Result<TrackingView, AppError> {
    let ctx = Ctx::new()?;
    // A page render is a view; the page's Refresh button is not: it calls this server
    // function with `fetch`, which browsers mark `Sec-Fetch-Dest: empty`.
    let page_view = ctx.surface().is_shopper_page()
        && ctx
            .header(http::header::HeaderName::from_static("sec-fetch-dest"))
            .is_none_or(|d| d != "empty");
    ctx.answer(tracking::view(&ctx.state, &token, page_view).await)
}
