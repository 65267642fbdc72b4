//! The SMS consent block under the timeline: an unchecked checkbox bound to the required
//! disclosure, the phone field (with the shipping country as the default region and a country
//! picker; when the order has a mobile number, a choice of it, shown masked: the page is open
//! to anyone holding the link), inline errors that screen readers announce.
//!
//! The server renders it whole, as a plain form that posts to `sms_subscribe` and comes back to
//! the page (a failed post's error travels in the URL and is shown here next to its field).
//! The shopper widget's WebAssembly (`widget/`) enhances it through [`SmsSignUp`]'s markup:
//! submit without a reload, show errors in place, confirm; and ask again when the SMS provider
//! was too slow to answer while the page was rendered. The server decides whether to show the
//! block at all, and re-validates everything.

use super::fields::shopper_error_for;
use crate::api::{SmsStatus, SubscribeSms};
use crate::domain::countries::COUNTRIES;
use crate::domain::{CheckboxForm, ConsentOffer, OfferForm, OfferStatus};
use crate::i18n::{Arg, Lang};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// What a refused form post sent (only the server renders this block; the browser build of
/// the app compiles it without one).
#[cfg(not(feature = "ssr"))]
#[derive(Default)]
struct Echo {
    phone: Option<String>,
    country: Option<String>,
}

/// The form's fields that can carry an error, in the order they are shown; `"form"` is the
/// error that belongs to no field.
const FIELDS: [&str; 4] = ["country", "phone", "consent", "form"];

/// What a shopper's page shows for SMS: the offer (checkbox or the provider's own form), a
/// note that they signed up here already, or nothing.
#[component]
pub fn ConsentBlock(
    offer: ConsentOffer,
    /// The page's language.
    lang: Lang,
    token: String,
    /// The page the block is shown on, when it is not Tracklight's own (the embed).
    page_url: Option<String>,
    /// The settings page's preview: everything shown, nothing sent.
    preview: bool,
) -> impl IntoView {
    let ConsentOffer {
        status,
        form,
        sandbox,
        confirm_by_text,
    } = offer;
    let checking = match status {
        OfferStatus::SignedUp { phone_masked } => {
            return view! { <Confirmation lang phone_masked confirm_by_text /> }.into_any();
        }
        OfferStatus::Subscribed => return ().into_any(),
        OfferStatus::Offer => false,
        // The provider did not answer in time: rendered hidden, shown if the island's second
        // question says so.
        OfferStatus::Checking => true,
    };
    let form = match form {
        OfferForm::Checkbox(form) => {
            view! { <ConsentForm form sandbox token=token.clone() page_url preview /> }.into_any()
        }
        OfferForm::Provider { script_src } => {
            view! { <ProviderForm lang script_src sandbox /> }.into_any()
        }
    };
    view! {
        <SmsSignUp lang confirm_by_text>
            <div
                id="sms-offer"
                hidden=checking
                data-status=if checking { "checking" } else { "offer" }
                data-status-url=SmsStatus::PATH
                data-token=token
            >
                {form}
            </div>
        </SmsSignUp>
    }
    .into_any()
}

/// The block around the offer, with what the shopper widget's WebAssembly (`widget/`) needs
/// to take over the form's submission and to ask again when the status was unknown: the
/// texts it shows (in `data-` attributes, worded here like the rest of the page) and the
/// confirmation it shows after a sign-up (a `<template>`, filled in with the masked number).
#[component]
fn SmsSignUp(lang: Lang, confirm_by_text: bool, children: Children) -> impl IntoView {
    view! {
        <div
            class="consent-signup"
            data-sending=lang.t("consent-sending")
            data-error-rate-limited=lang.t("error-rate-limited")
            data-error-not-found=lang.t("error-not-found")
            data-error-unavailable=lang.t("error-unavailable")
            data-error-internal=lang.t("error-internal")
        >
            {children()}
            <template id="sms-done-template">
                <Confirmation lang phone_masked=String::new() confirm_by_text />
            </template>
        </div>
    }
}

/// The phone field's countries, named in `lang` (CLDR, on the server).
fn country_options(lang: Lang) -> Vec<(&'static str, String)> {
    #[cfg(feature = "ssr")]
    return crate::i18n::cldr::country_options(lang).to_vec();
    #[cfg(not(feature = "ssr"))]
    {
        let _ = lang;
        COUNTRIES
            .iter()
            .map(|(code, name, calling)| (*code, format!("{name} (+{calling})")))
            .collect()
    }
}

/// Signed up: on the page after a sign-up here, and in place of the form right after one.
#[component]
fn Confirmation(lang: Lang, phone_masked: String, confirm_by_text: bool) -> impl IntoView {
    // A double opt-in list: the provider texts the shopper, who joins by replying.
    let (title, text) = if confirm_by_text {
        ("done-confirm-title", "done-confirm-text")
    } else {
        ("done-title", "done-text")
    };
    let title = lang.t(title);
    const MARK: &str = "\u{1}";
    let text = lang.t_with(text, &[("phone", Arg::from(MARK))]);
    let (before, after) = text.split_once(MARK).unwrap_or((&text, ""));
    let (before, after) = (before.to_owned(), after.to_owned());
    view! {
        <section class="card consent consent--done" aria-labelledby="sms-done-title">
            // Focused when it replaces the form, so screen readers read it out.
            <h2 id="sms-done-title" tabindex="-1">
                {title}
            </h2>
            <p role="status">{before} <span class="mono">{phone_masked}</span> {after}</p>
        </section>
    }
}

/// The merchant's own sign-up form from their SMS provider (Yotpo's published form): its
/// script renders the form next to itself and signs the shopper up with the provider.
#[component]
fn ProviderForm(lang: Lang, script_src: String, sandbox: bool) -> impl IntoView {
    let loader = super::scripts::provider_form_loader(&script_src);
    #[cfg(feature = "ssr")]
    super::scripts::allow_inline_script(&loader);
    view! {
        <section class="card consent consent--provider" aria-label=lang.t("consent-provider-form")>
            <div class="consent__provider-form">
                <script nonce=leptos::nonce::use_nonce() inner_html=loader></script>
            </div>
            {sandbox
                .then(|| {
                    view! {
                        <p class="consent__sandbox">{lang.t("consent-provider-sandbox-note")}</p>
                    }
                })}
        </section>
    }
}

/// Tracklight's own consent form, as the server renders it: a plain form post that works
/// without WebAssembly, showing the error a failed post brought back in the URL.
#[component]
fn ConsentForm(
    form: CheckboxForm,
    sandbox: bool,
    token: String,
    page_url: Option<String>,
    preview: bool,
) -> impl IntoView {
    let CheckboxForm {
        lang,
        heading,
        extra,
        disclosure,
        terms_url,
        privacy_url,
        disclosure_sha256,
        order_phone,
        country,
        phone_example,
        idempotency_key,
        loyalty_points,
    } = form;
    // On the server, a server action reads the error a plain form post came back with. An
    // `Arc` one: this renders after the page's data arrived, when a dropped request may have
    // disposed the page's arena already.
    let error = ArcServerAction::<SubscribeSms>::new()
        .value()
        .get_untracked()
        .and_then(Result::err);
    let [country_error, phone_error, consent_error, form_error] =
        FIELDS.map(|field| shopper_error_for(lang, &error, field));
    // A refused plain form post comes back filled in with what the shopper typed (the
    // router reads it from the sealed error; it is never in the URL in clear).
    #[cfg(feature = "ssr")]
    let echo = error
        .is_some()
        .then(crate::ssr::request::FormEcho::current)
        .flatten()
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let echo = Echo::default();
    let typed = echo.phone.unwrap_or_default();
    let country = echo
        .country
        .filter(|c| COUNTRIES.iter().any(|(code, _, _)| code == c))
        .unwrap_or(country);
    let order_chosen = typed.trim().is_empty();
    let invalid = |message: &Option<String>| message.as_ref().map(|_| "true");
    let options = country_options(lang)
        .into_iter()
        .map(|(code, label)| {
            let selected = code == country;
            view! {
                <option value=code selected=selected>
                    {label}
                </option>
            }
        })
        .collect_view();
    // The disclosure's last sentence, with its two links where the language puts them.
    let (links, terms_first) = lang.link_sentence();
    let terms = view! {
        <a href=terms_url target="_blank" rel="noopener">
            {links.terms}
        </a>
    };
    let privacy = view! {
        <a href=privacy_url target="_blank" rel="noopener">
            {links.privacy}
        </a>
    };
    let links = if terms_first {
        view! {
            {links.before}
            {terms}
            {links.between}
            {privacy}
            {links.after}
        }
        .into_any()
    } else {
        view! {
            {links.before}
            {privacy}
            {links.between}
            {terms}
            {links.after}
        }
        .into_any()
    };
    let space = (!disclosure.ends_with('。')).then_some(" ");
    let example = phone_example
        .map(|example| lang.t_with("consent-phone-example", &[("example", example.into())]));

    view! {
        <section class="card consent" aria-labelledby="sms-title">
            // The store's own texts may be in another language than the page's: each reads in its
            // own direction.
            <h2 id="sms-title" dir="auto">
                {heading}
            </h2>
            {extra
                .map(|text| {
                    view! {
                        <p class="consent__extra" dir="auto">
                            {text}
                        </p>
                    }
                })}
            {loyalty_points
                .map(|points| {
                    view! {
                        <p class="consent__points">
                            {lang.t_with("consent-points", &[("count", Arg::Number(points))])}
                        </p>
                    }
                })}
            <form
                class="consent__form"
                action=SubscribeSms::PATH
                method="post"
                novalidate
                data-preview=preview.then_some("true")
            >
                <input type="hidden" name="token" value=token />
                <input type="hidden" name="key" value=idempotency_key />
                <input type="hidden" name="disclosure" value=disclosure_sha256 />
                <input type="hidden" name="lang" value=lang.tag() />
                {page_url.map(|url| view! { <input type="hidden" name="page_url" value=url /> })}
                <div class="field">
                    <label for="sms-country">{lang.t("consent-country")}</label>
                    <select
                        id="sms-country"
                        name="country"
                        autocomplete="country"
                        aria-invalid=invalid(&country_error)
                        aria-describedby="sms-country-error"
                    >
                        {options}
                    </select>
                    <p id="sms-country-error" class="field__error" aria-live="polite">
                        {country_error}
                    </p>
                </div>
                {order_phone
                    .map(|masked| {
                        view! {
                            <fieldset class="consent__numbers">
                                <legend>{lang.t("consent-which-number")}</legend>
                                <label class="consent__choice">
                                    <input
                                        type="radio"
                                        name="phone_choice"
                                        value="order"
                                        checked=order_chosen
                                    />
                                    {lang
                                        .t_with(
                                            "consent-order-number",
                                            &[("masked", masked.into())],
                                        )}
                                </label>
                                <label class="consent__choice">
                                    <input
                                        type="radio"
                                        name="phone_choice"
                                        value="other"
                                        checked=!order_chosen
                                    />
                                    {lang.t("consent-other-number")}
                                </label>
                            </fieldset>
                        }
                    })}
                <div class="field">
                    <label for="sms-phone">{lang.t("consent-phone")}</label>
                    {example
                        .clone()
                        .map(|example| {
                            view! {
                                <p id="sms-phone-hint" class="field__hint">
                                    {example}
                                </p>
                            }
                        })}
                    <input
                        id="sms-phone"
                        name="phone"
                        type="tel"
                        inputmode="tel"
                        autocomplete="tel"
                        value=typed
                        aria-invalid=invalid(&phone_error)
                        aria-describedby=if example.is_some() {
                            "sms-phone-hint sms-phone-error"
                        } else {
                            "sms-phone-error"
                        }
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
                        aria-invalid=invalid(&consent_error)
                        aria-describedby="sms-consent-error"
                    />
                    <label for="sms-consent">{disclosure} {space} {links}</label>
                </div>
                <p id="sms-consent-error" class="field__error" aria-live="polite">
                    {consent_error}
                </p>
                <p id="sms-form-error" class="field__error field__error--form" role="alert">
                    {form_error}
                </p>
                <button type="submit" class="button" disabled=preview>
                    {lang.t("consent-submit")}
                </button>
                {preview
                    .then(|| {
                        view! { <p class="consent__sandbox">{lang.t("consent-preview-note")}</p> }
                    })}
                {sandbox
                    .then(|| {
                        view! { <p class="consent__sandbox">{lang.t("consent-sandbox-note")}</p> }
                    })}
            </form>
        </section>
    }
}
