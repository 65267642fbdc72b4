//! The settings page's Yotpo sections: the connection (store ID, secret, list, test
//! connection, the sandbox), the consent texts and links, and the choice between
//! Tracklight's checkbox and one of the merchant's published Yotpo forms.

use super::super::fields::{error_for, TextField};
use super::texts::ConsentTextFields;
use super::Actions;
use crate::api::{signup_forms, SaveSignupForm, TestConnection};
use crate::domain::settings::{SettingsView, SignupFormView};
use crate::domain::AppError;
use crate::i18n::{mt, mt_with, Arg};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub(super) fn SmsSection(view: SettingsView, actions: Actions) -> impl IntoView {
    let test = ServerAction::<TestConnection>::new();
    let save = actions.save_sms;
    let err = Memo::new(move |_| save.value().get().and_then(Result::err));
    let error = move |field: &'static str| {
        Signal::derive(move || error_for(&err.try_get().flatten(), field))
    };
    let saved = move || save.value().get().and_then(Result::ok);
    let sms = view.sms;
    let csrf = view.csrf;
    let csrf_test = csrf.clone();
    let csrf_sandbox = csrf.clone();
    let secret_hint = if sms.has_secret {
        mt("settings-yotpo-secret-hint-stored")
    } else {
        mt("settings-yotpo-secret-hint")
    };
    let report = move || {
        test.value().get().map(|r| match r {
            Ok(r) => {
                let lists = r
                    .lists
                    .map(|lists| {
                        lists
                            .into_iter()
                            .map(|l| format!("{} ({})", l.name, l.id))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .map(|l| {
                        format!(
                            " {}",
                            mt_with("settings-yotpo-test-lists", &[("lists", Arg::from(l))])
                        )
                    })
                    .unwrap_or_default();
                (r.ok, format!("{}{lists}", r.message))
            }
            Err(e) => (false, e.to_string()),
        })
    };
    view! {
        <section class="card" id="sms-settings" aria-labelledby="sms-settings-title">
            <h2 id="sms-settings-title">{mt("settings-yotpo-heading")}</h2>
            <ActionForm action=save attr:class="stack">
                <input type="hidden" name="csrf" value=csrf />
                <TextField
                    id="store_id"
                    label=mt("settings-yotpo-store-id-label")
                    value=sms.store_id.clone().unwrap_or_default()
                    autocomplete="off"
                    error=error("store_id")
                />
                <TextField
                    id="secret"
                    label=mt("settings-yotpo-secret-label")
                    kind="password"
                    autocomplete="new-password"
                    placeholder=if sms.has_secret {
                        mt("settings-secret-stored")
                    } else {
                        String::new()
                    }
                    hint=secret_hint
                    error=error("secret")
                />
                <TextField
                    id="list_id"
                    label=mt("settings-yotpo-list-id-label")
                    value=sms.list_id.clone().unwrap_or_default()
                    hint=mt("settings-yotpo-list-id-hint")
                    suggestions="sms-lists"
                    error=error("list_id")
                />
                <ConsentTextFields id_prefix="" sms=sms.clone() err />
                // After "Test connection": the account's lists as suggestions for the list ID.
                <datalist id="sms-lists">
                    {move || {
                        test.value()
                            .get()
                            .and_then(Result::ok)
                            .and_then(|r| r.lists)
                            .map(|lists| {
                                lists
                                    .into_iter()
                                    .map(|l| {
                                        view! { <option value=l.id.to_string()>{l.name}</option> }
                                    })
                                    .collect_view()
                            })
                    }}
                </datalist>
                <p class="field__error" role="alert">
                    {move || error_for(&err.try_get().flatten(), "form")}
                </p>
                <p class="saved" role="status">
                    {saved}
                </p>
                <button type="submit" class="button">
                    {move || {
                        if save.pending().get() {
                            mt("settings-yotpo-checking")
                        } else {
                            mt("settings-save")
                        }
                    }}
                </button>
            </ActionForm>
            <div class="row">
                <ActionForm action=test>
                    <input type="hidden" name="csrf" value=csrf_test />
                    <button type="submit" class="button button--quiet">
                        {move || {
                            if test.pending().get() {
                                mt("settings-yotpo-testing")
                            } else {
                                mt("settings-yotpo-test")
                            }
                        }}
                    </button>
                </ActionForm>
                {view
                    .sandbox
                    .then(|| {
                        let sandbox = actions.sandbox;
                        view! {
                            <ActionForm action=sandbox>
                                <input type="hidden" name="csrf" value=csrf_sandbox.clone() />
                                <button type="submit" class="button button--quiet">
                                    {mt("settings-yotpo-sandbox")}
                                </button>
                            </ActionForm>
                        }
                    })}
            </div>
            <p class="report" role="status">
                {move || {
                    report()
                        .map(|(ok, text)| {
                            view! {
                                <span class=if ok { "ok" } else { "field__error" }>{text}</span>
                            }
                        })
                }}
                {move || actions.sandbox.value().get().map(|r| r.unwrap_or_else(|e| e.to_string()))}
            </p>
        </section>
    }
}

/// Tracklight's checkbox, or one of the merchant's published Yotpo forms in its place.
#[component]
pub(super) fn SignupFormSection(
    view: SettingsView,
    action: ServerAction<SaveSignupForm>,
) -> impl IntoView {
    let err = Memo::new(move |_| action.value().get().and_then(Result::err));
    let error = move |field: &'static str| {
        Signal::derive(move || error_for(&err.try_get().flatten(), field))
    };
    let saved = move || action.value().get().and_then(Result::ok);
    // The account's published forms, asked from the browser once the page is interactive,
    // and again after each save. An effect filling a signal rather than a resource: none of
    // it exists on the server, where a resource's late notice re-ran the page's `Suspense`
    // after the page was sent and disposed (a panic in the render task).
    let forms = RwSignal::new(None::<Result<Option<Vec<SignupFormView>>, AppError>>);
    Effect::new(move |_| {
        action.version().track();
        leptos::task::spawn_local(async move {
            let answer = signup_forms().await;
            let _ = forms.try_set(Some(answer));
        });
    });
    let current = match &view.sms.form_script {
        Some(script) => mt_with(
            "settings-signup-form-current",
            &[("script", Arg::from(script.as_str()))],
        ),
        None => mt("settings-signup-form-current-checkbox"),
    };
    view! {
        <section class="card" id="signup-form" aria-labelledby="signup-form-title">
            <h2 id="signup-form-title">{mt("settings-signup-form-heading")}</h2>
            <p class="muted">{mt("settings-signup-form-text")}</p>
            <p>
                <strong>{current}</strong>
            </p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <TextField
                    id="form_code"
                    label=mt("settings-signup-form-code-label")
                    value=view.sms.form_script.clone().unwrap_or_default()
                    autocomplete="off"
                    hint=mt("settings-signup-form-code-hint")
                    suggestions="yotpo-forms"
                    error=error("form_code")
                />
                <datalist id="yotpo-forms">
                    {move || {
                        forms
                            .try_get()
                            .flatten()
                            .and_then(Result::ok)
                            .flatten()
                            .unwrap_or_default()
                            .into_iter()
                            .map(|f| {
                                // try_get: a page render the browser drops may have disposed it.
                                view! {
                                    <option value=f
                                        .script>
                                        {mt_with(
                                            "settings-signup-form-option",
                                            &[("id", Arg::from(f.id.as_str()))],
                                        )}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </datalist>
                <p class="muted">
                    {move || match forms.try_get().flatten() {
                        None => mt("settings-signup-form-looking"),
                        Some(Ok(Some(list))) if list.is_empty() => mt("settings-signup-form-none"),
                        Some(Ok(Some(list))) => {
                            let forms = list
                                .iter()
                                .map(|f| {
                                    mt_with(
                                        "settings-signup-form-item",
                                        &[("id", Arg::from(f.id.as_str()))],
                                    )
                                })
                                .collect::<Vec<_>>()
                                .join(", ");
                            mt_with(
                                "settings-signup-form-published",
                                &[("forms", Arg::from(forms))],
                            )
                        }
                        Some(Ok(None)) => mt("settings-signup-form-not-connected"),
                        Some(Err(e)) => e.to_string(),
                    }}
                </p>
                <p class="field__error" role="alert">
                    {move || error_for(&err.try_get().flatten(), "form")}
                </p>
                <p class="saved" role="status">
                    {saved}
                </p>
                <button type="submit" class="button">
                    {move || {
                        if action.pending().get() {
                            mt("settings-yotpo-checking")
                        } else {
                            mt("settings-save")
                        }
                    }}
                </button>
            </ActionForm>
        </section>
    }
}
