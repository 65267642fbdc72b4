//! The settings page's Klaviyo section: the private API key, the list (loaded from the
//! account, each with its opt-in process), the consent texts and links, the sandbox.

use super::super::fields::{error_for, TextField};
use super::texts::ConsentTextFields;
use crate::api::{KlaviyoLists, SaveKlaviyo, UseKlaviyoSandbox};
use crate::domain::settings::SettingsView;
use crate::i18n::{mt, mt_with, Arg};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The Klaviyo connection: a private API key (checked with Klaviyo, stored encrypted), the
/// list (picked from the account's lists, each with its opt-in process), the texts.
#[component]
pub(super) fn KlaviyoSection(
    view: SettingsView,
    save: ServerAction<SaveKlaviyo>,
    sandbox: ServerAction<UseKlaviyoSandbox>,
) -> impl IntoView {
    let lists = ServerAction::<KlaviyoLists>::new();
    let err = Memo::new(move |_| save.value().get().and_then(Result::err));
    let error = move |field: &'static str| {
        Signal::derive(move || error_for(&err.try_get().flatten(), field))
    };
    let lists_err = Memo::new(move |_| lists.value().get().and_then(Result::err));
    let saved = move || save.value().get().and_then(Result::ok);
    // What is typed in the key field, sent with "Load lists" (blank: the stored key).
    let typed_key = RwSignal::new(String::new());
    let sms = view.sms;
    let klaviyo = sms.klaviyo.clone();
    let csrf = view.csrf;
    let (csrf_lists, csrf_sandbox) = (csrf.clone(), csrf.clone());
    let key_hint = if klaviyo.has_key {
        mt_with(
            "settings-klaviyo-key-hint-stored",
            &[(
                "account",
                Arg::from(klaviyo.account_id.clone().unwrap_or_default()),
            )],
        )
    } else {
        mt("settings-klaviyo-key-hint")
    };
    let current_list = klaviyo.list_id.clone().map(|id| {
        let process = if klaviyo.double_opt_in {
            mt("settings-klaviyo-process-double-reply")
        } else {
            mt("settings-klaviyo-process-single")
        };
        mt_with(
            "settings-klaviyo-list-current",
            &[("id", Arg::from(id)), ("process", Arg::from(process))],
        )
    });
    view! {
        <section class="card" id="klaviyo" aria-labelledby="klaviyo-title">
            <h2 id="klaviyo-title">{mt("settings-klaviyo-heading")}</h2>
            <ActionForm action=save attr:class="stack">
                <input type="hidden" name="csrf" value=csrf />
                <div class="field">
                    <label for="klaviyo_key">{mt("settings-klaviyo-key-label")}</label>
                    <p id="klaviyo_key-hint" class="field__hint">
                        {key_hint}
                    </p>
                    <input
                        id="klaviyo_key"
                        name="key"
                        type="password"
                        autocomplete="new-password"
                        placeholder=if klaviyo.has_key {
                            mt("settings-secret-stored")
                        } else {
                            "pk_…".to_owned()
                        }
                        aria-describedby="klaviyo_key-hint klaviyo_key-error"
                        aria-invalid=move || error("key").get().map(|_| "true")
                        on:input=move |ev| typed_key.set(event_target_value(&ev))
                    />
                    <p id="klaviyo_key-error" class="field__error" aria-live="polite">
                        {move || error("key").get()}
                    </p>
                </div>
                <TextField
                    id="klaviyo_list_id"
                    name="list_id"
                    label=mt("settings-klaviyo-list-id-label")
                    value=klaviyo.list_id.clone().unwrap_or_default()
                    hint=current_list.unwrap_or_else(|| mt("settings-klaviyo-list-id-hint"))
                    suggestions="klaviyo-lists"
                    error=error("list_id")
                />
                <datalist id="klaviyo-lists">
                    {move || {
                        lists
                            .value()
                            .get()
                            .and_then(Result::ok)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|l| view! { <option value=l.id.clone()>{l.name}</option> })
                            .collect_view()
                    }}
                </datalist>
                <ul class="lists" aria-live="polite">
                    {move || {
                        lists
                            .value()
                            .get()
                            .and_then(Result::ok)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|l| {
                                let process = mt(
                                    match l.double_opt_in {
                                        Some(true) => "settings-klaviyo-process-double",
                                        Some(false) => "settings-klaviyo-process-single",
                                        None => "settings-klaviyo-process-unknown",
                                    },
                                );
                                let item = mt_with(
                                    "settings-klaviyo-list-item",
                                    &[("name", Arg::from(l.name)), ("process", Arg::from(process))],
                                );
                                view! {
                                    <li>
                                        <span class="mono">{l.id}</span>
                                        {format!(" {item}")}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                <ConsentTextFields id_prefix="klaviyo_" sms=sms.clone() err />
                <p class="field__error" role="alert">
                    {move || error_for(&err.try_get().flatten(), "form")}
                </p>
                <p class="saved" role="status">
                    {saved}
                </p>
                <button type="submit" class="button">
                    {move || {
                        if save.pending().get() {
                            mt("settings-klaviyo-checking")
                        } else {
                            mt("settings-klaviyo-save")
                        }
                    }}
                </button>
            </ActionForm>
            <div class="row">
                <ActionForm action=lists>
                    <input type="hidden" name="csrf" value=csrf_lists />
                    <input type="hidden" name="key" value=move || typed_key.get() />
                    <button type="submit" class="button button--quiet">
                        {move || {
                            if lists.pending().get() {
                                mt("settings-klaviyo-loading")
                            } else {
                                mt("settings-klaviyo-load-lists")
                            }
                        }}
                    </button>
                </ActionForm>
                {view
                    .sandbox
                    .then(|| {
                        view! {
                            <ActionForm action=sandbox>
                                <input type="hidden" name="csrf" value=csrf_sandbox.clone() />
                                <button type="submit" class="button button--quiet">
                                    {mt("settings-klaviyo-sandbox")}
                                </button>
                            </ActionForm>
                        }
                    })}
            </div>
            <p class="report" role="status">
                {move || {
                    error_for(&lists_err.try_get().flatten(), "key")
                        .or_else(|| error_for(&lists_err.try_get().flatten(), "form"))
                        .map(|text| view! { <span class="field__error">{text}</span> })
                }}
                {move || sandbox.value().get().map(|r| r.unwrap_or_else(|e| e.to_string()))}
            </p>
        </section>
    }
}
