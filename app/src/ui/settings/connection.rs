//! The settings page's Yotpo sections: the connection (store ID, secret, list, test
//! connection, the sandbox), the consent texts and links, and the choice between
//! Tracklight's checkbox and one of the merchant's published Yotpo forms.

use super::super::fields::{error_for, TextField};
use super::texts::ConsentTextFields;
use super::Actions;
use crate::api::{signup_forms, SaveSignupForm, TestConnection};
use crate::domain::settings::{SettingsView, SignupFormView};
use crate::domain::AppError;
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
        "Stored encrypted and never shown again. Leave blank to keep it."
    } else {
        "In Yotpo: Settings, then General settings, then API credentials."
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
                    .map(|l| format!(" Lists: {l}."))
                    .unwrap_or_default();
                (r.ok, format!("{}{lists}", r.message))
            }
            Err(e) => (false, e.to_string()),
        })
    };
    view! {
        <section class="card" id="sms-settings" aria-labelledby="sms-settings-title">
            <h2 id="sms-settings-title">"Yotpo SMS & Email"</h2>
            <ActionForm action=save attr:class="stack">
                <input type="hidden" name="csrf" value=csrf />
                <TextField
                    id="store_id"
                    label="Yotpo store ID"
                    value=sms.store_id.clone().unwrap_or_default()
                    autocomplete="off"
                    error=error("store_id")
                />
                <TextField
                    id="secret"
                    label="Yotpo API secret"
                    kind="password"
                    autocomplete="new-password"
                    placeholder=if sms.has_secret {
                        "•••••••• (stored)"
                    } else {
                        ""
                    }
                    hint=secret_hint
                    error=error("secret")
                />
                <TextField
                    id="list_id"
                    label="SMS list ID"
                    value=sms.list_id.clone().unwrap_or_default()
                    hint="Shoppers who tick the box join this list. Test the connection to pick from your lists."
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
                    {move || if save.pending().get() { "Checking with Yotpo…" } else { "Save" }}
                </button>
            </ActionForm>
            <div class="row">
                <ActionForm action=test>
                    <input type="hidden" name="csrf" value=csrf_test />
                    <button type="submit" class="button button--quiet">
                        {move || {
                            if test.pending().get() { "Testing…" } else { "Test connection" }
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
                                    "Use a sandbox store"
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
        Some(script) => format!("Now showing your Yotpo form {script}."),
        None => "Now showing Tracklight's checkbox with the consent text above.".to_owned(),
    };
    view! {
        <section class="card" id="signup-form" aria-labelledby="signup-form-title">
            <h2 id="signup-form-title">"Sign-up form"</h2>
            <p class="muted">
                "Instead of Tracklight's checkbox, tracking pages can show one of your published Yotpo SMS forms, still only to shoppers who are not subscribed. Sign-ups through a Yotpo form are recorded by Yotpo, not in Tracklight's consent log."
            </p>
            <p>
                <strong>{current}</strong>
            </p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <TextField
                    id="form_code"
                    label="Yotpo form code (optional)"
                    value=view.sms.form_script.clone().unwrap_or_default()
                    autocomplete="off"
                    hint="Paste the form's embed code from Yotpo, or its script address, or pick a published form. Leave blank to show Tracklight's checkbox."
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
                                view! { <option value=f.script>{format!("Form {}", f.id)}</option> }
                            })
                            .collect_view()
                    }}
                </datalist>
                <p class="muted">
                    {move || match forms.try_get().flatten() {
                        None => "Looking up your published Yotpo forms…".to_owned(),
                        Some(Ok(Some(list))) if list.is_empty() => {
                            "Your Yotpo account has no published SMS forms.".to_owned()
                        }
                        Some(Ok(Some(list))) => {
                            format!(
                                "Published in your Yotpo account: {}.",
                                list
                                    .iter()
                                    .map(|f| format!("form {}", f.id))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            )
                        }
                        Some(Ok(None)) => {
                            "Connect Yotpo above to pick from your published forms.".to_owned()
                        }
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
                    {move || if action.pending().get() { "Checking with Yotpo…" } else { "Save" }}
                </button>
            </ActionForm>
        </section>
    }
}
