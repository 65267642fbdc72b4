use leptos::prelude::*;
use leptos_meta::{Html, Title};

/// A plain "not found" page. It says nothing about why (unknown token, wrong link, removed
/// shipment), so probing tokens teaches nothing.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    // Shoppers land here from a link: the page speaks their language, as far as the request
    // tells it.
    // (Elsewhere it is a merchant page, in English: `App` says so.)
    #[cfg(feature = "ssr")]
    let shopper_page = crate::ssr::request::Surface::current().is_for_shoppers();
    #[cfg(not(feature = "ssr"))]
    let shopper_page = false;
    let lang = if shopper_page {
        super::request_lang()
    } else {
        crate::i18n::Lang::EN
    };
    view! {
        {shopper_page.then(|| view! { <Html {..} lang=lang.tag() dir=lang.dir() /> })}
        <Title text=format!("{} · Tracklight", lang.t("not-found-title")) />
        <main class="page page--narrow">
            <section class="card" aria-labelledby="nf-title">
                <h1 id="nf-title">{lang.t("not-found-title")}</h1>
                <p>{lang.t("not-found-text")}</p>
            </section>
        </main>
    }
}
