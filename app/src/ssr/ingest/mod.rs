//! Shipments that arrive by themselves: webhooks from Shopify (orders, fulfillments and
//! their events) and from carrier-tracking services (EasyPost, AfterShip).
//!
//! - `mod` (here): the sources, a merchant's hooks (the secret each source signs with,
//!   sealed; the hook's random ID is in its address), and [`receive`]: the signature is
//!   checked over the raw body in constant time, the delivery is stored once per the
//!   source's delivery ID, and answered; nothing else happens in the request.
//! - [`inbox`]: the stored deliveries as durable jobs (lease, fence, back-off, a reason when
//!   one fails), processed by [`inbox::run`].
//! - [`shopify`], [`easypost`], [`aftership`]: each source's signature and payloads, read
//!   into [`update::Update`]s.
//! - [`update`]: what a delivery says, in Tracklight's terms, and how it is written: orders
//!   and shipments through `ssr::orders`, every status as a checkpoint (so a late or
//!   repeated delivery never moves a shipment backwards or doubles a line).

pub mod aftership;
pub mod easypost;
pub mod inbox;
pub mod shopify;
pub mod update;

use super::merchants::MerchantId;
use super::{AppState, Db};
use anyhow::Context;
use http::HeaderMap;
use secrecy::{ExposeSecret, SecretString};

/// Where deliveries come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Shopify,
    EasyPost,
    AfterShip,
}

impl Source {
    pub const ALL: [Self; 3] = [Self::Shopify, Self::EasyPost, Self::AfterShip];

    /// As stored and in the hook's address.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Shopify => "shopify",
            Self::EasyPost => "easypost",
            Self::AfterShip => "aftership",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == input)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Shopify => "Shopify",
            Self::EasyPost => "EasyPost",
            Self::AfterShip => "AfterShip",
        }
    }
}

/// The largest delivery taken (a Shopify order with many lines is tens of kilobytes).
pub const MAX_BODY: usize = 1024 * 1024;

/// Why a delivery was not taken.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// No such hook, or not for this source: 404, as for any unknown address.
    #[error("no such webhook")]
    UnknownHook,
    /// The signature is missing or does not match: 401.
    #[error("the signature does not match")]
    BadSignature,
    /// Signed, but not something Tracklight reads (400, with why).
    #[error("{0}")]
    Unreadable(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// A delivery taken: stored now, or stored already (a repeat).
#[derive(Debug, PartialEq, Eq)]
pub enum Received {
    Stored,
    Repeat,
}

/// A merchant's hook for one source.
pub struct Hook {
    pub id: String,
    pub merchant: MerchantId,
    pub source: Source,
    secret: SecretString,
}

fn owner(hook_id: &str) -> String {
    format!("ingest-hook:{hook_id}")
}

fn link_owner(hook_id: &str) -> String {
    format!("ingest-link:{hook_id}")
}

/// The key `merchant`'s Shopify shipping notification signs tracking links with, once
/// Shopify is connected.
pub async fn shopify_link_key(
    state: &AppState,
    merchant: &MerchantId,
) -> anyhow::Result<Option<SecretString>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        link_key_sealed: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, link_key_sealed FROM ingest_hooks WHERE merchant_id = $1 AND source = $2",
    )
    .bind(merchant.as_str())
    .bind(Source::Shopify.as_str())
    .fetch_optional(state.db.pool())
    .await
    .context("reading a Shopify link key")?;
    let Some(Row {
        id,
        link_key_sealed: Some(sealed),
    }) = row
    else {
        return Ok(None);
    };
    Ok(Some(state.secrets.open(&link_owner(&id), &sealed)?))
}

/// The tracking page a Shopify shipping notification's link leads to:
/// `/s/{store}/{fulfillment}/{signature}`, the signature being the hex HMAC-SHA256 of the
/// fulfillment's ID under the store's link key (Liquid's `hmac_sha256`), so only links
/// Shopify wrote open a page. The fulfillment's first parcel; `None` for anything else.
pub async fn shopify_link(
    state: &AppState,
    store: &str,
    fulfillment: &str,
    signature: &str,
) -> anyhow::Result<Option<crate::domain::TrackingToken>> {
    let Some(merchant) = MerchantId::from_public(store) else {
        return Ok(None);
    };
    if fulfillment.is_empty()
        || fulfillment.len() > 40
        || !fulfillment.bytes().all(|b| b.is_ascii_digit())
    {
        return Ok(None);
    }
    let Some(given) = hex::decode(signature.to_ascii_lowercase()).ok() else {
        return Ok(None);
    };
    let Some(key) = shopify_link_key(state, &merchant).await? else {
        return Ok(None);
    };
    let expected = hmac_sha256(key.expose_secret().as_bytes(), fulfillment.as_bytes());
    if !same_bytes(&expected, &given) {
        return Ok(None);
    }
    let token: Option<String> = sqlx::query_scalar(
        "SELECT token FROM shipments WHERE merchant_id = $1 AND external_id = $2",
    )
    .bind(merchant.as_str())
    .bind(format!("shopify-{fulfillment}"))
    .fetch_optional(state.db.pool())
    .await
    .context("finding a fulfillment's shipment")?;
    Ok(token.and_then(|t| crate::domain::TrackingToken::parse(&t).ok()))
}

async fn hook(state: &AppState, source: Source, hook_id: &str) -> Result<Hook, Refused> {
    #[derive(sqlx::FromRow)]
    struct Row {
        merchant_id: String,
        secret_sealed: String,
    }
    // Hook IDs are random and long; anything else is not one.
    if hook_id.len() != 32 || !hook_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Refused::UnknownHook);
    }
    let row: Row = sqlx::query_as(
        "SELECT merchant_id, secret_sealed FROM ingest_hooks WHERE id = $1 AND source = $2",
    )
    .bind(hook_id)
    .bind(source.as_str())
    .fetch_optional(state.db.pool())
    .await
    .context("reading a webhook")?
    .ok_or(Refused::UnknownHook)?;
    let secret = state
        .secrets
        .open(&owner(hook_id), &row.secret_sealed)
        .context("opening a webhook's secret")?;
    Ok(Hook {
        id: hook_id.to_owned(),
        merchant: MerchantId::from_db(row.merchant_id),
        source,
        secret,
    })
}

/// Takes one delivery to `source`'s hook `hook_id`: the signature checked over `body` as
/// received, then stored (once per the source's delivery ID) for [`inbox`] to process.
pub async fn receive(
    state: &AppState,
    source: Source,
    hook_id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Received, Refused> {
    let hook = hook(state, source, hook_id).await?;
    let secret = hook.secret.expose_secret();
    let signed = match source {
        Source::Shopify => shopify::verify(secret, headers, body),
        Source::EasyPost => easypost::verify(secret, headers, body),
        Source::AfterShip => aftership::verify(secret, headers, body),
    };
    if !signed {
        tracing::warn!(source = source.as_str(), hook = %hook.id, "a webhook's signature does not match");
        return Err(Refused::BadSignature);
    }
    let text = std::str::from_utf8(body)
        .map_err(|_| Refused::Unreadable("The body is not UTF-8 JSON.".into()))?;
    let delivery = match source {
        Source::Shopify => shopify::delivery(headers, text),
        Source::EasyPost => easypost::delivery(text),
        Source::AfterShip => aftership::delivery(text),
    }
    .map_err(Refused::Unreadable)?;
    let now = state.clock.now_ms();
    let stored = sqlx::query(
        "INSERT INTO ingest_deliveries (id, merchant_id, source, topic, delivery_key, body,
             state, run_at_ms, received_at_ms, updated_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $7, $7)
         ON CONFLICT (merchant_id, source, delivery_key) DO NOTHING",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(hook.merchant.as_str())
    .bind(source.as_str())
    .bind(&delivery.topic)
    .bind(&delivery.key)
    .bind(text)
    .bind(now)
    .execute(state.db.pool())
    .await
    .context("storing a webhook delivery")?;
    if stored.rows_affected() == 0 {
        return Ok(Received::Repeat);
    }
    state.ingest_wake.notify_one();
    Ok(Received::Stored)
}

/// What a source says a delivery is: its topic and its own ID for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub topic: String,
    pub key: String,
}

/// HMAC-SHA256 of `body` under `secret`.
pub fn hmac_sha256(secret: &[u8], body: &[u8]) -> Vec<u8> {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

/// Whether `header` holds the base64 HMAC-SHA256 of `body` under `secret` (Shopify's and
/// AfterShip's scheme).
pub(crate) fn base64_hmac_matches(
    header: &str,
    secret: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> bool {
    use base64::Engine;
    headers
        .get(header)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            base64::engine::general_purpose::STANDARD
                .decode(v.trim())
                .ok()
        })
        .is_some_and(|given| same_bytes(&hmac_sha256(secret.as_bytes(), body), &given))
}

/// Constant-time equality of two byte strings (their lengths are not secret).
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// A merchant's connection to a source, as the settings page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookInfo {
    pub source: Source,
    /// The hook's ID (its address is `/hooks/{source}/{id}`), once connected.
    pub id: Option<String>,
}

/// The merchant's hooks, one per source (connected or not).
pub async fn hooks_of(db: &Db, merchant: &MerchantId) -> anyhow::Result<Vec<HookInfo>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        source: String,
    }
    let rows: Vec<Row> =
        sqlx::query_as("SELECT id, source FROM ingest_hooks WHERE merchant_id = $1")
            .bind(merchant.as_str())
            .fetch_all(db.pool())
            .await
            .context("reading webhooks")?;
    Ok(Source::ALL
        .into_iter()
        .map(|source| HookInfo {
            source,
            id: rows
                .iter()
                .find(|r| r.source == source.as_str())
                .map(|r| r.id.clone()),
        })
        .collect())
}

/// Connects `source` with the secret it signs with (a new secret replaces the old one and
/// keeps the address); returns the hook's ID.
pub async fn connect(
    state: &AppState,
    merchant: &MerchantId,
    source: Source,
    secret: &SecretString,
) -> anyhow::Result<String> {
    let now = state.clock.now_ms();
    let existing: Option<String> =
        sqlx::query_scalar("SELECT id FROM ingest_hooks WHERE merchant_id = $1 AND source = $2")
            .bind(merchant.as_str())
            .bind(source.as_str())
            .fetch_optional(state.db.pool())
            .await
            .context("reading a webhook")?;
    let id = existing.unwrap_or_else(new_hook_id);
    let sealed = state.secrets.seal(&owner(&id), secret)?;
    // Shopify's shipping notification links to the tracking page with a signature of its
    // own (`shopify_link`); the key is made once and kept.
    let link_key = match source {
        Source::Shopify => Some(
            state
                .secrets
                .seal(&link_owner(&id), &SecretString::from(new_hook_id()))?,
        ),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO ingest_hooks (id, merchant_id, source, secret_sealed, link_key_sealed,
             created_at_ms, updated_at_ms)
         VALUES ($1, $2, $3, $4, $6, $5, $5)
         ON CONFLICT (merchant_id, source) DO UPDATE SET secret_sealed = $4, updated_at_ms = $5,
             link_key_sealed = COALESCE(ingest_hooks.link_key_sealed, $6)",
    )
    .bind(&id)
    .bind(merchant.as_str())
    .bind(source.as_str())
    .bind(&sealed)
    .bind(now)
    .bind(link_key)
    .execute(state.db.pool())
    .await
    .context("saving a webhook")?;
    Ok(id)
}

/// Disconnects `source`: its address answers 404 from now on.
pub async fn disconnect(db: &Db, merchant: &MerchantId, source: Source) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM ingest_hooks WHERE merchant_id = $1 AND source = $2")
        .bind(merchant.as_str())
        .bind(source.as_str())
        .execute(db.pool())
        .await
        .context("removing a webhook")?;
    Ok(())
}

/// 32 random letters and digits (190 bits).
fn new_hook_id() -> String {
    use rand::distr::{Alphanumeric, SampleString};
    Alphanumeric.sample_string(&mut rand::rng(), 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_round_trip_and_hook_ids_are_long_and_plain() {
        for source in Source::ALL {
            assert_eq!(Source::parse(source.as_str()), Some(source));
        }
        let id = new_hook_id();
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(id, new_hook_id());
    }

    #[test]
    fn byte_comparison() {
        assert!(same_bytes(b"abc", b"abc"));
        assert!(!same_bytes(b"abc", b"abd"));
        assert!(!same_bytes(b"abc", b"abcd"));
    }
}
