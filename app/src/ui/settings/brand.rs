//! The settings page's brand, sign-up protection, shoppers' data, embedding and API key
//! sections.

use super::super::fields::{error_for, TextField};
use super::Actions;
use crate::api::{EraseSubject, SaveBrand, SaveEmbed, SaveGuards};
use crate::domain::settings::SettingsView;
use crate::domain::LookupProof;
use crate::i18n::{mt, mt_with, Arg};
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
            <h2 id="brand-title">{mt("settings-brand-heading")}</h2>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <TextField
                    id="brand"
                    label=mt("settings-brand-name-label")
                    value=view.brand.clone()
                    error=error("brand")
                />
                <TextField
                    id="accent"
                    label=mt("settings-brand-accent-label")
                    value=view.accent_color.clone().unwrap_or_default()
                    placeholder="#0f766e"
                    hint=mt("settings-brand-accent-hint")
                    error=error("accent")
                />
                <TextField
                    id="logo"
                    label=mt("settings-brand-logo-label")
                    kind="url"
                    value=view.logo_url.clone().unwrap_or_default()
                    placeholder="https://shop.example/logo.png"
                    hint=mt("settings-brand-logo-hint")
                    error=error("logo")
                />
                <p class="field__error" role="alert">
                    {move || error_for(&err.try_get().flatten(), "form")}
                </p>
                <p class="saved" role="status">
                    {move || action.value().get().and_then(Result::ok)}
                </p>
                <button type="submit" class="button">
                    {mt("settings-save")}
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
        mt("settings-embed-works-on-none")
    } else {
        mt_with(
            "settings-embed-works-on",
            &[("sites", Arg::from(view.allowed_origins.join(", ")))],
        )
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
                    {mt_with("settings-embed-proof-choice", &[("proof", Arg::from(proof.noun()))])}
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="embed" aria-labelledby="embed-title">
            <h2 id="embed-title">{mt("settings-embed-heading")}</h2>
            <p>
                {mt("settings-embed-intro")} " " <code>"tracking_url"</code> " "
                {mt("settings-embed-intro-end")}
            </p>
            <label for="embed-snippet">{mt("settings-embed-snippet-label")}</label>
            <textarea id="embed-snippet" class="snippet" readonly rows="2">
                {snippet}
            </textarea>
            <h3>{mt("settings-embed-page-heading")}</h3>
            <p>{mt("settings-embed-page-text")} " " {works_on}</p>
            <label for="page-snippet">{mt("settings-embed-page-snippet-label")}</label>
            <textarea id="page-snippet" class="snippet" readonly rows="2">
                {page_snippet}
            </textarea>
            <label for="page-link">{mt("settings-embed-link-label")}</label>
            <input id="page-link" class="snippet" readonly value=link />
            <p>
                {mt("settings-embed-lookup")} " "
                <a href=view.lookup_url.clone()>{view.lookup_url.clone()}</a>
            </p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <fieldset class="field">
                    <legend>{mt("settings-embed-proof-legend")}</legend>
                    {proofs}
                    <p class="field__hint">
                        {mt("settings-embed-proof-hint")} " "
                        <code>"customer.shipping_postcode"</code>
                        {mt("settings-embed-proof-hint-end")}
                    </p>
                    <p class="field__error" aria-live="polite">
                        {move || error_for(&err.try_get().flatten(), "proof")}
                    </p>
                </fieldset>
                <div class="field">
                    <label for="origins">{mt("settings-embed-origins-label")}</label>
                    <p id="origins-hint" class="field__hint">
                        {mt("settings-embed-origins-hint")}
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
                    {mt("settings-save")}
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
                    <span class="muted">
                        {mt_with(
                            "settings-keys-created",
                            &[("date", Arg::from(k.created.as_str()))],
                        )}
                    </span>
                    <ActionForm action=revoke>
                        <input type="hidden" name="csrf" value=csrf />
                        <input type="hidden" name="prefix" value=prefix.clone() />
                        <button
                            type="submit"
                            class="button button--quiet"
                            aria-label=mt_with(
                                "settings-keys-revoke-label",
                                &[("prefix", Arg::from(prefix.as_str()))],
                            )
                        >
                            {mt("settings-keys-revoke")}
                        </button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="keys" aria-labelledby="keys-title">
            <h2 id="keys-title">{mt("settings-keys-heading")}</h2>
            <p class="muted">
                {mt("settings-keys-intro")} " "
                <a href="/api/docs">{mt("settings-keys-intro-link")}</a> " "
                {mt("settings-keys-intro-end")}
            </p>
            <ul class="keys">{keys}</ul>
            <ActionForm action=create attr:class="row">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <TextField
                    id="label"
                    label=mt("settings-keys-new-label")
                    placeholder=mt("settings-keys-new-placeholder")
                    error=Signal::derive(|| None::<String>)
                />
                <button type="submit" class="button">
                    {mt("settings-keys-create")}
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
                                        {mt("settings-keys-new-key")} " "
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
        mt("settings-guards-ships-to-none")
    } else {
        view.guards.ships_to.join(", ")
    };
    view! {
        <section class="card" id="guards" aria-labelledby="guards-title">
            <h2 id="guards-title">{mt("settings-guards-heading")}</h2>
            <p>{mt("settings-guards-text")}</p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <TextField
                    id="hourly_cap"
                    label=mt("settings-guards-hourly-cap-label")
                    kind="number"
                    value=view.guards.hourly_cap.to_string()
                    error=Signal::derive(move || error_for(&err.try_get().flatten(), "hourly_cap"))
                />
                <TextField
                    id="countries"
                    label=mt("settings-guards-countries-label")
                    value=view.guards.countries.clone()
                    placeholder=ships_to.clone()
                    hint=mt_with(
                        "settings-guards-countries-hint",
                        &[("countries", Arg::from(ships_to.as_str()))],
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
                    {mt("settings-save")}
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
            <h2 id="data-title">{mt("settings-data-heading")}</h2>
            <p>{mt("settings-data-text")}</p>
            // A plain GET: the browser downloads the file.
            <form class="stack" action="/settings/subject.json" method="get">
                <DataSubjectFields prefix="export" />
                <button type="submit" class="button button--quiet">
                    {mt("settings-data-download")}
                </button>
            </form>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <DataSubjectFields prefix="erase" />
                <p class="field__hint">{mt("settings-data-erase-hint")}</p>
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
                    {mt("settings-data-erase")}
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
            <label for=kind_id.clone()>{mt("settings-data-kind-label")}</label>
            <select id=kind_id name="kind">
                <option value="phone">{mt("settings-data-kind-phone")}</option>
                <option value="customer">{mt("settings-data-kind-customer")}</option>
            </select>
        </div>
        <div class="field">
            <label for=subject_id.clone()>{mt("settings-data-subject-label")}</label>
            <input id=subject_id name="subject" type="text" autocomplete="off" required />
        </div>
    }
}
