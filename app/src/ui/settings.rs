//! The merchant settings page, `/settings`: the Yotpo connection and the consent texts,
//! the brand, and API keys for the shipments API. Every form works without WebAssembly;
//! hydrated, each saves without a reload and the page re-reads what was saved.

use super::fields::{error_for, TextField};
use crate::api::{
    get_settings, signup_forms, CreateKey, RevokeKey, SaveBrand, SaveEmbed, SaveSignupForm,
    SaveSms, SignOut, TestConnection, UseSandbox,
};
use crate::domain::settings::{SettingsView, SignupFormView};
use crate::domain::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

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
#[cfg_attr(feature = "merchant_ui", island)]
#[cfg_attr(not(feature = "merchant_ui"), component)]
fn SettingsIsland() -> impl IntoView {
    let save_sms = ServerAction::<SaveSms>::new();
    let sandbox = ServerAction::<UseSandbox>::new();
    let brand = ServerAction::<SaveBrand>::new();
    let create = ServerAction::<CreateKey>::new();
    let revoke = ServerAction::<RevokeKey>::new();
    let embed = ServerAction::<SaveEmbed>::new();
    let signup_form = ServerAction::<SaveSignupForm>::new();
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
struct Actions {
    embed: ServerAction<SaveEmbed>,
    save_sms: ServerAction<SaveSms>,
    sandbox: ServerAction<UseSandbox>,
    brand: ServerAction<SaveBrand>,
    create: ServerAction<CreateKey>,
    revoke: ServerAction<RevokeKey>,
    signup_form: ServerAction<SaveSignupForm>,
}

#[component]
fn Settings(view: SettingsView, actions: Actions) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let csrf = view.csrf.clone();
    let status = if view.sms.ready && view.sms.form_script.is_some() {
        "Tracking pages show your Yotpo sign-up form to shoppers who are not subscribed yet."
    } else if view.sms.ready {
        "Tracking pages offer text sign-ups to shoppers who are not subscribed yet."
    } else {
        "Text sign-ups are off: connect Yotpo and add your Terms and Privacy links below."
    };
    view! {
        <main class="page page--wide">
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
                            ": this server talks to Tracklight's built-in Yotpo sandbox. No texts are sent."
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
            <SmsSection view=view.clone() actions />
            <SignupFormSection view=view.clone() action=actions.signup_form />
            <section class="card" aria-labelledby="preview-title">
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
            <BrandSection view=view.clone() action=actions.brand />
            <EmbedSection view=view.clone() action=actions.embed />
            <KeysSection view actions />
        </main>
    }
}

#[component]
fn SmsSection(view: SettingsView, actions: Actions) -> impl IntoView {
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
        <section class="card" aria-labelledby="sms-settings-title">
            <h2 id="sms-settings-title">"Text sign-ups (Yotpo SMS & Email)"</h2>
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
                    value=sms.list_id.map(|l| l.to_string()).unwrap_or_default()
                    hint="Shoppers who tick the box join this list. Test the connection to pick from your lists."
                    suggestions="sms-lists"
                    error=error("list_id")
                />
                <TextField
                    id="terms_url"
                    label="Terms of Service link"
                    kind="url"
                    value=sms.terms_url.clone().unwrap_or_default()
                    error=error("terms_url")
                />
                <TextField
                    id="privacy_url"
                    label="Privacy Policy link"
                    kind="url"
                    value=sms.privacy_url.clone().unwrap_or_default()
                    error=error("privacy_url")
                />
                <TextField
                    id="heading"
                    label="Heading (optional)"
                    value=sms.heading.clone().unwrap_or_default()
                    hint="Default: Get texts from your store name."
                    error=error("heading")
                />
                <TextField
                    id="extra"
                    label="Extra text (optional)"
                    value=sms.extra.clone().unwrap_or_default()
                    hint="Shown under the heading, e.g. an offer. The required consent text is always shown."
                    error=error("extra")
                />
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
fn SignupFormSection(view: SettingsView, action: ServerAction<SaveSignupForm>) -> impl IntoView {
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
        <section class="card" aria-labelledby="signup-form-title">
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

#[component]
fn BrandSection(view: SettingsView, action: ServerAction<SaveBrand>) -> impl IntoView {
    let err = Memo::new(move |_| action.value().get().and_then(Result::err));
    let error = move |field: &'static str| {
        Signal::derive(move || error_for(&err.try_get().flatten(), field))
    };
    view! {
        <section class="card" aria-labelledby="brand-title">
            <h2 id="brand-title">"Brand"</h2>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <TextField
                    id="brand"
                    label="Store name"
                    value=view.brand.clone()
                    error=error("brand")
                />
                <TextField
                    id="accent"
                    label="Accent colour"
                    value=view.accent_color.clone().unwrap_or_default()
                    placeholder="#0f766e"
                    hint="#rrggbb, dark enough to read on white."
                    error=error("accent")
                />
                <TextField
                    id="logo"
                    label="Logo (optional)"
                    kind="url"
                    value=view.logo_url.clone().unwrap_or_default()
                    placeholder="https://shop.example/logo.png"
                    hint="An https:// image, shown 32 pixels high next to your store name."
                    error=error("logo")
                />
                <p class="field__error" role="alert">
                    {move || error_for(&err.try_get().flatten(), "form")}
                </p>
                <p class="saved" role="status">
                    {move || action.value().get().and_then(Result::ok)}
                </p>
                <button type="submit" class="button">
                    "Save"
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn EmbedSection(view: SettingsView, action: ServerAction<SaveEmbed>) -> impl IntoView {
    let err = Memo::new(move |_| action.value().get().and_then(Result::err));
    let snippet = format!(
        "<script src=\"{}\" data-token=\"SHIPMENT_TOKEN\" async></script>",
        view.embed_src
    );
    view! {
        <section class="card" aria-labelledby="embed-title">
            <h2 id="embed-title">"Embed on your site"</h2>
            <p>
                "Put this where the tracking widget should appear, with the shipment's token: the last part of the "
                <code>"tracking_url"</code> " the API returns."
            </p>
            <label for="embed-snippet">"Snippet"</label>
            <textarea id="embed-snippet" class="snippet" readonly rows="2">
                {snippet}
            </textarea>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <div class="field">
                    <label for="origins">"Sites allowed to embed the widget"</label>
                    <p id="origins-hint" class="field__hint">
                        "One per line, like https://shop.example. Other sites cannot show it."
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
                    "Save"
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn KeysSection(view: SettingsView, actions: Actions) -> impl IntoView {
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
                    <span class="muted">{format!("created {}", k.created)}</span>
                    <ActionForm action=revoke>
                        <input type="hidden" name="csrf" value=csrf />
                        <input type="hidden" name="prefix" value=prefix.clone() />
                        <button
                            type="submit"
                            class="button button--quiet"
                            aria-label=format!("Revoke key {prefix}")
                        >
                            "Revoke"
                        </button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="keys-title">
            <h2 id="keys-title">"API keys"</h2>
            <p class="muted">
                "Your store's backend sends orders and tracking updates to "
                <a href="/api/docs">"the REST API"</a> " with one of these keys."
            </p>
            <ul class="keys">{keys}</ul>
            <ActionForm action=create attr:class="row">
                <input type="hidden" name="csrf" value=view.csrf.clone() />
                <TextField
                    id="label"
                    label="New key for"
                    placeholder="e.g. warehouse"
                    error=Signal::derive(|| None::<String>)
                />
                <button type="submit" class="button">
                    "Create key"
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
                                        "Your new key (shown once, copy it now): "
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
