//! The merchant's photos page's server functions (`ssr::media::moderation`): the page,
//! turning "Share a photo" on or off, and each submission's decision. For the signed-in
//! user's own store only; every change carries the session's CSRF token.

use crate::domain::photos::PhotoGridView;
use crate::domain::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    crate::i18n::mt,
    crate::ssr::{
        jobs::{loyalty, reviews},
        media::moderation,
        request::Ctx,
    },
};

#[server(name = GetPhotoGrid, prefix = "/api/fn", endpoint = "photos")]
pub async fn photo_grid() -> Result<PhotoGridView, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.signed_in().await?;
    ctx.answer(moderation::page(&ctx.state, &session).await)
}

/// `enabled` is the checkbox: present when ticked.
#[server(name = SavePhotos, prefix = "/api/fn", endpoint = "photos_settings")]
pub async fn save_photos(csrf: String, enabled: Option<String>) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    let on = enabled.is_some();
    let result = moderation::set_enabled(&ctx.state, session.merchant_id.as_str(), on)
        .await
        .map(|()| {
            mt(if on {
                "done-photos-on"
            } else {
                "done-photos-off"
            })
        });
    ctx.answer(result)
}

/// `decision`: `approve`, `reject`, `retry` (a failed import) or `retry-points` (its failed
/// loyalty points).
#[server(name = ModeratePhoto, prefix = "/api/fn", endpoint = "photos_moderate")]
pub async fn moderate_photo(
    csrf: String,
    id: String,
    decision: String,
) -> Result<String, AppError> {
    let ctx = Ctx::new()?;
    let session = ctx.authorized(&csrf).await?;
    let merchant = session.merchant_id.as_str();
    let id = id.trim();
    let result = match decision.as_str() {
        "approve" | "reject" => {
            let approve = decision == "approve";
            moderation::decide(&ctx.state, merchant, id, approve)
                .await
                .and_then(|done| match (done, approve) {
                    (true, true) => Ok(mt("done-photo-approved")),
                    (true, false) => Ok(mt("done-photo-rejected")),
                    (false, _) => Err(AppError::NotFound),
                })
        }
        "retry-points" => loyalty::retry_failed_photo(&ctx.state, merchant, id)
            .await
            .map_err(AppError::internal)
            .and_then(|queued| {
                if queued {
                    Ok(mt("done-points-queued"))
                } else {
                    Err(AppError::NotFound)
                }
            }),
        "retry" => reviews::retry_failed(&ctx.state, merchant, id)
            .await
            .map_err(AppError::internal)
            .and_then(|queued| {
                if queued {
                    Ok(mt("done-photo-import-queued"))
                } else {
                    Err(AppError::NotFound)
                }
            }),
        _ => Err(AppError::Invalid {
            field: "decision".into(),
            message: "must be approve, reject, retry or retry-points".into(),
        }),
    };
    ctx.answer(result)
}
