use leptos::prelude::*;
use leptos_meta::Title;

/// The landing page of a Tracklight instance: what it is and where the operator goes next.
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <Title text="Tracklight" />
        <main class="page page--narrow">
            <section class="card" aria-labelledby="home-title">
                <h1 id="home-title">"Tracklight"</h1>
                <p>
                    "Shipment tracking pages for online stores, with an SMS sign-up right under the timeline."
                </p>
                <ul class="links">
                    <li>
                        <a href="/signin">"Merchant sign in"</a>
                        " or "
                        <a href="/signup">"create an account"</a>
                    </li>
                    <li>
                        <a href="/api/docs">"REST API documentation"</a>
                    </li>
                    <li>
                        <a href="/api/v1/openapi.json">"OpenAPI document"</a>
                    </li>
                </ul>
                <p class="muted">
                    "Shoppers reach their tracking page through the link in their shipping email."
                </p>
            </section>
        </main>
    }
}
