//! Signing merchants up, in and out: the services behind `api::account`. They answer with
//! the session token to set as a cookie (the adapter sets it and redirects); limits per
//! client address and per email hold password guessing back.

use super::{Password, SignUpError};
use crate::domain::inputs::{BrandName, Email};
use crate::domain::AppError;
use crate::i18n::{mt, mt_with, Arg};
use crate::ssr::merchants::MerchantId;
use crate::ssr::{limits, AppState};
use std::net::IpAddr;

/// A session just started: the cookie token, shown once to the browser.
pub struct Started {
    pub token: String,
}

async fn within_limits(state: &AppState, ip: Option<IpAddr>, email: &str) -> Result<(), AppError> {
    let (limits, now) = (&state.limits, state.clock.now_ms());
    let email = email.trim().to_ascii_lowercase();
    let network = ip.map(limits::network);
    let mut checks = vec![("sign-in-email", email.as_str(), limits.sign_in_per_email)];
    if let Some(network) = &network {
        checks.push((
            "sign-in-network",
            network.as_str(),
            limits.sign_in_per_network,
        ));
    }
    for (name, key, limit) in checks {
        if !limits::hit(&state.db, name, key, limit, now)
            .await
            .map_err(AppError::internal)?
        {
            return Err(AppError::RateLimited);
        }
    }
    Ok(())
}

async fn start(state: &AppState, user: &str, merchant: &MerchantId) -> Result<Started, AppError> {
    let token = super::start_session(&state.db, user, merchant, state.clock.now_ms())
        .await
        .map_err(AppError::internal)?;
    Ok(Started { token })
}

/// A new merchant with its first user. The answer is the same whether or not the email is
/// known already (no session either way: the merchant signs in next), so sign-up cannot be
/// used to learn who has an account.
pub async fn sign_up(
    state: &AppState,
    ip: Option<IpAddr>,
    brand: &str,
    email: &str,
    password: &str,
) -> Result<(), AppError> {
    if !state.public_signup {
        return Err(AppError::invalid("form", mt("error-sign-up-closed")));
    }
    let brand = BrandName::parse(brand).map_err(|m| {
        AppError::invalid(
            "brand",
            mt_with("error-sign-up-store-name", &[("problem", Arg::from(m))]),
        )
    })?;
    let email = Email::parse(email).map_err(|_| AppError::invalid("email", mt("error-email")))?;
    let password = Password::parse(password).map_err(|m| AppError::invalid("password", m))?;
    within_limits(state, ip, email.as_str()).await?;
    match super::sign_up(&state.db, &brand, &email, password, state.clock.now_ms()).await {
        Ok((merchant, _user)) => {
            tracing::info!(merchant = %merchant, "merchant signed up");
            Ok(())
        }
        Err(SignUpError::EmailTaken) => {
            tracing::info!("sign-up with an email that has an account already");
            Ok(())
        }
        Err(SignUpError::Other(e)) => Err(AppError::internal(e)),
    }
}

/// The user with this email and password, signed in.
pub async fn sign_in(
    state: &AppState,
    ip: Option<IpAddr>,
    email: &str,
    password: &str,
) -> Result<Started, AppError> {
    within_limits(state, ip, email).await?;
    match super::check_password(&state.db, email, password)
        .await
        .map_err(AppError::internal)?
    {
        Some((user, merchant)) => start(state, &user, &merchant).await,
        None => Err(AppError::invalid("password", mt("error-sign-in-rejected"))),
    }
}

/// Ends the session behind the cookie `token` when the request carries its CSRF token (a
/// forged sign-out changes nothing). A session that is gone already is fine.
pub async fn sign_out(state: &AppState, token: Option<&str>, csrf: &str) -> Result<(), AppError> {
    let Some(token) = token else {
        return Ok(());
    };
    let session = super::session(&state.db, token, state.clock.now_ms())
        .await
        .map_err(AppError::internal)?;
    if session.is_some_and(|s| super::csrf_matches(&s, csrf)) {
        super::end_session(&state.db, token)
            .await
            .map_err(AppError::internal)?;
    }
    Ok(())
}
