use crate::i18n::mt;
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
                <p>{mt("home-intro")}</p>
                <ul class="links">
                    <li>
                        <a href="/signin">{mt("home-sign-in")}</a>
                        " "
                        {mt("home-or")}
                        " "
                        <a href="/signup">{mt("home-create-account")}</a>
                    </li>
                    <li>
                        <a href="/api/docs">{mt("home-api-docs")}</a>
                    </li>
                    <li>
                        <a href="/api/v1/openapi.json">{mt("home-openapi-document")}</a>
                    </li>
                </ul>
                <p class="muted">{mt("home-shoppers")}</p>
            </section>
        </main>
    }
}
