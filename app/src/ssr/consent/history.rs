//! The consent history, append-only: each submission's proof of consent, and each change of
//! a consent's state with its reason. Written in the same transaction as the change itself;
//! never edited. (The consents table holds each consent's current state for the log.)

use anyhow::Context;
use sqlx::{Any, Transaction};

/// What happened to a consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A shopper consented (a proof was recorded).
    Submitted,
    /// Over the store's hourly cap: waiting for the merchant.
    Held,
    /// Step 1: the provider has the shopper's details.
    CustomerSent,
    /// Step 2: the provider has the opt-in.
    OptedIn,
    /// Given up, with the reason.
    Failed,
    /// Queued again: the merchant's retry or release, or the shopper's resubmission.
    Requeued,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Held => "held",
            Self::CustomerSent => "customer_sent",
            Self::OptedIn => "opted_in",
            Self::Failed => "failed",
            Self::Requeued => "requeued",
        }
    }
}

/// Appends an event to a consent's history.
pub async fn event(
    tx: &mut Transaction<'_, Any>,
    consent_id: &str,
    kind: EventKind,
    detail: Option<&str>,
    now_ms: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO consent_events (consent_id, kind, detail, at_ms) VALUES ($1, $2, $3, $4)",
    )
    .bind(consent_id)
    .bind(kind.as_str())
    .bind(detail)
    .bind(now_ms)
    .execute(&mut **tx)
    .await
    .context("recording a consent event")?;
    Ok(())
}

/// Appends the consent row's current proof (as just written) to its history.
pub async fn proof(tx: &mut Transaction<'_, Any>, consent_id: &str) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO consent_proofs (id, consent_id, phone_e164, list_id, disclosure,
             disclosure_sha256, language, ip, user_agent, page_url, idempotency_key,
             consented_at_ms)
         SELECT $1, id, phone_e164, list_id, disclosure, disclosure_sha256, language, ip,
                user_agent, page_url, idempotency_key, consented_at_ms
         FROM consents WHERE id = $2",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(consent_id)
    .execute(&mut **tx)
    .await
    .context("recording a proof of consent")?;
    Ok(())
}

/// One entry of a consent's history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct Event {
    pub kind: String,
    pub detail: Option<String>,
    pub at_ms: i64,
}

/// A consent's history, oldest first.
pub async fn events(db: &crate::ssr::Db, consent_id: &str) -> anyhow::Result<Vec<Event>> {
    sqlx::query_as(
        "SELECT kind, detail, at_ms FROM consent_events WHERE consent_id = $1 ORDER BY seq",
    )
    .bind(consent_id)
    .fetch_all(db.pool())
    .await
    .context("reading a consent's history")
}
