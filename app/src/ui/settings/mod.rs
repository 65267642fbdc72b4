//! The merchant settings page, `/settings`: the Yotpo connection and the consent texts,
//! the brand, and API keys for the shipments API. Every form works without WebAssembly;
//! hydrated, each saves without a reload and the page re-reads what was saved.

mod brand;
mod connection;
mod ingest;
mod klaviyo;
mod languages;
mod loyalty;
mod milestones;
mod provider;
mod texts;

use crate::api::{
    get_settings, ChooseProvider, CreateKey, EraseSubject, RevokeKey, SaveBrand, SaveEmbed,
    SaveGuards, SaveIngest, SaveKlaviyo, SaveLanguages, SaveLoyalty, SaveMilestones,
    SaveSignupForm, SaveSms, SignOut, UseKlaviyoSandbox, UseLoyaltySandbox, UseSandbox,
};
use crate::domain::settings::SettingsView;
use crate::domain::AppError;
use crate::i18n::{mt, mt_with, Arg};
use brand::{BrandSection, DataSection, EmbedSection, GuardsSection, KeysSection};
use connection::{SignupFormSection, SmsSection};
use ingest::IngestSection;
use klaviyo::KlaviyoSection;
use languages::LanguagesSection;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use loyalty::LoyaltySection;
use milestones::MilestonesSection;
use provider::ProviderSection;

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Title text=mt("settings-page-title") />
        <Meta name="robots" content="noindex, nofollow" />
        <SettingsIsland />
    }
}

/// The whole settings page is one island: every section saves without a reload and the page
/// re-reads what was saved.
#[island]
fn SettingsIsland() -> impl IntoView {
    let save_sms = ServerAction::<SaveSms>::new();
    let sandbox = ServerAction::<UseSandbox>::new();
    let brand = ServerAction::<SaveBrand>::new();
    let create = ServerAction::<CreateKey>::new();
    let revoke = ServerAction::<RevokeKey>::new();
    let embed = ServerAction::<SaveEmbed>::new();
    let signup_form = ServerAction::<SaveSignupForm>::new();
    let guards = ServerAction::<SaveGuards>::new();
    let erase = ServerAction::<EraseSubject>::new();
    let klaviyo = ServerAction::<SaveKlaviyo>::new();
    let klaviyo_sandbox = ServerAction::<UseKlaviyoSandbox>::new();
    let provider = ServerAction::<ChooseProvider>::new();
    let milestones = ServerAction::<SaveMilestones>::new();
    let ingest = ServerAction::<SaveIngest>::new();
    let languages = ServerAction::<SaveLanguages>::new();
    let loyalty = ServerAction::<SaveLoyalty>::new();
    let loyalty_sandbox = ServerAction::<UseLoyaltySandbox>::new();
    let data = Resource::new_blocking(
        move || {
            (
                embed.version().get(),
                save_sms.version().get(),
                sandbox.version().get(),
                brand.version().get(),
                create.version().get(),
                revoke.version().get(),
                signup_form.version().get(),
                guards.version().get(),
                erase.version().get(),
                (
                    klaviyo.version().get(),
                    klaviyo_sandbox.version().get(),
                    provider.version().get(),
                    milestones.version().get(),
                    ingest.version().get(),
                    languages.version().get(),
                ),
                (loyalty.version().get(), loyalty_sandbox.version().get()),
            )
        },
        |_| get_settings(),
    );
    let actions = Actions {
        embed,
        save_sms,
        sandbox,
        brand,
        create,
        revoke,
        signup_form,
        guards,
        erase,
        klaviyo,
        klaviyo_sandbox,
        provider,
        milestones,
        ingest,
        languages,
        loyalty,
        loyalty_sandbox,
    };
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Settings view actions /> }.into_any(),
                    Err(AppError::Unauthorized) => sign_in_redirect().into_any(),
                    Err(err) => {
                        view! {
                            <main class="page page--narrow">
                                <p role="alert">
                                    {mt_with(
                                        "settings-unavailable",
                                        &[("error", Arg::from(err.to_string()))],
                                    )}
                                </p>
                            </main>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Where a page that needs a session sends a stranger: the server redirects a page request
/// first; this covers a session that ends while the page is open.
pub fn sign_in_redirect() -> impl IntoView {
    Effect::new(|_| {
        let _ = window().location().set_href("/signin");
    });
    view! {
        <main class="page page--narrow">
            <p>
                {mt("settings-session-ended")} " "
                <a href="/signin">{mt("settings-session-sign-in")}</a>
            </p>
        </main>
    }
}

#[derive(Clone, Copy)]
pub(super) struct Actions {
    pub(super) embed: ServerAction<SaveEmbed>,
    pub(super) save_sms: ServerAction<SaveSms>,
    pub(super) sandbox: ServerAction<UseSandbox>,
    pub(super) brand: ServerAction<SaveBrand>,
    pub(super) create: ServerAction<CreateKey>,
    pub(super) revoke: ServerAction<RevokeKey>,
    pub(super) signup_form: ServerAction<SaveSignupForm>,
    pub(super) guards: ServerAction<SaveGuards>,
    pub(super) languages: ServerAction<SaveLanguages>,
    pub(super) erase: ServerAction<EraseSubject>,
    pub(super) klaviyo: ServerAction<SaveKlaviyo>,
    pub(super) klaviyo_sandbox: ServerAction<UseKlaviyoSandbox>,
    pub(super) provider: ServerAction<ChooseProvider>,
    pub(super) milestones: ServerAction<SaveMilestones>,
    pub(super) ingest: ServerAction<SaveIngest>,
    pub(super) loyalty: ServerAction<SaveLoyalty>,
    pub(super) loyalty_sandbox: ServerAction<UseLoyaltySandbox>,
}

/// The sections the page's navigation leads to: (element id, message key of its label), in
/// page order.
const SECTIONS: [(&str, &str); 13] = [
    ("provider", "settings-nav-provider"),
    ("sms-settings", "settings-nav-yotpo"),
    ("signup-form", "settings-nav-signup-form"),
    ("klaviyo", "settings-nav-klaviyo"),
    ("preview", "settings-nav-preview"),
    ("milestones", "settings-nav-milestones"),
    ("loyalty", "settings-nav-loyalty"),
    ("brand", "settings-nav-brand"),
    ("guards", "settings-nav-guards"),
    ("data", "settings-nav-data"),
    ("embed", "settings-nav-embed"),
    ("ingest", "settings-nav-ingest"),
    ("keys", "settings-nav-keys"),
];

#[component]
fn Settings(view: SettingsView, actions: Actions) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let csrf = view.csrf.clone();
    let provider = view.sms.provider.label();
    let status = if view.sms.ready && view.sms.form_script.is_some() {
        mt("settings-status-yotpo-form")
    } else if view.sms.ready {
        mt_with("settings-status-on", &[("provider", Arg::from(provider))])
    } else {
        mt("settings-status-off")
    };
    view! {
        <main class="page page--wide page--settings">
            <header class="settings-head">
                <span class="brand__name">{view.brand.clone()}</span>
                <span class="muted">
                    {mt_with("settings-signed-in-as", &[("email", Arg::from(view.email.clone()))])}
                </span>
                <ActionForm action=sign_out>
                    <input type="hidden" name="csrf" value=csrf.clone() />
                    <button type="submit" class="button button--quiet">
                        {mt("settings-sign-out")}
                    </button>
                </ActionForm>
            </header>
            <h1>{mt("settings-heading")}</h1>
            {view
                .sandbox
                .then(|| {
                    view! {
                        <p class="sandbox-note">
                            <strong>{mt("settings-sandbox-title")}</strong>
                            {mt("settings-sandbox-text")}
                        </p>
                    }
                })}
            <p class=if view.sms.ready {
                "status-line status-line--on"
            } else {
                "status-line"
            }>{status}</p>
            <p>
                <a href="/settings/consents">{mt("settings-consent-log-link")}</a>
                " · "
                <a href="/settings/photos">{mt("settings-photos-link")}</a>
            </p>
            <div class="settings-layout">
                <nav class="settings-nav" aria-label=mt("settings-nav-label")>
                    <ul>
                        {SECTIONS
                            .iter()
                            .map(|(id, label)| {
                                view! {
                                    <li>
                                        <a href=format!("#{id}")>{mt(label)}</a>
                                    </li>
                                }
                            })
                            .collect_view()} <li>
                            <a href="/settings/consents">{mt("settings-nav-consent-log")}</a>
                        </li> <li>
                            <a href="/settings/photos">{mt("settings-photos-link")}</a>
                        </li>
                    </ul>
                </nav>
                <div class="settings-sections">
                    <div class="settings-pair">
                        <div class="settings-pair__fields">
                            <ProviderSection view=view.clone() action=actions.provider />
                            <SmsSection view=view.clone() actions />
                            <SignupFormSection view=view.clone() action=actions.signup_form />
                            <KlaviyoSection
                                view=view.clone()
                                save=actions.klaviyo
                                sandbox=actions.klaviyo_sandbox
                            />
                        </div>
                        <section
                            class="card settings-pair__preview"
                            id="preview"
                            aria-labelledby="preview-title"
                        >
                            <h2 id="preview-title">{mt("settings-preview-heading")}</h2>
                            <p class="muted">{mt("settings-preview-text")}</p>
                            <iframe
                                class="preview"
                                title=mt("settings-preview-frame-title")
                                src="/settings/preview"
                            ></iframe>
                        </section>
                    </div>
                    <MilestonesSection view=view.clone() action=actions.milestones />
                    <LoyaltySection
                        view=view.clone()
                        save=actions.loyalty
                        sandbox=actions.loyalty_sandbox
                    />
                    <BrandSection view=view.clone() action=actions.brand />
                    <LanguagesSection view=view.clone() action=actions.languages />
                    <GuardsSection view=view.clone() action=actions.guards />
                    <DataSection view=view.clone() action=actions.erase />
                    <EmbedSection view=view.clone() action=actions.embed />
                    <IngestSection view=view.clone() action=actions.ingest />
                    <KeysSection view actions />
                </div>
            </div>
        </main>
    }
}
