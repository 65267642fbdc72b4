//! The merchant settings page, `/settings`: the Yotpo connection and the consent texts,
//! the brand, and API keys for the shipments API. Every form works without WebAssembly;
//! hydrated, each saves without a reload and the page re-reads what was saved.

mod brand;
mod connection;
mod ingest;
mod klaviyo;
mod languages;
mod milestones;
mod provider;
mod texts;

use crate::api::{
    get_settings, ChooseProvider, CreateKey, EraseSubject, RevokeKey, SaveBrand, SaveEmbed,
    SaveGuards, SaveIngest, SaveKlaviyo, SaveLanguages, SaveMilestones, SaveSignupForm, SaveSms,
    SignOut, UseKlaviyoSandbox, UseSandbox,
};
use crate::domain::settings::SettingsView;
use crate::domain::AppError;
use brand::{BrandSection, DataSection, EmbedSection, GuardsSection, KeysSection};
use connection::{SignupFormSection, SmsSection};
use ingest::IngestSection;
use klaviyo::KlaviyoSection;
use languages::LanguagesSection;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use milestones::MilestonesSection;
use provider::ProviderSection;

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Title text="Settings · Tracklight" />
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
                                <p role="alert">{format!("Settings are not available: {err}")}</p>
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
            <p>"Your session has ended. " <a href="/signin">"Sign in again"</a></p>
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
}

/// The sections the page's navigation leads to: (element id, label), in page order.
const SECTIONS: [(&str, &str); 12] = [
    ("provider", "Where sign-ups go"),
    ("sms-settings", "Yotpo"),
    ("signup-form", "Yotpo sign-up form"),
    ("klaviyo", "Klaviyo"),
    ("preview", "Preview"),
    ("milestones", "Milestone events"),
    ("brand", "Brand"),
    ("guards", "Sign-up protection"),
    ("data", "Shoppers' data"),
    ("embed", "Embed and look-up"),
    ("ingest", "Shopify and tracking services"),
    ("keys", "API keys"),
];

#[component]
fn Settings(view: SettingsView, actions: Actions) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let csrf = view.csrf.clone();
    let provider = view.sms.provider.label();
    let status = if view.sms.ready && view.sms.form_script.is_some() {
        "Tracking pages show your Yotpo sign-up form to shoppers who are not subscribed yet."
            .to_owned()
    } else if view.sms.ready {
        format!(
            "Tracking pages offer text sign-ups to shoppers who are not subscribed yet; they go to {provider}."
        )
    } else {
        "Text sign-ups are off: connect Yotpo SMS & Email or Klaviyo and add your Terms and Privacy links below."
            .to_owned()
    };
    view! {
        <main class="page page--wide page--settings">
            <header class="settings-head">
                <span class="brand__name">{view.brand.clone()}</span>
                <span class="muted">{format!("Signed in as {}", view.email)}</span>
                <ActionForm action=sign_out>
                    <input type="hidden" name="csrf" value=csrf.clone() />
                    <button type="submit" class="button button--quiet">
                        "Sign out"
                    </button>
                </ActionForm>
            </header>
            <h1>"Settings"</h1>
            {view
                .sandbox
                .then(|| {
                    view! {
                        <p class="sandbox-note">
                            <strong>"Sandbox mode"</strong>
                            ": this server talks to Tracklight's built-in provider sandboxes. No texts are sent."
                        </p>
                    }
                })}
            <p class=if view.sms.ready {
                "status-line status-line--on"
            } else {
                "status-line"
            }>{status}</p>
            <p>
                <a href="/settings/consents">
                    "Consent log: every sign-up and what became of it →"
                </a>
            </p>
            <div class="settings-layout">
                <nav class="settings-nav" aria-label="Settings sections">
                    <ul>
                        {SECTIONS
                            .iter()
                            .map(|(id, label)| {
                                view! {
                                    <li>
                                        <a href=format!("#{id}")>{*label}</a>
                                    </li>
                                }
                            })
                            .collect_view()} <li>
                            <a href="/settings/consents">"Consent log"</a>
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
                            <h2 id="preview-title">"Preview"</h2>
                            <p class="muted">
                                "The sign-up as shoppers see it under the timeline, with what is saved now."
                            </p>
                            <iframe
                                class="preview"
                                title="Preview of the text sign-up"
                                src="/settings/preview"
                            ></iframe>
                        </section>
                    </div>
                    <MilestonesSection view=view.clone() action=actions.milestones />
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
