//! Merchant sign-up and sign-in pages. Plain forms (they work without WebAssembly); the
//! server sets the session cookie and sends the merchant to the settings page.

use super::fields::{error_for, TextField};
use crate::api::{SignIn, SignUp};
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
        <Title text="Create your Tracklight account" />
        {if open {
            view! { <SignUpForm /> }.into_any()
        } else {
            view! {
                <main class="page page--narrow">
                    <section class="card" aria-labelledby="signup-title">
                        <h1 id="signup-title">"Sign-up is closed"</h1>
                        <p>
                            "This Tracklight server does not take new accounts. Ask its operator for one, or "
                            <a href="/signin">"sign in"</a> "."
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
                <h1 id="signup-title">"Create your account"</h1>
                <p class="muted">
                    "Branded tracking pages for your store, with an SMS sign-up under the timeline."
                </p>
                <ActionForm action attr:class="stack">
                    <TextField
                        id="brand"
                        label="Store name"
                        autocomplete="organization"
                        hint="Shoppers see it on tracking pages and in the SMS consent text."
                        error=error("brand")
                    />
                    <TextField
                        id="email"
                        label="Email"
                        kind="email"
                        autocomplete="email"
                        error=error("email")
                    />
                    <TextField
                        id="password"
                        label="Password"
                        kind="password"
                        autocomplete="new-password"
                        hint="At least 12 characters."
                        error=error("password")
                    />
                    <p class="field__error" role="alert">
                        {move || error_for(&err.try_get().flatten(), "form")}
                    </p>
                    <button type="submit" class="button">
                        {move || {
                            if action.pending().get() { "Creating…" } else { "Create account" }
                        }}
                    </button>
                </ActionForm>
                <p>"Have an account? " <a href="/signin">"Sign in"</a></p>
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
        <Title text="Sign in to Tracklight" />
        {created
            .then(|| {
                view! {
                    <p class="notice" role="status">
                        "If this email was new here, your account is ready: sign in below."
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
                <h1 id="signin-title">"Sign in"</h1>
                <ActionForm action attr:class="stack">
                    <TextField
                        id="email"
                        label="Email"
                        kind="email"
                        autocomplete="username"
                        error=error("email")
                    />
                    <TextField
                        id="password"
                        label="Password"
                        kind="password"
                        autocomplete="current-password"
                        error=error("password")
                    />
                    <p class="field__error" role="alert">
                        {move || error_for(&err.try_get().flatten(), "form")}
                    </p>
                    <button type="submit" class="button">
                        {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
                <p>"New to Tracklight? " <a href="/signup">"Create an account"</a></p>
            </section>
        </main>
    }
}
