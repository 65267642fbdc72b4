//! The settings page's brand, sign-up protection, shoppers' data, embedding and API key
//! sections.

use super::super::fields::{error_for, TextField};
use super::Actions;
use crate::api::{EraseSubject, SaveBrand, SaveEmbed, SaveGuards};
use crate::domain::settings::SettingsView;
use crate::domain::LookupProof;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub(super) fn BrandSection(view: SettingsView, action: ServerAction<SaveBrand>) -> impl IntoView {
    let err = Memo::new(move |_| action.value().get().and_then(Result::err));
    let error = move |field: &'static str| {
        Signal::derive(move || error_for(&err.try_get().flatten(), field))
    };
    view! {
        <section class="card" id="brand" aria-labelledby="brand-title">
            <h2 id="brand-title">"Brand"</h2>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <TextField
                    id="brand"
                    label="Store name"
                    value=view.brand.clone()
                    error=error("brand")
                />
                <TextField
                    id="accent"
                    label="Accent colour"
                    value=view.accent_color.clone().unwrap_or_default()
                    placeholder="#0f766e"
                    hint="#rrggbb, dark enough to read on white."
                    error=error("accent")
                />
                <TextField
                    id="logo"
                    label="Logo (optional)"
                    kind="url"
                    value=view.logo_url.clone().unwrap_or_default()
                    placeholder="https://shop.example/logo.png"
                    hint="An https:// image, shown 32 pixels high next to your store name."
                    error=error("logo")
                />
                <p class="field__error" role="alert">
                    {move || error_for(&err.try_get().flatten(), "form")}
                </p>
                <p class="saved" role="status">
                    {move || action.value().get().and_then(Result::ok)}
                </p>
                <button type="submit" class="button">
                    "Save"
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
pub(super) fn EmbedSection(view: SettingsView, action: ServerAction<SaveEmbed>) -> impl IntoView {
    let err = Memo::new(move |_| action.value().get().and_then(Result::err));
    let snippet = format!(
        "<script src=\"{}\" data-token=\"SHIPMENT_TOKEN\" async></script>",
        view.embed_src
    );
    let page_snippet = format!(
        "<script src=\"{}\" data-store=\"{}\" async></script>",
        view.embed_src, view.store
    );
    let site = view
        .allowed_origins
        .first()
        .cloned()
        .unwrap_or_else(|| "https://shop.example".to_owned());
    let link = format!("{site}/pages/track-your-order?tracklight=SHIPMENT_TOKEN");
    let works_on = if view.allowed_origins.is_empty() {
        "It works on the sites you allow below (none yet).".to_owned()
    } else {
        format!("It works on: {}.", view.allowed_origins.join(", "))
    };
    let proofs = LookupProof::ALL
        .into_iter()
        .map(|proof| {
            let id = format!("proof-{}", proof.as_str());
            view! {
                <label class="consent__choice" for=id.clone()>
                    <input
                        id=id.clone()
                        type="radio"
                        name="proof"
                        value=proof.as_str()
                        checked=proof == view.lookup_proof
                    />
                    {format!("Order number and {}", proof.noun())}
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="embed" aria-labelledby="embed-title">
            <h2 id="embed-title">"Embed on your site"</h2>
            <p>
                "Put this where the tracking widget should appear, with the shipment's token: the last part of the "
                <code>"tracking_url"</code> " the API returns."
            </p>
            <label for="embed-snippet">"Snippet"</label>
            <textarea id="embed-snippet" class="snippet" readonly rows="2">
                {snippet}
            </textarea>
            <h3>"One \"Track your order\" page for every shipment"</h3>
            <p>
                "Or put this on one page of your shop. Linked with the shipment's token in the address (in your shipping emails, for example), it shows that shipment; opened without one, it shows a form where shoppers find their order. "
                {works_on}
            </p>
            <label for="page-snippet">"Snippet for the page"</label>
            <textarea id="page-snippet" class="snippet" readonly rows="2">
                {page_snippet}
            </textarea>
            <label for="page-link">"Link format (the page's own address, then ?tracklight=)"</label>
            <input id="page-link" class="snippet" readonly value=link />
            <p>
                "Not embedding? Your own look-up page on Tracklight: "
                <a href=view.lookup_url.clone()>{view.lookup_url.clone()}</a>
            </p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <fieldset class="field">
                    <legend>"Shoppers find their order by"</legend>
                    {proofs}
                    <p class="field__hint">
                        "Orders need the email address or the shipping postcode (the API's "
                        <code>"customer.shipping_postcode"</code> ") for this to find them."
                    </p>
                    <p class="field__error" aria-live="polite">
                        {move || error_for(&err.try_get().flatten(), "proof")}
                    </p>
                </fieldset>
                <div class="field">
                    <label for="origins">"Sites allowed to embed the widget"</label>
                    <p id="origins-hint" class="field__hint">
                        "One per line, like https://shop.example. Other sites cannot show it."
                    </p>
                    <textarea
                        id="origins"
                        name="origins"
                        rows="3"
                        aria-describedby="origins-hint origins-error"
                        aria-invalid=move || {
                            error_for(&err.try_get().flatten(), "origins").map(|_| "true")
                        }
                    >
                        {view.allowed_origins.join("\n")}
                    </textarea>
                    <p id="origins-error" class="field__error" aria-live="polite">
                        {move || error_for(&err.try_get().flatten(), "origins")}
                    </p>
                </div>
                <p class="field__error" role="alert">
                    {move || error_for(&err.try_get().flatten(), "form")}
                </p>
                <p class="saved" role="status">
                    {move || action.value().get().and_then(Result::ok)}
                </p>
                <button type="submit" class="button">
                    "Save"
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
pub(super) fn KeysSection(view: SettingsView, actions: Actions) -> impl IntoView {
    let create = actions.create;
    let revoke = actions.revoke;
    let csrf = view.csrf.clone();
    let keys = view
        .api_keys
        .into_iter()
        .map(|k| {
            let csrf = csrf.clone();
            let prefix = k.prefix.clone();
            view! {
                <li class="key">
                    <span class="mono">{format!("{}…", k.prefix)}</span>
                    <span>{k.label}</span>
                    <span class="muted">{format!("created {}", k.created)}</span>
                    <ActionForm action=revoke>
                        <input type="hidden" name="csrf" value=csrf />
                        <input type="hidden" name="prefix" value=prefix.clone() />
                        <button
                            type="submit"
                            class="button button--quiet"
                            aria-label=format!("Revoke key {prefix}")
                        >
                            "Revoke"
                        </button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="keys" aria-labelledby="keys-title">
            <h2 id="keys-title">"API keys"</h2>
            <p class="muted">
                "Your store's backend sends orders and tracking updates to "
                <a href="/api/docs">"the REST API"</a> " with one of these keys."
            </p>
            <ul class="keys">{keys}</ul>
            <ActionForm action=create attr:class="row">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <TextField
                    id="label"
                    label="New key for"
                    placeholder="e.g. warehouse"
                    error=Signal::derive(|| None::<String>)
                />
                <button type="submit" class="button">
                    "Create key"
                </button>
            </ActionForm>
            <p role="status">
                {move || {
                    create
                        .value()
                        .get()
                        .map(|r| match r {
                            Ok(k) => {
                                view! {
                                    <span>
                                        "Your new key (shown once, copy it now): "
                                        <code class="mono new-key">{k.key}</code>
                                    </span>
                                }
                                    .into_any()
                            }
                            Err(e) => {
                                view! { <span class="field__error">{e.to_string()}</span> }
                                    .into_any()
                            }
                        })
                }}
            </p>
        </section>
    }
}

/// Guards against SMS pumping (bots entering numbers so the welcome texts cost the store).
#[component]
pub(super) fn GuardsSection(view: SettingsView, action: ServerAction<SaveGuards>) -> impl IntoView {
    let err = Memo::new(move |_| action.value().get().and_then(Result::err));
    let ships_to = if view.guards.ships_to.is_empty() {
        "none yet".to_owned()
    } else {
        view.guards.ships_to.join(", ")
    };
    view! {
        <section class="card" id="guards" aria-labelledby="guards-title">
            <h2 id="guards-title">"Sign-up protection"</h2>
            <p>
                "Each tracking link can sign up at most two numbers. Above the hourly limit, sign-ups are held in the consent log for you to release."
            </p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <TextField
                    id="hourly_cap"
                    label="Sign-ups an hour before they are held"
                    kind="number"
                    value=view.guards.hourly_cap.to_string()
                    error=Signal::derive(move || error_for(&err.try_get().flatten(), "hourly_cap"))
                />
                <TextField
                    id="countries"
                    label="Countries whose numbers may sign up"
                    value=view.guards.countries.clone()
                    placeholder=ships_to.clone()
                    hint=format!(
                        "Two-letter codes, like US, CA. Blank: the countries your orders ship to ({ships_to}).",
                    )
                    error=Signal::derive(move || error_for(&err.try_get().flatten(), "countries"))
                />
                <p class="field__error" role="alert">
                    {move || error_for(&err.try_get().flatten(), "form")}
                </p>
                <p class="saved" role="status">
                    {move || action.value().get().and_then(Result::ok)}
                </p>
                <button type="submit" class="button">
                    "Save"
                </button>
            </ActionForm>
        </section>
    }
}

/// A shopper's request for their data: download it, or erase it.
#[component]
pub(super) fn DataSection(view: SettingsView, action: ServerAction<EraseSubject>) -> impl IntoView {
    let err = Memo::new(move |_| action.value().get().and_then(Result::err));
    view! {
        <section class="card" id="data" aria-labelledby="data-title">
            <h2 id="data-title">"Shoppers' data"</h2>
            <p>
                "When a shopper asks what you hold about them, or to be forgotten: everything Tracklight keeps for one phone number or customer ID, their consents with each proof and its history, and their orders' personal details."
            </p>
            // A plain GET: the browser downloads the file.
            <form class="stack" action="/settings/subject.json" method="get">
                <DataSubjectFields prefix="export" />
                <button type="submit" class="button button--quiet">
                    "Download their data (JSON)"
                </button>
            </form>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <DataSubjectFields prefix="erase" />
                <p class="field__hint">
                    "Erasing cannot be undone: consents, proofs and pending sign-ups are deleted, orders keep their tracking but lose names, email, phone and city. A record keeps only a hash of what was erased."
                </p>
                <p class="field__error" role="alert">
                    {move || {
                        error_for(&err.try_get().flatten(), "subject")
                            .or_else(|| error_for(&err.try_get().flatten(), "kind"))
                            .or_else(|| error_for(&err.try_get().flatten(), "form"))
                    }}
                </p>
                <p class="saved" role="status">
                    {move || action.value().get().and_then(Result::ok)}
                </p>
                <button type="submit" class="button button--danger">
                    "Erase their data"
                </button>
            </ActionForm>
        </section>
    }
}

/// Which shopper: a phone number or a customer ID.
#[component]
fn DataSubjectFields(prefix: &'static str) -> impl IntoView {
    let kind_id = format!("{prefix}-kind");
    let subject_id = format!("{prefix}-subject");
    view! {
        <div class="field">
            <label for=kind_id.clone()>"Find them by"</label>
            <select id=kind_id name="kind">
                <option value="phone">"Phone number"</option>
                <option value="customer">"Customer ID (from your store)"</option>
            </select>
        </div>
        <div class="field">
            <label for=subject_id.clone()>"Phone number or customer ID"</label>
            <input id=subject_id name="subject" type="text" autocomplete="off" required />
        </div>
    }
}
