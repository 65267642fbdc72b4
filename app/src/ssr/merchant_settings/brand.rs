//! What shoppers see of the merchant (name, colour, logo), where the widget may be embedded,
//! and the API keys the merchant's platform feeds shipments with.

use super::optional_text;
use super::optional_url;
use crate::domain::inputs::{AccentColor, BrandName};
use crate::domain::settings::NewKeyView;
use crate::domain::AppError;
use crate::domain::LookupProof;
use crate::i18n::{mt, mt_with, Arg};
use crate::ssr::merchants::{self, MerchantId};
use crate::ssr::{embed, order_lookup, AppState};

pub async fn save_brand(
    state: &AppState,
    merchant: &MerchantId,
    brand: &str,
    accent: &str,
    logo: &str,
) -> Result<String, AppError> {
    let name = BrandName::parse(brand).map_err(|m| {
        AppError::invalid(
            "brand",
            mt_with("error-store-name", &[("problem", Arg::from(m))]),
        )
    })?;
    let accent = match accent.trim() {
        "" => None,
        a => Some(AccentColor::parse(a).map_err(|m| {
            AppError::invalid(
                "accent",
                mt_with("error-brand-colour", &[("problem", Arg::from(m))]),
            )
        })?),
    };
    // https only: an http image would make the tracking page mixed content.
    let logo = match optional_url("logo", logo)? {
        Some(u) if u.as_str().starts_with("https://") => Some(u.as_str().to_owned()),
        Some(_) => return Err(AppError::invalid("logo", mt("error-logo-https"))),
        None => None,
    };
    merchants::update_brand(&state.db, merchant, &name, accent.as_ref(), logo.as_deref())
        .await
        .map_err(AppError::internal)?;
    // The brand name is part of the consent text.
    state.consent_settings.forget(merchant).await;
    Ok(mt("done-saved"))
}

/// The sites allowed to embed the widget, one origin per line, and what the order look-up
/// asks beside the order number (`proof`: `email` or `postcode`; absent, it stays).
pub async fn save_embed(
    state: &AppState,
    merchant: &MerchantId,
    origins: &str,
    proof: Option<&str>,
) -> Result<String, AppError> {
    let origins = embed::parse_origins(origins).map_err(|m| {
        AppError::invalid(
            "origins",
            mt_with("error-origins", &[("problem", Arg::from(m))]),
        )
    })?;
    let proof = proof
        .map(|p| {
            LookupProof::parse(p)
                .ok_or_else(|| AppError::invalid("proof", mt("error-lookup-proof")))
        })
        .transpose()?;
    embed::save_allowed_origins(&state.db, merchant, &origins)
        .await
        .map_err(AppError::internal)?;
    if let Some(proof) = proof {
        order_lookup::save_proof(&state.db, merchant, proof)
            .await
            .map_err(AppError::internal)?;
    }
    Ok(match origins.len() {
        0 => mt("done-embed-none"),
        n => mt_with("done-embed-sites", &[("count", Arg::from(n))]),
    })
}

/// A new API key, shown once.
pub async fn create_key(
    state: &AppState,
    merchant: &MerchantId,
    label: &str,
) -> Result<NewKeyView, AppError> {
    let label = optional_text("label", label, 60)?.unwrap_or_else(|| "api".into());
    let key = merchants::create_api_key(&state.db, merchant, &label, state.clock.now_ms())
        .await
        .map_err(AppError::internal)?;
    Ok(NewKeyView {
        key: key.expose().to_owned(),
        prefix: key.prefix().to_owned(),
    })
}

/// Revokes the merchant's key named by `prefix`; another merchant's key is not found.
pub async fn revoke_key(
    state: &AppState,
    merchant: &MerchantId,
    prefix: &str,
) -> Result<String, AppError> {
    let prefix = prefix.trim();
    let revoked = merchants::revoke_api_keys(&state.db, merchant, prefix, state.clock.now_ms())
        .await
        .map_err(AppError::internal)?;
    match revoked {
        0 => Err(AppError::NotFound),
        _ => Ok(mt_with(
            "done-key-revoked",
            &[("prefix", Arg::from(prefix))],
        )),
    }
}
