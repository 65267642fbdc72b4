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
    ctx.answer(tracking::view(&ctx.state, &token, ctx.is_page_view(), &ctx.lang_prefs()).await)
}
