//! The settings page's choice of where new text sign-ups go (Yotpo SMS & Email or Klaviyo).

use super::super::fields::error_for;
use crate::api::ChooseProvider;
use crate::domain::settings::SettingsView;
use crate::domain::ListProvider;
use crate::i18n::{mt, mt_with, Arg};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// Where new sign-ups go: Yotpo SMS & Email or Klaviyo, whichever is connected. Consents
/// already given finish with the provider they were given under.
#[component]
pub(super) fn ProviderSection(
    view: SettingsView,
    action: ServerAction<ChooseProvider>,
) -> impl IntoView {
    let err = Memo::new(move |_| action.value().get().and_then(Result::err));
    let saved = move || action.value().get().and_then(Result::ok);
    let sms = view.sms;
    let connected = |p: ListProvider| match p {
        ListProvider::Yotpo => sms.has_secret,
        ListProvider::Klaviyo => sms.klaviyo.has_key,
    };
    let options = ListProvider::ALL
        .into_iter()
        .map(|p| {
            let id = format!("provider-{}", p.as_str());
            let label = mt_with(
                if connected(p) {
                    "settings-provider-option-connected"
                } else {
                    "settings-provider-option-not-connected"
                },
                &[("provider", Arg::from(p.label()))],
            );
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        id=id.clone()
                        name="provider"
                        value=p.as_str()
                        checked=p == sms.provider
                        disabled=!connected(p)
                    />
                    <label for=id>{label}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="provider" aria-labelledby="provider-title">
            <h2 id="provider-title">{mt("settings-provider-heading")}</h2>
            <p class="muted">{mt("settings-provider-text")}</p>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <fieldset>
                    <legend>{mt("settings-provider-legend")}</legend>
                    {options}
                </fieldset>
                <p class="field__error" role="alert">
                    {move || {
                        error_for(&err.try_get().flatten(), "provider")
                            .or_else(|| error_for(&err.try_get().flatten(), "form"))
                    }}
                </p>
                <p class="saved" role="status">
                    {saved}
                </p>
                <button type="submit" class="button button--quiet">
                    {move || {
                        if action.pending().get() {
                            mt("settings-saving")
                        } else {
                            mt("settings-provider-save")
                        }
                    }}
                </button>
            </ActionForm>
        </section>
    }
}
