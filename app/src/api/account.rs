//! Merchant sign-up, sign-in and sign-out: thin adapters over `ssr::accounts::sign_in`.
//! Plain-string arguments (they are HTML forms that work without WebAssembly), parsed on the
//! server. Sign-up leads to the sign-in page (the same answer whether or not the email had
//! an account); sign-in sets the session cookie and leads to the settings page.

use crate::domain::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{accounts::sign_in as service, request::Ctx};
use leptos::prelude::*;

#[server(name = SignUp, prefix = "/api/fn", endpoint = "sign_up")]
pub async fn sign_up(brand: String, email: String, password: String) -> Result<(), AppError> {
    let ctx = Ctx::new()?;
    ctx.answer(service::sign_up(&ctx.state, ctx.client_ip(), &brand, &email, &password).await)?;
    ctx.redirect("/signin?created");
    Ok(())
}

#[server(name = SignIn, prefix = "/api/fn", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    let ctx = Ctx::new()?;
    let started =
        ctx.answer(service::sign_in(&ctx.state, ctx.client_ip(), &email, &password).await)?;
    ctx.set_session_cookie(&started.token);
    ctx.redirect("/settings");
    Ok(())
}

#[server(name = SignOut, prefix = "/api/fn", endpoint = "sign_out")]
pub async fn sign_out(csrf: String) -> Result<(), AppError> {
    let ctx = Ctx::new()?;
    ctx.answer(service::sign_out(&ctx.state, ctx.session_cookie().as_deref(), &csrf).await)?;
    ctx.clear_session_cookie();
    ctx.redirect("/signin");
    Ok(())
}
