//! Shipments that arrive by themselves (`ssr::ingest`): connecting a source with the secret
//! it signs its webhooks with, and what the settings page shows of it (the webhook address
//! per source, the newest deliveries and what became of them).

use crate::domain::settings::{IngestDeliveryView, IngestSourceView};
use crate::domain::AppError;
use crate::i18n::{mt, mt_with, Arg};
use crate::ssr::ingest::{self, inbox, Source};
use crate::ssr::merchants::MerchantId;
use crate::ssr::{times, AppState};
use secrecy::{ExposeSecret, SecretString};

/// Each source's connection, with its webhook address when connected.
pub async fn sources(
    state: &AppState,
    merchant: &MerchantId,
) -> anyhow::Result<Vec<IngestSourceView>> {
    let base = state.public_url.as_str();
    let link_key = ingest::shopify_link_key(state, merchant).await?;
    Ok(ingest::hooks_of(&state.db, merchant)
        .await?
        .into_iter()
        .map(|hook| IngestSourceView {
            source: hook.source.as_str().to_owned(),
            label: hook.source.label().to_owned(),
            url: hook
                .id
                .map(|id| format!("{base}/hooks/{}/{id}", hook.source.as_str())),
            snippet: (hook.source == Source::Shopify)
                .then_some(link_key.as_ref())
                .flatten()
                .map(|key| shopify_snippet(base, merchant, key.expose_secret())),
        })
        .collect())
}

/// The link for Shopify's shipping notification: the fulfillment's ID, signed with the
/// store's link key by Liquid's `hmac_sha256`.
fn shopify_snippet(base: &str, merchant: &MerchantId, key: &str) -> String {
    format!(
        "<a href=\"{base}/s/{merchant}/{{{{ fulfillment.id }}}}/{{{{ fulfillment.id | hmac_sha256: '{key}' }}}}\">Track your parcel</a>"
    )
}

/// The merchant's ten newest deliveries.
pub async fn recent(
    state: &AppState,
    merchant: &MerchantId,
) -> anyhow::Result<Vec<IngestDeliveryView>> {
    Ok(inbox::recent(&state.db, merchant, 10)
        .await?
        .into_iter()
        .map(|d| IngestDeliveryView {
            received: times::utc_minute(d.received_at_ms),
            source: Source::parse(&d.source).map_or(d.source.clone(), |s| s.label().to_owned()),
            topic: d.topic,
            state: d.state,
            outcome: d.outcome.unwrap_or_default(),
        })
        .collect())
}

/// Connects `source` with `secret` (the one the source signs with), or with `disconnect`
/// removes its webhook.
pub async fn save(
    state: &AppState,
    merchant: &MerchantId,
    source: &str,
    secret: &str,
    disconnect: bool,
) -> Result<String, AppError> {
    let source = Source::parse(source)
        .ok_or_else(|| AppError::invalid("source", mt("error-ingest-source")))?;
    if disconnect {
        ingest::disconnect(&state.db, merchant, source)
            .await
            .map_err(AppError::internal)?;
        return Ok(mt_with(
            "done-ingest-disconnected",
            &[("source", Arg::from(source.label()))],
        ));
    }
    let secret = secret.trim();
    if secret.is_empty() {
        return Err(AppError::invalid(
            "secret",
            mt_with(
                "error-webhook-secret-missing",
                &[("source", Arg::from(source.label()))],
            ),
        ));
    }
    if secret.chars().count() > 200 || secret.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "secret",
            mt("error-webhook-secret-invalid"),
        ));
    }
    ingest::connect(
        state,
        merchant,
        source,
        &SecretString::from(secret.to_owned()),
    )
    .await
    .map_err(AppError::internal)?;
    Ok(mt_with(
        "done-ingest-saved",
        &[("source", Arg::from(source.label()))],
    ))
}
