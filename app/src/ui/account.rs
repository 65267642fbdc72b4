//! Merchant sign-up and sign-in pages. Plain forms (they work without WebAssembly); the
//! server sets the session cookie and sends the merchant to the settings page.

use super::fields::{error_for, TextField};
use crate::api::{SignIn, SignUp};
use crate::i18n::mt;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SignUpPage() -> impl IntoView {
    // Rendered on the server only (not an island): whether this server takes sign-ups.
    #[cfg(feature = "ssr")]
    let open = use_context::<crate::ssr::AppState>().is_none_or(|s| s.public_signup);
    #[cfg(not(feature = "ssr"))]
    let open = true;
    view! {
        <Title text=mt("account-signup-page-title") />
        {if open {
            view! { <SignUpForm /> }.into_any()
        } else {
            view! {
                <main class="page page--narrow">
                    <section class="card" aria-labelledby="signup-title">
                        <h1 id="signup-title">{mt("account-signup-closed-heading")}</h1>
                        <p>
                            {mt("account-signup-closed-text")} " "
                            <a href="/signin">{mt("account-signup-closed-sign-in")}</a>
                            {mt("account-signup-closed-end")}
                        </p>
                    </section>
                </main>
            }
                .into_any()
        }}
    }
}

#[island]
fn SignUpForm() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let err = Memo::new(move |_| action.value().get().and_then(Result::err));
    let error = move |field: &'static str| {
        Signal::derive(move || error_for(&err.try_get().flatten(), field))
    };
    view! {
        <main class="page page--narrow">
            <section class="card" aria-labelledby="signup-title">
                <h1 id="signup-title">{mt("account-signup-heading")}</h1>
                <p class="muted">{mt("account-signup-intro")}</p>
                <ActionForm action attr:class="stack">
                    <TextField
                        id="brand"
                        label=mt("account-store-name")
                        autocomplete="organization"
                        hint=mt("account-store-name-hint")
                        error=error("brand")
                    />
                    <TextField
                        id="email"
                        label=mt("account-email")
                        kind="email"
                        autocomplete="email"
                        error=error("email")
                    />
                    <TextField
                        id="password"
                        label=mt("account-password")
                        kind="password"
                        autocomplete="new-password"
                        hint=mt("account-password-hint")
                        error=error("password")
                    />
                    <p class="field__error" role="alert">
                        {move || error_for(&err.try_get().flatten(), "form")}
                    </p>
                    <button type="submit" class="button">
                        {move || {
                            if action.pending().get() {
                                mt("account-signup-pending")
                            } else {
                                mt("account-signup-submit")
                            }
                        }}
                    </button>
                </ActionForm>
                <p>
                    {mt("account-have-account")} " "
                    <a href="/signin">{mt("account-have-account-sign-in")}</a>
                </p>
            </section>
        </main>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    // After sign-up: the same words whether or not the email was new.
    let created = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("created")
        .is_some();
    view! {
        <Title text=mt("account-signin-page-title") />
        {created
            .then(|| {
                view! {
                    <p class="notice" role="status">
                        {mt("account-created-notice")}
                    </p>
                }
            })}
        <SignInForm />
    }
}

#[island]
fn SignInForm() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let err = Memo::new(move |_| action.value().get().and_then(Result::err));
    let error = move |field: &'static str| {
        Signal::derive(move || error_for(&err.try_get().flatten(), field))
    };
    view! {
        <main class="page page--narrow">
            <section class="card" aria-labelledby="signin-title">
                <h1 id="signin-title">{mt("account-signin-heading")}</h1>
                <ActionForm action attr:class="stack">
                    <TextField
                        id="email"
                        label=mt("account-email")
                        kind="email"
                        autocomplete="username"
                        error=error("email")
                    />
                    <TextField
                        id="password"
                        label=mt("account-password")
                        kind="password"
                        autocomplete="current-password"
                        error=error("password")
                    />
                    <p class="field__error" role="alert">
                        {move || error_for(&err.try_get().flatten(), "form")}
                    </p>
                    <button type="submit" class="button">
                        {move || {
                            if action.pending().get() {
                                mt("account-signin-pending")
                            } else {
                                mt("account-signin-submit")
                            }
                        }}
                    </button>
                </ActionForm>
                <p>
                    {mt("account-new-here")} " "
                    <a href="/signup">{mt("account-new-here-create")}</a>
                </p>
            </section>
        </main>
    }
}
