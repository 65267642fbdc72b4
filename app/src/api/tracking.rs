//! The shopper's tracking data.

use crate::domain::{AppError, TrackingView};
use leptos::prelude::*;

/// The tracking view for a shopper's token. Unknown and malformed tokens both answer
/// [`AppError::NotFound`], so a probe learns nothing.
#[server(name = TrackingViewFn, prefix = "/api/fn", endpoint = "tracking_view")]
pub async fn tracking_view(token: String) -> Result<TrackingView, AppError> {
    use crate::domain::TrackingToken;
    use crate::ssr::{tracking, AppState};

    let state = use_context::<AppState>()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("AppState missing from context")))?;
    let token = TrackingToken::parse(&token).map_err(|_| AppError::NotFound)?;
    tracking::load(&state.db, &token)
        .await
        .map_err(AppError::internal)?
        .ok_or(AppError::NotFound)
}
