//! The SMS consent block under the timeline: an unchecked checkbox bound to the required
//! disclosure, the phone field (prefilled from the order, with the shipping country as the
//! default region and a country picker), inline errors that screen readers announce.
//!
//! It is an `ActionForm`: without WebAssembly it is a plain form post that comes back to the
//! page (errors in the URL, rendered by the server); hydrated, it submits without a reload.
//! The server decides whether to show it at all, and re-validates everything.

use super::fields::error_for;
use crate::api::{sms_status, SubscribeSms};
use crate::domain::countries::COUNTRIES;
use crate::domain::{CheckboxForm, ConsentOffer, OfferForm, OfferStatus, SubscribeOutcome};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// An island: on a shopper's page only this block and the refreshable status hydrate.
#[island]
pub fn ConsentBlock(
    offer: ConsentOffer,
    token: String,
    /// The page the block is shown on, when it is not Tracklight's own (the embed).
    page_url: Option<String>,
    /// The settings page's preview: everything shown, nothing sent.
    preview: bool,
) -> impl IntoView {
    let subscribe = ServerAction::<SubscribeSms>::new();
    let status = RwSignal::new(offer.status.clone());
    if offer.status == OfferStatus::Checking {
        // The provider was slow when the page was rendered: ask again from the browser.
        let token = token.clone();
        Effect::new(move |_| {
            let token = token.clone();
            leptos::task::spawn_local(async move {
                if let Ok(Some(fresh)) = sms_status(token).await {
                    status.set(fresh.status);
                }
            });
        });
    }
    let offer = StoredValue::new(offer);
    let token = StoredValue::new(token);
    move || match (subscribe.value().get(), status.get()) {
        (Some(Ok(done)), _) => view! { <Confirmation done /> }.into_any(),
        (_, OfferStatus::SignedUp { phone_masked }) => {
            view! { <Confirmation done=SubscribeOutcome { phone_masked } /> }.into_any()
        }
        (_, OfferStatus::Offer) => match offer.get_value() {
            ConsentOffer {
                form: OfferForm::Checkbox(form),
                sandbox,
                ..
            } => view! {
                <ConsentForm
                    form
                    sandbox
                    token=token.get_value()
                    page_url=page_url.clone()
                    preview
                    subscribe
                />
            }
            .into_any(),
            ConsentOffer {
                form: OfferForm::Provider { script_src },
                sandbox,
                ..
            } => view! { <ProviderForm script_src sandbox /> }.into_any(),
        },
        _ => ().into_any(),
    }
}

#[component]
fn Confirmation(done: SubscribeOutcome) -> impl IntoView {
    view! {
        <section class="card consent consent--done" aria-labelledby="sms-title">
            <h2 id="sms-title">"You're signed up for texts"</h2>
            <p role="status">
                "We'll text " <span class="mono">{done.phone_masked}</span>
                ". Reply STOP at any time to cancel."
            </p>
        </section>
    }
}

/// The merchant's own sign-up form from their SMS provider (Yotpo's published form): its
/// script renders the form next to itself and signs the shopper up with the provider.
#[component]
fn ProviderForm(script_src: String, sandbox: bool) -> impl IntoView {
    view! {
        <section class="card consent consent--provider" aria-label="Sign up for texts">
            <div class="consent__provider-form">
                <script src=script_src></script>
            </div>
            {sandbox
                .then(|| {
                    view! {
                        <p class="consent__sandbox">
                            "Sandbox: this is the Yotpo sandbox's stand-in for the store's Yotpo form; no texts are sent."
                        </p>
                    }
                })}
        </section>
    }
}

#[component]
fn ConsentForm(
    form: CheckboxForm,
    sandbox: bool,
    token: String,
    page_url: Option<String>,
    preview: bool,
    subscribe: ServerAction<SubscribeSms>,
) -> impl IntoView {
    let CheckboxForm {
        heading,
        extra,
        disclosure,
        terms_url,
        privacy_url,
        disclosure_sha256,
        phone,
        country,
        idempotency_key,
    } = form;
    let error = Memo::new(move |_| subscribe.value().get().and_then(Result::err));
    let phone_error = move || error_for(&error.try_get().flatten(), "phone");
    let country_error = move || error_for(&error.try_get().flatten(), "country");
    let consent_error = move || error_for(&error.try_get().flatten(), "consent");
    let form_error = move || error_for(&error.try_get().flatten(), "form");
    let pending = subscribe.pending();
    let options = COUNTRIES
        .iter()
        .map(|(code, name, calling)| {
            let selected = *code == country;
            view! {
                <option value=*code selected=selected>
                    {format!("{name} (+{calling})")}
                </option>
            }
        })
        .collect_view();

    view! {
        <section class="card consent" aria-labelledby="sms-title">
            <h2 id="sms-title">{heading}</h2>
            {extra.map(|text| view! { <p class="consent__extra">{text}</p> })}
            <ActionForm action=subscribe attr:class="consent__form" attr:novalidate=true>
                <input type="hidden" name="token" value=token />
                <input type="hidden" name="key" value=idempotency_key />
                <input type="hidden" name="disclosure" value=disclosure_sha256 />
                {page_url.map(|url| view! { <input type="hidden" name="page_url" value=url /> })}
                <div class="field">
                    <label for="sms-country">"Country"</label>
                    <select
                        id="sms-country"
                        name="country"
                        autocomplete="country"
                        aria-invalid=move || country_error().map(|_| "true")
                        aria-describedby="sms-country-error"
                    >
                        {options}
                    </select>
                    <p id="sms-country-error" class="field__error" aria-live="polite">
                        {country_error}
                    </p>
                </div>
                <div class="field">
                    <label for="sms-phone">"Mobile number"</label>
                    <input
                        id="sms-phone"
                        name="phone"
                        type="tel"
                        inputmode="tel"
                        autocomplete="tel"
                        value=phone
                        aria-invalid=move || phone_error().map(|_| "true")
                        aria-describedby="sms-phone-error"
                    />
                    <p id="sms-phone-error" class="field__error" aria-live="polite">
                        {phone_error}
                    </p>
                </div>
                <div class="consent__check">
                    <input
                        id="sms-consent"
                        name="consent"
                        type="checkbox"
                        value="yes"
                        aria-invalid=move || consent_error().map(|_| "true")
                        aria-describedby="sms-consent-error"
                    />
                    <label for="sms-consent">
                        {disclosure} " See our " <a href=terms_url target="_blank" rel="noopener">
                            "Terms"
                        </a> " and " <a href=privacy_url target="_blank" rel="noopener">
                            "Privacy Policy"
                        </a> "."
                    </label>
                </div>
                <p id="sms-consent-error" class="field__error" aria-live="polite">
                    {consent_error}
                </p>
                <p class="field__error field__error--form" role="alert">
                    {form_error}
                </p>
                <button
                    type="submit"
                    class="button"
                    disabled=preview
                    aria-disabled=move || pending.get().then_some("true")
                >
                    {move || if pending.get() { "Signing you up…" } else { "Sign up for texts" }}
                </button>
                {preview
                    .then(|| {
                        view! {
                            <p class="consent__sandbox">"Preview: this copy sends nothing."</p>
                        }
                    })}
                {sandbox
                    .then(|| {
                        view! {
                            <p class="consent__sandbox">
                                "Sandbox: this sign-up goes to Tracklight's Yotpo sandbox; no texts are sent."
                            </p>
                        }
                    })}
            </ActionForm>
        </section>
    }
}
