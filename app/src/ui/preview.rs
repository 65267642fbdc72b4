//! `/settings/preview`: the consent block as shoppers will see it, with the merchant's
//! current brand and texts, for the live preview on the settings page (which frames it).

use super::consent_block::ConsentBlock;
use super::settings::sign_in_redirect;
use crate::api::consent_preview;
use crate::domain::AppError;
use crate::i18n::mt;
use leptos::prelude::*;
use leptos_meta::Meta;

#[component]
pub fn PreviewPage() -> impl IntoView {
    // Rendered on the server only (not an island): see `page_data`.
    // `?lang=`: the block in one of the store's languages (the settings page offers each).
    let lang = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("lang");
    let data = super::page_data(consent_preview(lang));
    view! {
        <Meta name="robots" content="noindex, nofollow" />
        <Suspense>
            {move || {
                let data = data.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(Some((brand, offer))) => {
                            let lang = match &offer.form {
                                crate::domain::OfferForm::Checkbox(form) => form.lang,
                                _ => crate::i18n::Lang::EN,
                            };
                            let accent = brand
                                .accent_color
                                .map(|c| format!("--accent: {c}"))
                                .unwrap_or_default();
                            view! {
                                <main
                                    class="page page--embed"
                                    style=accent
                                    lang=lang.tag()
                                    dir=lang.dir()
                                >
                                    <header class="brand">
                                        {brand
                                            .logo_url
                                            .map(|src| {
                                                view! {
                                                    <img class="brand__logo" src=src alt="" height="32" />
                                                }
                                            })} <span class="brand__name">{brand.name}</span>
                                    </header>
                                    <ConsentBlock
                                        offer
                                        lang
                                        token="preview".to_owned()
                                        page_url=None
                                        preview=true
                                    />
                                </main>
                            }
                                .into_any()
                        }
                        Ok(None) => {
                            view! {
                                <main class="page page--embed">
                                    <p class="muted">{mt("preview-not-ready")}</p>
                                </main>
                            }
                                .into_any()
                        }
                        Err(AppError::Unauthorized) => sign_in_redirect().into_any(),
                        Err(err) => view! { <p role="alert">{err.to_string()}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
