//! Shoppers' data rights, for a merchant answering a request: everything Tracklight holds
//! for one phone number or one ecommerce customer ID, exported as JSON, or erased. Erasure
//! deletes the consents with their proofs, history and pending jobs (nothing more is sent),
//! clears the personal fields of the orders (names, email, phone, city; the shipment keeps
//! tracking), and leaves a tombstone with a hash of the subject only. Consents past the
//! retention period are removed the same way (`expire`).
//!
//! What the provider (Yotpo) holds is the merchant's to erase there.

use super::merchants::MerchantId;
use super::{times, AppState, Db};
use crate::domain::inputs::{CountryCode, PhoneE164};
use crate::domain::AppError;
use anyhow::Context;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Whose data: a phone number or an ecommerce customer ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Phone(PhoneE164),
    Customer(String),
}

impl Subject {
    /// `kind` is `phone` or `customer`; a phone is read with `region` as its default.
    pub fn parse(kind: &str, value: &str, region: CountryCode) -> Result<Self, AppError> {
        let value = value.trim();
        match kind {
            "phone" => PhoneE164::parse(value, Some(region))
                .map(Self::Phone)
                .map_err(|m| AppError::invalid("subject", format!("The phone number {m}."))),
            "customer" if !value.is_empty() && value.chars().count() <= 128 => {
                Ok(Self::Customer(value.to_owned()))
            }
            "customer" => Err(AppError::invalid(
                "subject",
                "Enter the customer's ID from your store.",
            )),
            _ => Err(AppError::invalid(
                "kind",
                "Choose a phone number or a customer ID.",
            )),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::Phone(_) => "phone",
            Self::Customer(_) => "customer",
        }
    }

    fn value(&self) -> &str {
        match self {
            Self::Phone(p) => p.as_str(),
            Self::Customer(c) => c,
        }
    }

    /// The orders' and consents' column that names the subject.
    fn column(&self) -> &'static str {
        match self {
            Self::Phone(_) => "phone_e164",
            Self::Customer(_) => "customer_external_id",
        }
    }

    /// What the tombstone keeps: a hash, bound to the merchant.
    fn fingerprint(&self, merchant: &MerchantId) -> String {
        hex::encode(Sha256::digest(
            format!("{merchant}\n{}\n{}", self.kind(), self.value()).as_bytes(),
        ))
    }
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    external_id: String,
    customer_external_id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone_e164: Option<String>,
    shipping_country: String,
    shipping_city: Option<String>,
    shipping_postcode: Option<String>,
    created_at_ms: i64,
}

#[derive(sqlx::FromRow)]
struct ConsentRow {
    id: String,
    phone_e164: String,
    customer_external_id: String,
    provider: String,
    account_id: String,
    list_id: String,
    state: String,
    failure_reason: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ProofRow {
    phone_e164: String,
    list_id: String,
    disclosure: String,
    disclosure_sha256: String,
    language: String,
    ip: Option<String>,
    user_agent: Option<String>,
    page_url: Option<String>,
    consented_at_ms: i64,
}

/// Everything held for `subject` at `merchant`, as JSON.
pub async fn export(db: &Db, merchant: &MerchantId, subject: &Subject) -> anyhow::Result<Value> {
    let column = subject.column();
    let orders: Vec<OrderRow> = sqlx::query_as(&format!(
        "SELECT external_id, customer_external_id, first_name, last_name, email, phone_e164,
                shipping_country, shipping_city, shipping_postcode, created_at_ms
         FROM orders WHERE merchant_id = $1 AND {column} = $2 ORDER BY created_at_ms"
    ))
    .bind(merchant.as_str())
    .bind(subject.value())
    .fetch_all(db.pool())
    .await
    .context("reading a subject's orders")?;
    let consents: Vec<ConsentRow> = sqlx::query_as(&format!(
        "SELECT id, phone_e164, customer_external_id, provider, account_id, list_id, state,
                failure_reason
         FROM consents WHERE merchant_id = $1 AND {column} = $2 ORDER BY consented_at_ms"
    ))
    .bind(merchant.as_str())
    .bind(subject.value())
    .fetch_all(db.pool())
    .await
    .context("reading a subject's consents")?;
    let mut consents_json = Vec::new();
    for c in consents {
        let proofs: Vec<ProofRow> = sqlx::query_as(
            "SELECT phone_e164, list_id, disclosure, disclosure_sha256, language, ip, user_agent,
                    page_url, consented_at_ms
             FROM consent_proofs WHERE consent_id = $1 ORDER BY consented_at_ms",
        )
        .bind(&c.id)
        .fetch_all(db.pool())
        .await
        .context("reading proofs of consent")?;
        let history = super::consent::history::events(db, &c.id).await?;
        // The email went to Yotpo Loyalty with this action (which keeps the points).
        let loyalty: Option<(String, String, Option<String>, Option<i64>)> = sqlx::query_as(
            "SELECT action_name, state, outcome, done_at_ms FROM loyalty_jobs
             WHERE consent_id = $1",
        )
        .bind(&c.id)
        .fetch_optional(db.pool())
        .await
        .context("reading a consent's loyalty action")?;
        consents_json.push(json!({
            "id": c.id,
            "phone": c.phone_e164,
            "customer_id": c.customer_external_id,
            "provider": c.provider,
            "account_id": c.account_id,
            "list_id": c.list_id,
            "state": c.state,
            "failure_reason": c.failure_reason,
            "proofs": proofs.iter().map(|p| json!({
                "phone": p.phone_e164,
                "list_id": p.list_id,
                "consented_at": times::rfc3339(p.consented_at_ms),
                "disclosure": p.disclosure,
                "disclosure_sha256": p.disclosure_sha256,
                "language": p.language,
                "ip": p.ip,
                "user_agent": p.user_agent,
                "page_url": p.page_url,
            })).collect::<Vec<_>>(),
            "loyalty": loyalty.map(|(action, state, outcome, done)| json!({
                "action_name": action,
                "state": state,
                "outcome": outcome,
                "done_at": done.map(times::rfc3339),
            })),
            "history": history.iter().map(|e| json!({
                "event": e.kind,
                "detail": e.detail,
                "at": times::rfc3339(e.at_ms),
            })).collect::<Vec<_>>(),
        }));
    }
    Ok(json!({
        "subject": { subject.kind(): subject.value() },
        "orders": orders.iter().map(|o| json!({
            "order_id": o.external_id,
            "customer_id": o.customer_external_id,
            "first_name": o.first_name,
            "last_name": o.last_name,
            "email": o.email,
            "phone": o.phone_e164,
            "shipping_country": o.shipping_country,
            "shipping_city": o.shipping_city,
            "shipping_postcode": o.shipping_postcode,
            "created_at": times::rfc3339(o.created_at_ms),
        })).collect::<Vec<_>>(),
        "consents": consents_json,
        "photos": photos(db, merchant, subject).await?,
    }))
}

#[derive(sqlx::FromRow)]
struct PhotoRow {
    id: String,
    order_number: String,
    caption: Option<String>,
    state: String,
    created_at_ms: i64,
}

/// The photos and videos the subject shared of their orders, with their files' kinds (the
/// files themselves are the merchant's to download from the grid).
async fn photos(db: &Db, merchant: &MerchantId, subject: &Subject) -> anyhow::Result<Value> {
    let column = subject.column();
    let rows: Vec<PhotoRow> = sqlx::query_as(&format!(
        "SELECT ms.id, o.external_id AS order_number, ms.caption, ms.state, ms.created_at_ms
         FROM media_submissions ms
         JOIN shipments s ON s.id = ms.shipment_id
         JOIN orders o ON o.id = s.order_id
         WHERE o.merchant_id = $1 AND o.{column} = $2
         ORDER BY ms.created_at_ms"
    ))
    .bind(merchant.as_str())
    .bind(subject.value())
    .fetch_all(db.pool())
    .await
    .context("reading a subject's photos")?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let files: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT kind, content_type, bytes FROM media_files
             WHERE submission_id = $1 ORDER BY position",
        )
        .bind(&row.id)
        .fetch_all(db.pool())
        .await
        .context("reading a submission's files")?;
        out.push(json!({
            "order_id": row.order_number,
            "caption": row.caption,
            "state": row.state,
            "shared_at": times::rfc3339(row.created_at_ms),
            "files": files.iter().map(|(kind, content_type, bytes)| json!({
                "kind": kind, "content_type": content_type, "bytes": bytes,
            })).collect::<Vec<_>>(),
        }));
    }
    Ok(Value::Array(out))
}

/// What an erasure removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Erased {
    pub consents: i64,
    pub orders: i64,
    /// Photo submissions deleted with their files.
    pub photos: i64,
}

/// How an erased customer ID starts (the rest is a hash no one can trace back).
pub const ERASED_PREFIX: &str = "erased-";

/// Erases everything held for `subject` at `merchant`, in one transaction, and leaves a
/// tombstone with its hash.
pub async fn erase(
    state: &AppState,
    merchant: &MerchantId,
    subject: &Subject,
    now_ms: i64,
) -> anyhow::Result<Erased> {
    let db = &state.db;
    let column = subject.column();
    let fingerprint = subject.fingerprint(merchant);
    let mut tx = db.pool().begin().await?;
    // The photos they shared: rows now (their import and points jobs go with them), files
    // listed to go in this transaction and deleted once it is committed.
    let of_subject = format!(
        "SELECT ms.id FROM media_submissions ms
         JOIN shipments s ON s.id = ms.shipment_id
         JOIN orders o ON o.id = s.order_id
         WHERE o.merchant_id = $1 AND o.{column} = $2"
    );
    let media_keys: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT key FROM media_files WHERE submission_id IN ({of_subject})"
    ))
    .bind(merchant.as_str())
    .bind(subject.value())
    .fetch_all(&mut *tx)
    .await
    .context("reading the files of a subject's photos")?;
    super::media::cleanup::plan(&mut tx, &media_keys, now_ms).await?;
    let photos = sqlx::query(&format!(
        "DELETE FROM media_submissions WHERE id IN ({of_subject})"
    ))
    .bind(merchant.as_str())
    .bind(subject.value())
    .execute(&mut *tx)
    .await
    .context("erasing a subject's photos")?
    .rows_affected() as i64;
    let consents = sqlx::query(&format!(
        "DELETE FROM consents WHERE merchant_id = $1 AND {column} = $2"
    ))
    .bind(merchant.as_str())
    .bind(subject.value())
    .execute(&mut *tx)
    .await
    .context("erasing consents")?
    .rows_affected() as i64;
    // Milestone events not yet sent would carry the shopper's details: dropped.
    sqlx::query(&format!(
        "DELETE FROM event_jobs WHERE state <> 'done' AND shipment_id IN (
             SELECT s.id FROM shipments s JOIN orders o ON o.id = s.order_id
             WHERE o.merchant_id = $1 AND o.{column} = $2)"
    ))
    .bind(merchant.as_str())
    .bind(subject.value())
    .execute(&mut *tx)
    .await
    .context("dropping unsent milestone events")?;
    // The shipments keep tracking; the orders keep nothing personal. A customer ID, once
    // erased, is replaced by a name no one can trace back.
    let orders = sqlx::query(&format!(
        "UPDATE orders SET first_name = NULL, last_name = NULL, email = NULL,
             phone_e164 = NULL, shipping_city = NULL, shipping_postcode = NULL,
             updated_at_ms = $3,
             customer_external_id = CASE WHEN customer_external_id = $2 THEN $4
                                         ELSE customer_external_id END
         WHERE merchant_id = $1 AND {column} = $2"
    ))
    .bind(merchant.as_str())
    .bind(subject.value())
    .bind(now_ms)
    .bind(format!("{ERASED_PREFIX}{}", &fingerprint[..16]))
    .execute(&mut *tx)
    .await
    .context("erasing orders' personal data")?
    .rows_affected() as i64;
    sqlx::query(
        "INSERT INTO erasures (id, merchant_id, subject_kind, subject_sha256, consents, orders,
                               erased_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(merchant.as_str())
    .bind(subject.kind())
    .bind(&fingerprint)
    .bind(consents)
    .bind(orders)
    .bind(now_ms)
    .execute(&mut *tx)
    .await
    .context("recording an erasure")?;
    tx.commit().await.context("committing an erasure")?;
    super::media::cleanup::carry_out(state, &media_keys).await;
    Ok(Erased {
        consents,
        orders,
        photos,
    })
}

/// Removes consents (with their proofs and history) given longer ago than `retention`
/// whose delivery is over (subscribed or failed). Returns how many.
pub async fn expire(db: &Db, retention: std::time::Duration, now_ms: i64) -> anyhow::Result<u64> {
    let cutoff = now_ms - retention.as_millis() as i64;
    let done = sqlx::query(
        "DELETE FROM consents
         WHERE consented_at_ms < $1 AND state IN ('subscribed', 'confirming', 'failed')",
    )
    .bind(cutoff)
    .execute(db.pool())
    .await
    .context("removing consents past their retention")?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::testing::{Backend, TestEnv};

    fn us() -> CountryCode {
        CountryCode::parse("US").unwrap()
    }

    #[test]
    fn subjects_parse() {
        assert_eq!(
            Subject::parse("phone", "(415) 555-2671", us()).unwrap(),
            Subject::Phone(PhoneE164::parse("+14155552671", None).unwrap())
        );
        assert_eq!(
            Subject::parse("customer", " c-42 ", us()).unwrap(),
            Subject::Customer("c-42".into())
        );
        for (kind, value) in [("phone", "12"), ("customer", " "), ("email", "a@b.example")] {
            assert!(Subject::parse(kind, value, us()).is_err(), "{kind} {value}");
        }
    }

    #[tokio::test]
    async fn erasure_leaves_a_hash_and_nothing_to_send() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let acme = env.merchant("Acme").await;
        let other = env.merchant("Other").await;
        env.shipment(&acme, "c-+14155552671", Some("+14155552671"))
            .await;
        let consent = env.consent(&acme, "+14155552671").await;
        let kept = env.consent(&other, "+14155552671").await;
        let subject = Subject::Phone(PhoneE164::parse("+14155552671", None).unwrap());

        let held = export(&env.state.db, &acme, &subject).await.unwrap();
        assert_eq!(held["consents"][0]["id"], consent.as_str());
        assert_eq!(held["orders"][0]["phone"], "+14155552671");
        assert_eq!(held["orders"][0]["first_name"], "Ana");

        let erased = erase(&env.state, &acme, &subject, env.now_ms())
            .await
            .unwrap();
        assert_eq!(
            erased,
            Erased {
                consents: 1,
                orders: 1,
                photos: 0,
            }
        );
        let after = export(&env.state.db, &acme, &subject).await.unwrap();
        assert_eq!(after["consents"].as_array().unwrap().len(), 0);
        assert_eq!(after["orders"].as_array().unwrap().len(), 0);
        let jobs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE consent_id = $1")
            .bind(&consent)
            .fetch_one(env.state.db.pool())
            .await
            .unwrap();
        assert_eq!(jobs, 0, "nothing left to send");
        let tombstone: String = sqlx::query_scalar("SELECT subject_sha256 FROM erasures")
            .fetch_one(env.state.db.pool())
            .await
            .unwrap();
        assert_eq!(tombstone.len(), 64);
        assert!(!tombstone.contains("4155552671"));
        // Another merchant's data is theirs.
        assert_eq!(env.consent_state(&kept).await.state, "waiting");
    }

    #[tokio::test]
    async fn consents_past_their_retention_go_once_their_delivery_is_over() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let acme = env.merchant("Acme").await;
        let old_done = env.consent(&acme, "+14155550001").await;
        let old_pending = env.consent(&acme, "+14155550002").await;
        let recent = env.consent(&acme, "+14155550003").await;
        let year = 365 * 24 * 3600 * 1000_i64;
        for (id, state, age) in [
            (&old_done, "subscribed", 6 * year),
            (&old_pending, "waiting", 6 * year),
            (&recent, "subscribed", year),
        ] {
            sqlx::query("UPDATE consents SET state = $1, consented_at_ms = $2 WHERE id = $3")
                .bind(state)
                .bind(env.now_ms() - age)
                .bind(id)
                .execute(env.state.db.pool())
                .await
                .unwrap();
        }
        let retention = std::time::Duration::from_secs(5 * 365 * 24 * 3600);
        assert_eq!(
            expire(&env.state.db, retention, env.now_ms())
                .await
                .unwrap(),
            1
        );
        let left: Vec<String> = sqlx::query_scalar("SELECT id FROM consents ORDER BY id")
            .fetch_all(env.state.db.pool())
            .await
            .unwrap();
        let mut expected = vec![old_pending, recent];
        expected.sort();
        assert_eq!(left, expected);
    }
}
