//! A store's "Track your order" page, `/track/{store}` (and `/embed/track/{store}`, the widget
//! when the merchant's page has no tracking link): order number plus the email address or
//! postcode of the order. A plain form post, so it works without JavaScript and inside the
//! widget's frame; a match goes to the order's tracking page, a refusal comes back here with
//! its message and the order number filled in again.

use super::fields::shopper_error_for;
use super::language_switcher::LanguageSwitcher;
use super::scripts::EMBED_HEIGHT_SCRIPT;
use super::NotFound;
use crate::api::{lookup_page, OrderLookup};
use crate::domain::{AppError, LookupPageView};
use crate::i18n::Arg;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Html, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// The fields whose errors the form shows, in its order.
const FIELDS: [&str; 3] = ["order", "proof", "form"];

#[component]
pub fn LookupPage(#[prop(optional)] embed: bool) -> impl IntoView {
    let store = use_params_map()
        .read_untracked()
        .get("store")
        .unwrap_or_default();
    // In the widget: the host page's origin and address, passed on to the tracking page.
    let (host, page) = if embed {
        let query = use_query_map().read_untracked();
        (query.get("host"), query.get("page"))
    } else {
        (None, None)
    };
    let data = super::page_data(lookup_page(store));
    // Read from the request before the wait (see `TrackingPage`).
    let lang = super::request_lang();
    view! {
        <Suspense>
            {move || {
                let data = data.clone();
                let (host, page) = (host.clone(), page.clone());
                Suspend::new(async move {
                    match data.await {
                        Ok(view) => view! { <Lookup view embed host page /> }.into_any(),
                        Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                        Err(_) => {
                            view! {
                                <Html {..} lang=lang.tag() dir=lang.dir() />
                                <main class="page page--narrow">
                                    <section class="card" role="alert">
                                        <h1>{lang.t("lookup-unavailable")}</h1>
                                        <p>{lang.t("unavailable-text")}</p>
                                    </section>
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

#[component]
fn Lookup(
    view: LookupPageView,
    embed: bool,
    host: Option<String>,
    page: Option<String>,
) -> impl IntoView {
    let LookupPageView {
        brand,
        store,
        proof,
        lang,
        languages,
    } = view;
    // What a refused plain form post came back with (read on the server).
    let error = ArcServerAction::<OrderLookup>::new()
        .value()
        .get_untracked()
        .and_then(Result::err);
    let [order_error, proof_error, form_error] =
        FIELDS.map(|field| shopper_error_for(lang, &error, field));
    #[cfg(feature = "ssr")]
    let typed_order = error
        .is_some()
        .then(crate::ssr::request::FormEcho::current)
        .flatten()
        .and_then(|echo| echo.order)
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let typed_order = String::new();
    let invalid = |message: &Option<String>| message.as_ref().map(|_| "true");
    let accent = brand
        .accent_color
        .as_ref()
        .map(|c| format!("--accent: {c}"))
        .unwrap_or_default();
    let (kind, autocomplete, inputmode) = match proof {
        crate::domain::LookupProof::Email => ("email", "email", "email"),
        crate::domain::LookupProof::Postcode => ("text", "postal-code", "text"),
    };
    let (proof_label, intro) = proof.keys();
    let brand_arg = [("brand", Arg::from(brand.name.as_str()))];
    let title = if error.is_some() {
        lang.t_with("lookup-page-title-error", &brand_arg)
    } else {
        lang.t_with("lookup-page-title", &brand_arg)
    };
    let keep: Vec<(&'static str, String)> = [("host", host.clone()), ("page", page.clone())]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
        .collect();
    view! {
        // A refused post comes back as a new page: its title says so first (screen readers
        // read the title of a page that loads; an alert already there is not announced).
        <Html {..} lang=lang.tag() dir=lang.dir() />
        <Title text=title />
        <main
            class=if embed { "page page--narrow page--embed" } else { "page page--narrow" }
            style=accent
        >
            <header class="brand">
                {brand
                    .logo_url
                    .clone()
                    .map(|src| view! { <img class="brand__logo" src=src alt="" height="32" /> })}
                <span class="brand__name" dir="auto">
                    {brand.name.clone()}
                </span>
            </header>
            <section class="card" aria-labelledby="lookup-title">
                <h1 id="lookup-title">{lang.t("lookup-title")}</h1>
                <p class="muted">{lang.t(intro)}</p>
                <form class="stack lookup" action=OrderLookup::PATH method="post" novalidate>
                    <input type="hidden" name="store" value=store />
                    <input type="hidden" name="lang" value=lang.tag() />
                    {embed.then(|| view! { <input type="hidden" name="embed" value="1" /> })}
                    {host.map(|h| view! { <input type="hidden" name="host" value=h /> })}
                    {page.map(|p| view! { <input type="hidden" name="page" value=p /> })}
                    <div class="field">
                        <label for="lookup-order">{lang.t("lookup-order")}</label>
                        <input
                            id="lookup-order"
                            name="order"
                            type="text"
                            autocomplete="off"
                            required
                            value=typed_order
                            aria-invalid=invalid(&order_error)
                            aria-describedby="lookup-order-error"
                        />
                        <p id="lookup-order-error" class="field__error" aria-live="polite">
                            {order_error}
                        </p>
                    </div>
                    <div class="field">
                        <label for="lookup-proof">{lang.t(proof_label)}</label>
                        <input
                            id="lookup-proof"
                            name="proof"
                            type=kind
                            inputmode=inputmode
                            autocomplete=autocomplete
                            required
                            aria-invalid=invalid(&proof_error)
                            aria-describedby="lookup-proof-error"
                        />
                        <p id="lookup-proof-error" class="field__error" aria-live="polite">
                            {proof_error}
                        </p>
                    </div>
                    <p id="lookup-form-error" class="field__error field__error--form" role="alert">
                        {form_error}
                    </p>
                    <button type="submit" class="button">
                        {lang.t("lookup-submit")}
                    </button>
                </form>
            </section>
            <footer class="footer">
                <span>{lang.t("tracking-by")}</span>
                <LanguageSwitcher lang languages keep />
            </footer>
            {embed
                .then(|| {
                    view! {
                        <script
                            nonce=leptos::nonce::use_nonce()
                            inner_html=EMBED_HEIGHT_SCRIPT
                        ></script>
                    }
                })}
        </main>
    }
}
