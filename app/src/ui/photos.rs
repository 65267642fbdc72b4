//! "Share a photo of your order" on a delivered order's tracking page: a plain multipart
//! form (it works without JavaScript; the shopper widget sends it in the background with
//! upload progress), and the page a plain post lands on, `/t/{token}/photos`, which says
//! what happened. That page shows a message chosen by a code from a fixed list
//! ([`Refusal::from_code`]): no text from the URL ever reaches it.

use super::NotFound;
use crate::api::tracking_view;
use crate::domain::photos::Refusal;
use crate::domain::{AppError, PhotoOffer};
use crate::i18n::{Arg, Lang};
use leptos::prelude::*;
use leptos_meta::{Html, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// Every number a photo message may name, for any of them.
fn limit_args(offer: &PhotoOffer) -> [(&'static str, Arg); 6] {
    [
        ("image_mb", Arg::from(offer.image_mb as usize)),
        ("video_mb", Arg::from(offer.video_mb as usize)),
        ("seconds", Arg::from(offer.video_seconds as usize)),
        ("count", Arg::from(offer.files as usize)),
        ("megapixels", Arg::from(offer.megapixels as usize)),
        ("percent", Arg::from("{percent}")),
    ]
}

/// A refusal's message, with the limits it names.
pub fn refusal_message(lang: Lang, refusal: Refusal, offer: &PhotoOffer) -> String {
    let mut args = limit_args(offer).to_vec();
    if refusal == Refusal::Caption {
        args.retain(|(name, _)| *name != "count");
        args.push(("count", Arg::from(offer.caption_chars as usize)));
    }
    lang.t_with(refusal.message_id(), &args)
}

/// The section with the upload form.
#[component]
pub fn PhotoForm(
    offer: PhotoOffer,
    lang: Lang,
    token: String,
    brand: String,
    /// In the merchant's frame: the plain post's answer links back to the embed.
    #[prop(optional)]
    embed: bool,
    /// The files were refused: the message (`#photos-refusal`) describes the file field.
    #[prop(optional)]
    refused: bool,
) -> impl IntoView {
    let described = if refused {
        "photos-refusal photos-hint"
    } else {
        "photos-hint"
    };
    let args = limit_args(&offer);
    let action = format!("/t/{token}/photos");
    view! {
        <section class="card photos" id="photos" aria-labelledby="photos-title">
            <h2 id="photos-title">{lang.t("photos-title")}</h2>
            <p class="photos__intro">
                {lang.t_with("photos-intro", &[("brand", Arg::from(brand.clone()))])}
            </p>
            {offer
                .points
                .map(|points| {
                    view! {
                        <p class="photos__points">
                            {lang
                                .t_with(
                                    "photos-points",
                                    &[
                                        ("count", Arg::Number(points)),
                                        ("brand", Arg::from(brand.clone())),
                                    ],
                                )}
                        </p>
                    }
                })}
            <form
                class="photos__form"
                method="post"
                action=action
                enctype="multipart/form-data"
                data-photos=""
                data-uploading=lang.t_with("photos-uploading", &args)
                data-failed=lang.t("photos-error-failed")
            >
                <input type="hidden" name="lang" value=lang.tag() />
                {embed.then(|| view! { <input type="hidden" name="embed" value="1" /> })}
                <div class="field">
                    <label for="photos-media">{lang.t("photos-files")}</label>
                    <input
                        id="photos-media"
                        type="file"
                        name="media"
                        accept="image/jpeg,image/png,image/webp,video/mp4,video/quicktime"
                        multiple
                        required
                        aria-describedby=described
                        aria-invalid=refused.then_some("true")
                    />
                    <p id="photos-hint" class="field__hint">
                        {lang.t_with("photos-files-hint", &args)}
                    </p>
                </div>
                <div class="field">
                    <label for="photos-caption">{lang.t("photos-caption")}</label>
                    <textarea
                        id="photos-caption"
                        name="caption"
                        rows="2"
                        maxlength=offer.caption_chars.to_string()
                    ></textarea>
                </div>
                <button class="button" type="submit">
                    {lang.t("photos-submit")}
                </button>
                <progress
                    class="photos__progress"
                    max="100"
                    value="0"
                    hidden
                    aria-label=lang.t("photos-title")
                ></progress>
                <p class="photos__status" role="status" aria-live="polite"></p>
            </form>
        </section>
    }
}

/// `/t/{token}/photos`: where a plain form post lands (`?sent=1` or `?refused={code}`), and
/// the form on its own page.
#[component]
pub fn PhotosPage() -> impl IntoView {
    let token = use_params_map()
        .read_untracked()
        .get("token")
        .unwrap_or_default();
    let query = use_query_map().read_untracked().clone();
    let sent = query.get("sent").is_some();
    let refused = query.get("refused").as_deref().and_then(Refusal::from_code);
    let embed = query.get("embed").is_some();
    let data = super::page_data(tracking_view(token.clone()));
    let lang = super::request_lang();
    view! {
        <Suspense>
            {move || {
                let token = token.clone();
                let data = data.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(view) => result_page(view, token, sent, refused, embed).into_any(),
                        Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                        Err(_) => {
                            view! {
                                <Html {..} lang=lang.tag() dir=lang.dir() />
                                <main class="page page--narrow">
                                    <p role="alert">{lang.t("unavailable-text")}</p>
                                </main>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

fn result_page(
    view: crate::domain::TrackingView,
    token: String,
    sent: bool,
    refused: Option<Refusal>,
    embed: bool,
) -> impl IntoView {
    let lang = view.lang;
    let brand = view.brand.name.clone();
    let back = if embed {
        format!("/embed/t/{token}?lang={}", lang.tag())
    } else {
        format!("/t/{token}?lang={}", lang.tag())
    };
    let offer_limits = view.photos.clone().unwrap_or(PhotoOffer {
        image_mb: 15,
        video_mb: 50,
        video_seconds: 60,
        files: 4,
        caption_chars: 500,
        megapixels: 40,
        points: None,
    });
    let message = if sent {
        Some(
            view! {
                <p class="photos__done" role="status">
                    {lang.t_with("photos-sent", &[("brand", Arg::from(brand.clone()))])}
                </p>
            }
            .into_any(),
        )
    } else {
        refused.map(|r| {
            view! {
                <p class="photos__error" id="photos-refusal" role="alert">
                    {refusal_message(lang, r, &offer_limits)}
                </p>
            }
            .into_any()
        })
    };
    // The form again: after a refusal, or for another photo (while the shipment takes one).
    let form = view.photos.clone().map(|offer| {
        let refused = refused.is_some();
        view! { <PhotoForm offer lang token=token.clone() brand=brand.clone() embed refused /> }
    });
    view! {
        <Html {..} lang=lang.tag() dir=lang.dir() />
        <Title text=lang.t("photos-title") />
        <Meta name="robots" content="noindex, nofollow" />
        <main class="page page--narrow">
            <section class="card">
                <h1>{lang.t("photos-title")}</h1>
                {message}
                <p>
                    <a href=back>{lang.t("photos-back")}</a>
                </p>
            </section>
            {form}
        </main>
    }
}
