//! The shopper's tracking data.

use crate::domain::{AppError, TrackingView};
use leptos::prelude::*;

/// The tracking view for a shopper's token. Unknown and malformed tokens both answer
/// [`AppError::NotFound`], so a probe learns nothing.
#[server(name = TrackingViewFn, prefix = "/api/fn", endpoint = "tracking_view")]
pub async fn tracking_view(token: String) -> Result<TrackingView, AppError> {
    ssr::tracking_view(&token).await.map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::domain::{AppError, TrackingToken, TrackingView};
    use crate::ssr::consent::offer;
    use crate::ssr::{tracking, AppState};
    use leptos::prelude::use_context;

    pub async fn tracking_view(token: &str) -> Result<TrackingView, AppError> {
        let state = use_context::<AppState>()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("AppState missing from context")))?;
        let token = TrackingToken::parse(token).map_err(|_| AppError::NotFound)?;
        let (mut view, shopper) = tracking::load(&state.db, &token)
            .await
            .map_err(AppError::internal)?
            .ok_or(AppError::NotFound)?;
        view.sms_sandbox = state.sms_mode.is_sandbox();
        let path = use_context::<http::request::Parts>().map(|p| p.uri.path().to_owned());
        if path.as_deref().is_some_and(|p| p.starts_with("/embed/")) {
            // The widget in a merchant's page: only their allowed sites may frame it.
            let policy = crate::ssr::embed::frame_ancestors(&state.db, &token)
                .await
                .map_err(AppError::internal)?;
            if let (Some(response), Ok(value)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                http::HeaderValue::from_str(&policy),
            ) {
                response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
            }
        }
        // A page render is a view; the page's Refresh button is not: it reads the page with
        // `fetch`, which browsers mark `Sec-Fetch-Dest: empty` (a page or a frame is
        // `document` or `iframe`).
        let page_view = use_context::<http::request::Parts>().is_some_and(|p| {
            !p.uri.path().starts_with("/api/fn/")
                && p.headers.get("sec-fetch-dest").is_none_or(|d| d != "empty")
        });
        view.consent = offer::offer_to(&state, &shopper, state.consent.lookup_bound, page_view)
            .await
            .map_err(AppError::internal)?;
        Ok(view)
    }
}
