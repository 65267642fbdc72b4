use leptos::prelude::*;
use leptos_meta::Title;

/// A plain "not found" page. It says nothing about why (unknown token, wrong link, removed
/// shipment), so probing tokens teaches nothing.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found · Tracklight" />
        <main class="page page--narrow">
            <section class="card" aria-labelledby="nf-title">
                <h1 id="nf-title">"Page not found"</h1>
                <p>"We couldn't find this page. Please check the link in your shipping email."</p>
            </section>
        </main>
    }
}
