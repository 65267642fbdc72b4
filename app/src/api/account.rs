//! Merchant sign-up, sign-in and sign-out. Plain-string arguments (they are HTML forms that
//! work without WebAssembly), parsed on the server; success sets the session cookie and
//! redirects to the settings page.

use crate::domain::AppError;
use leptos::prelude::*;

#[server(name = SignUp, prefix = "/api/fn", endpoint = "sign_up")]
pub async fn sign_up(brand: String, email: String, password: String) -> Result<(), AppError> {
    ssr::sign_up(&brand, &email, &password)
        .await
        .map_err(AppError::respond)
}

#[server(name = SignIn, prefix = "/api/fn", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    ssr::sign_in(&email, &password)
        .await
        .map_err(AppError::respond)
}

#[server(name = SignOut, prefix = "/api/fn", endpoint = "sign_out")]
pub async fn sign_out(csrf: String) -> Result<(), AppError> {
    ssr::sign_out(&csrf).await.map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::domain::inputs::{BrandName, Email};
    use crate::domain::AppError;
    use crate::ssr::accounts::{self, Password, SignUpError};
    use crate::ssr::request::{self, client_ip, headers, state};
    use crate::ssr::AppState;

    async fn within_limits(state: &AppState, email: &str) -> Result<(), AppError> {
        let headers = headers().await?;
        if let Some(ip) = client_ip(state, &headers).await {
            if !state.auth_limits.allow_ip(ip) {
                return Err(AppError::RateLimited);
            }
        }
        if !state
            .auth_limits
            .allow_target(&email.trim().to_ascii_lowercase())
        {
            return Err(AppError::RateLimited);
        }
        Ok(())
    }

    async fn start(
        state: &AppState,
        user: &str,
        merchant: &crate::ssr::merchants::MerchantId,
    ) -> Result<(), AppError> {
        let token = accounts::start_session(&state.db, user, merchant, state.clock.now_ms())
            .await
            .map_err(AppError::internal)?;
        request::set_session_cookie(state, &token);
        leptos_axum::redirect("/settings");
        Ok(())
    }

    pub async fn sign_up(brand: &str, email: &str, password: &str) -> Result<(), AppError> {
        let state = state()?;
        let brand = BrandName::parse(brand)
            .map_err(|m| AppError::invalid("brand", format!("Store name {m}.")))?;
        let email = Email::parse(email).map_err(|_| {
            AppError::invalid("email", "Enter an email address like you@shop.example.")
        })?;
        let password = Password::parse(password).map_err(|m| AppError::invalid("password", m))?;
        within_limits(&state, email.as_str()).await?;
        match accounts::sign_up(&state.db, &brand, &email, password, state.clock.now_ms()).await {
            Ok((merchant, user)) => {
                tracing::info!(merchant = %merchant, "merchant signed up");
                start(&state, &user, &merchant).await
            }
            Err(SignUpError::EmailTaken) => Err(AppError::invalid(
                "email",
                "An account with this email exists already. Sign in instead.",
            )),
            Err(SignUpError::Other(e)) => Err(AppError::internal(e)),
        }
    }

    pub async fn sign_in(email: &str, password: &str) -> Result<(), AppError> {
        let state = state()?;
        within_limits(&state, email).await?;
        match accounts::check_password(&state.db, email, password)
            .await
            .map_err(AppError::internal)?
        {
            Some((user, merchant)) => start(&state, &user, &merchant).await,
            None => Err(AppError::invalid(
                "password",
                "The email or password is not right.",
            )),
        }
    }

    pub async fn sign_out(csrf: &str) -> Result<(), AppError> {
        let state = state()?;
        // Signing out a session that is gone already is fine.
        if let Ok(_session) = request::require_session(&state, csrf).await {
            if let Some(token) = request::session_cookie().await? {
                accounts::end_session(&state.db, &token)
                    .await
                    .map_err(AppError::internal)?;
            }
        }
        request::clear_session_cookie(&state);
        leptos_axum::redirect("/signin");
        Ok(())
    }
}
