//! Merchants and the API keys the feeding platform authenticates with. Keys are random
//! 256-bit secrets shown once; only their SHA-256 is stored (a fast hash is right for
//! high-entropy keys; passwords get a memory-hard one).

use super::Db;
use crate::domain::inputs::{AccentColor, BrandName};
use crate::domain::Brand;
use anyhow::Context;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::fmt;

/// Internal merchant ID (a UUID string). Not secret, never shown to shoppers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MerchantId(String);

impl MerchantId {
    /// An ID read from the database (a foreign key): trusted as it is.
    pub(crate) fn from_db(id: String) -> Self {
        Self(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A merchant's ID as it appears in public addresses (the store's look-up page, its
    /// widget, Shopify's tracking links): a UUID, written any case. Whether the merchant
    /// exists is the caller's question.
    pub fn from_public(store: &str) -> Option<Self> {
        uuid::Uuid::parse_str(store.trim())
            .ok()
            .map(|id| Self(id.hyphenated().to_string()))
    }
}

impl fmt::Display for MerchantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A freshly created API key in plain text. Exists only until it has been shown.
pub struct NewApiKey(String);

impl NewApiKey {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The part of the key that is stored in clear and names it (for revoking).
    pub fn prefix(&self) -> &str {
        &self.0[..PREFIX_LEN]
    }
}

impl fmt::Debug for NewApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewApiKey(***)")
    }
}

const KEY_PREFIX: &str = "tl_";
/// `tl_` and six characters of the key.
const PREFIX_LEN: usize = KEY_PREFIX.len() + 6;

fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

pub struct NewMerchant {
    pub name: BrandName,
    pub accent_color: Option<AccentColor>,
    pub is_demo: bool,
}

pub async fn create(db: &Db, merchant: &NewMerchant, now_ms: i64) -> anyhow::Result<MerchantId> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO merchants (id, name, accent_color, is_demo, created_at_ms)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(merchant.name.as_str())
    .bind(merchant.accent_color.as_ref().map(AccentColor::as_str))
    .bind(i64::from(merchant.is_demo))
    .bind(now_ms)
    .execute(db.pool())
    .await
    .context("inserting a merchant")?;
    Ok(MerchantId(id))
}

pub async fn create_api_key(
    db: &Db,
    merchant: &MerchantId,
    label: &str,
    now_ms: i64,
) -> anyhow::Result<NewApiKey> {
    let secret: [u8; 32] = rand::random();
    let key = format!(
        "{KEY_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
    );
    sqlx::query(
        "INSERT INTO api_keys (id, merchant_id, key_hash, prefix, label, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(merchant.as_str())
    .bind(hash_key(&key))
    .bind(&key[..PREFIX_LEN])
    .bind(label)
    .bind(now_ms)
    .execute(db.pool())
    .await
    .context("inserting an API key")?;
    Ok(NewApiKey(key))
}

/// The merchant a presented key belongs to, if it is a live key.
pub async fn authenticate(db: &Db, presented: &str) -> anyhow::Result<Option<MerchantId>> {
    if !presented.starts_with(KEY_PREFIX) || presented.len() > 200 {
        return Ok(None);
    }
    let id: Option<String> = sqlx::query_scalar(
        "SELECT merchant_id FROM api_keys WHERE key_hash = $1 AND revoked_at_ms IS NULL",
    )
    .bind(hash_key(presented))
    .fetch_optional(db.pool())
    .await
    .context("looking up an API key")?;
    Ok(id.map(MerchantId))
}

/// A merchant as listed to operators.
#[derive(Debug, Clone)]
pub struct MerchantSummary {
    pub id: MerchantId,
    pub name: String,
    pub is_demo: bool,
    pub live_keys: i64,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    name: String,
    is_demo: i64,
    live_keys: i64,
}

pub async fn list(db: &Db) -> anyhow::Result<Vec<MerchantSummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT m.id, m.name, m.is_demo,
             (SELECT COUNT(*) FROM api_keys k
              WHERE k.merchant_id = m.id AND k.revoked_at_ms IS NULL) AS live_keys
         FROM merchants m ORDER BY m.created_at_ms, m.id",
    )
    .fetch_all(db.pool())
    .await
    .context("listing merchants")?;
    Ok(rows
        .into_iter()
        .map(|r| MerchantSummary {
            id: MerchantId(r.id),
            name: r.name,
            is_demo: r.is_demo != 0,
            live_keys: r.live_keys,
        })
        .collect())
}

/// The merchant with this ID, if it exists.
pub async fn find(db: &Db, id: &str) -> anyhow::Result<Option<MerchantId>> {
    let id: Option<String> = sqlx::query_scalar("SELECT id FROM merchants WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .context("looking up a merchant")?;
    Ok(id.map(MerchantId))
}

/// Revokes the merchant's live keys that start with `prefix` (as shown when they were
/// created); returns how many.
pub async fn revoke_api_keys(
    db: &Db,
    merchant: &MerchantId,
    prefix: &str,
    now_ms: i64,
) -> anyhow::Result<u64> {
    let done = sqlx::query(
        "UPDATE api_keys SET revoked_at_ms = $3
         WHERE merchant_id = $1 AND prefix = $2 AND revoked_at_ms IS NULL",
    )
    .bind(merchant.as_str())
    .bind(prefix)
    .bind(now_ms)
    .execute(db.pool())
    .await
    .context("revoking API keys")?;
    Ok(done.rows_affected())
}

/// The demo merchant, if the database has one.
pub async fn find_demo(db: &Db) -> anyhow::Result<Option<MerchantId>> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT id FROM merchants WHERE is_demo = 1 ORDER BY created_at_ms LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await
    .context("looking up the demo merchant")?;
    Ok(id.map(MerchantId))
}

pub async fn count(db: &Db) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM merchants")
        .fetch_one(db.pool())
        .await
        .context("counting merchants")
}

/// One of a merchant's API keys, as the settings page lists it (never the key itself).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiKeySummary {
    pub prefix: String,
    pub label: String,
    pub created_at_ms: i64,
}

/// The merchant's live API keys, newest first.
pub async fn list_api_keys(db: &Db, merchant: &MerchantId) -> anyhow::Result<Vec<ApiKeySummary>> {
    sqlx::query_as(
        "SELECT prefix, label, created_at_ms FROM api_keys
         WHERE merchant_id = $1 AND revoked_at_ms IS NULL
         ORDER BY created_at_ms DESC",
    )
    .bind(merchant.as_str())
    .fetch_all(db.pool())
    .await
    .context("listing API keys")
}

/// The brand name, accent colour and logo (an https URL) shoppers see.
pub async fn update_brand(
    db: &Db,
    merchant: &MerchantId,
    name: &BrandName,
    accent: Option<&AccentColor>,
    logo_url: Option<&str>,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE merchants SET name = $1, accent_color = $2, logo_url = $4 WHERE id = $3")
        .bind(name.as_str())
        .bind(accent.map(AccentColor::as_str))
        .bind(merchant.as_str())
        .bind(logo_url)
        .execute(db.pool())
        .await
        .context("updating the brand")?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct BrandRow {
    name: String,
    accent_color: Option<String>,
    logo_url: Option<String>,
}

/// The brand name, accent colour and logo URL shoppers see.
pub async fn brand(db: &Db, merchant: &MerchantId) -> anyhow::Result<Brand> {
    let row: BrandRow =
        sqlx::query_as("SELECT name, accent_color, logo_url FROM merchants WHERE id = $1")
            .bind(merchant.as_str())
            .fetch_one(db.pool())
            .await
            .context("reading the brand")?;
    Ok(Brand {
        name: row.name,
        accent_color: row.accent_color,
        logo_url: row.logo_url,
    })
}
