//! The settings page's Yotpo Loyalty section: the account's GUID and API key, and the
//! custom actions that reward an SMS sign-up and an approved photo, with the points the
//! consent block and the photo form promise.

use super::super::fields::{error_for, TextField};
use crate::api::{SaveLoyalty, UseLoyaltySandbox};
use crate::domain::settings::SettingsView;
use crate::i18n::mt;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub(super) fn LoyaltySection(
    view: SettingsView,
    save: ServerAction<SaveLoyalty>,
    sandbox: ServerAction<UseLoyaltySandbox>,
) -> impl IntoView {
    let err = Memo::new(move |_| {
        save.value()
            .get()
            .and_then(Result::err)
            .or_else(|| sandbox.value().get().and_then(Result::err))
    });
    let error = move |field: &'static str| {
        Signal::derive(move || error_for(&err.try_get().flatten(), field))
    };
    let saved = move || {
        save.value()
            .get()
            .and_then(Result::ok)
            .or_else(|| sandbox.value().get().and_then(Result::ok))
    };
    let loyalty = view.loyalty;
    let csrf = view.csrf;
    let csrf_sandbox = csrf.clone();
    view! {
        <section class="card" id="loyalty" aria-labelledby="loyalty-title">
            <h2 id="loyalty-title">{mt("settings-loyalty-heading")}</h2>
            <p>{mt("settings-loyalty-intro")}</p>
            <ActionForm action=save attr:class="stack">
                <input type="hidden" name="csrf" value=csrf />
                <TextField
                    id="loyalty_guid"
                    label=mt("settings-loyalty-guid-label")
                    value=loyalty.guid.clone()
                    hint=mt("settings-loyalty-guid-hint")
                    autocomplete="off"
                    error=error("loyalty_guid")
                />
                <div class="field">
                    <label for="loyalty_key">{mt("settings-loyalty-key-label")}</label>
                    <input
                        id="loyalty_key"
                        name="loyalty_key"
                        type="password"
                        autocomplete="new-password"
                        placeholder=if loyalty.has_key {
                            mt("settings-secret-stored")
                        } else {
                            String::new()
                        }
                        aria-describedby="loyalty_key-error"
                        aria-invalid=move || error("loyalty_key").get().map(|_| "true")
                    />
                    <p id="loyalty_key-error" class="field__error" aria-live="polite">
                        {move || error("loyalty_key").get()}
                    </p>
                </div>
                <TextField
                    id="loyalty_action"
                    label=mt("settings-loyalty-action-label")
                    value=loyalty.action.clone()
                    hint=mt("settings-loyalty-action-hint")
                    error=error("loyalty_action")
                />
                <TextField
                    id="loyalty_points"
                    label=mt("settings-loyalty-points-label")
                    kind="number"
                    value=loyalty.points.map(|p| p.to_string()).unwrap_or_default()
                    hint=mt("settings-loyalty-points-hint")
                    error=error("loyalty_points")
                />
                <TextField
                    id="loyalty_photo_action"
                    label=mt("settings-loyalty-photo-action-label")
                    value=loyalty.photo_action.clone()
                    hint=mt("settings-loyalty-photo-action-hint")
                    error=error("loyalty_photo_action")
                />
                <TextField
                    id="loyalty_photo_points"
                    label=mt("settings-loyalty-photo-points-label")
                    kind="number"
                    value=loyalty.photo_points.map(|p| p.to_string()).unwrap_or_default()
                    hint=mt("settings-loyalty-photo-points-hint")
                    error=error("loyalty_photo_points")
                />
                <p class="field__error" role="alert">
                    {move || error_for(&err.try_get().flatten(), "loyalty_form")}
                </p>
                <p class="saved" role="status">
                    {saved}
                </p>
                <button type="submit" class="button">
                    {move || {
                        if save.pending().get() {
                            mt("settings-loyalty-checking")
                        } else {
                            mt("settings-save")
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
                                {mt("settings-loyalty-sandbox")}
                            </button>
                        </ActionForm>
                    }
                })}
        </section>
    }
}
