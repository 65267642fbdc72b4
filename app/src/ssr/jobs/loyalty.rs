//! Loyalty points (Yotpo Loyalty & Referrals' custom action) as durable jobs
//! (`loyalty_jobs`), for an SMS sign-up (the first consent of the shopper's whose opt-in is
//! delivered, queued in that transaction) and for sharing a photo (the first submission of
//! theirs the merchant approves, queued in the approving transaction), when the store
//! rewards it and the order has the shopper's email: one per store, action and customer,
//! claimed like milestone events (`lease`).
//!
//! Yotpo documents no idempotency key for recording an action, so the job reads the
//! customer's loyalty history before every send: an action already there (a send whose
//! answer was lost, a worker that died after sending, the same shopper signing up again)
//! is not sent again. Points are awarded once per action per customer.

use super::lease;
use super::worker::{after_failure, AfterFailure, WorkerConfig};
use crate::ssr::sms::ProviderError;
use crate::ssr::yotpo::{CustomAction, LoyaltyAccount, YotpoError};
use crate::ssr::{times, AppState};
use anyhow::Context;
use sqlx::{Any, Transaction};

pub(super) const TABLE: &str = "loyalty_jobs";

/// Where a merchant's loyalty API key is sealed (its associated data).
pub fn seal_context(merchant: &str) -> String {
    format!("{merchant}/loyalty")
}

/// Which customer a job is for: a digest of the email as Yotpo Loyalty matches it (trimmed,
/// any case). One job per store, action and customer (`loyalty_jobs_once_per_customer`), so
/// two sign-ups of one shopper (two phones, two orders) never race each other to Yotpo.
pub fn customer_key(email: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(email.trim().to_lowercase().as_bytes()))
}

/// Queues the consent's sign-up action, in the transaction that records its opt-in, when
/// its store rewards sign-ups and the consent has an email; nothing when the same shopper's
/// action is queued or done already.
pub async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    consent_id: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let found: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT c.email, m.loyalty_signup_action
         FROM consents c JOIN merchants m ON m.id = c.merchant_id
         WHERE c.id = $1 AND m.loyalty_key_enc IS NOT NULL AND m.loyalty_guid IS NOT NULL",
    )
    .bind(consent_id)
    .fetch_optional(&mut **tx)
    .await
    .context("reading whether a sign-up earns points")?;
    let Some((Some(email), Some(action))) = found else {
        return Ok(false);
    };
    if email.trim().is_empty() {
        return Ok(false);
    }
    let done = sqlx::query(
        "INSERT INTO loyalty_jobs (id, merchant_id, consent_id, action_name, customer_key,
                                   state, run_at_ms, created_at_ms, updated_at_ms)
         SELECT $1, merchant_id, id, $2, $3, 'queued', $4, $4, $4
         FROM consents WHERE id = $5
         ON CONFLICT DO NOTHING",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(&action)
    .bind(customer_key(&email))
    .bind(now_ms)
    .bind(consent_id)
    .execute(&mut **tx)
    .await
    .context("queuing a loyalty action")?;
    Ok(done.rows_affected() == 1)
}

/// Queues the photo action for an approved submission (in the approving transaction) when
/// its store rewards photos and its order has the shopper's email; nothing when the same
/// shopper's photo action is queued or done already.
pub async fn enqueue_photo(
    tx: &mut Transaction<'_, Any>,
    submission_id: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let found: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT ms.merchant_id, o.email, m.loyalty_photo_action
         FROM media_submissions ms
         JOIN shipments s ON s.id = ms.shipment_id
         JOIN orders o ON o.id = s.order_id
         JOIN merchants m ON m.id = ms.merchant_id
         WHERE ms.id = $1 AND m.loyalty_key_enc IS NOT NULL AND m.loyalty_guid IS NOT NULL",
    )
    .bind(submission_id)
    .fetch_optional(&mut **tx)
    .await
    .context("reading whether a photo earns points")?;
    let Some((merchant, Some(email), Some(action))) = found else {
        return Ok(false);
    };
    if email.trim().is_empty() {
        return Ok(false);
    }
    let done = sqlx::query(
        "INSERT INTO loyalty_jobs (id, merchant_id, submission_id, action_name, customer_key,
                                   state, run_at_ms, created_at_ms, updated_at_ms)
         VALUES ($1, $2, $3, $4, $5, 'queued', $6, $6, $6)
         ON CONFLICT DO NOTHING",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(&merchant)
    .bind(submission_id)
    .bind(&action)
    .bind(customer_key(&email))
    .bind(now_ms)
    .execute(&mut **tx)
    .await
    .context("queuing a photo's loyalty action")?;
    Ok(done.rows_affected() == 1)
}

/// A loyalty job claimed by a worker.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedLoyalty {
    pub id: String,
    pub merchant_id: String,
    /// The sign-up it rewards, or
    pub consent_id: Option<String>,
    /// the photo submission it rewards.
    pub submission_id: Option<String>,
    pub action_name: String,
    /// Including this one: claims, which a worker that died also spent (`max_attempts`).
    pub attempts: i64,
    /// Failed runs recorded so far (what the back-off grows with; a claim lost to a killed
    /// worker is no failure).
    pub failures: i64,
    pub fence: i64,
}

pub async fn claim(
    state: &AppState,
    worker: &str,
    lease_ms: i64,
    limit: i64,
    per_merchant: i64,
) -> anyhow::Result<Vec<ClaimedLoyalty>> {
    lease::claim(
        &state.db,
        TABLE,
        "id, merchant_id, consent_id, submission_id, action_name, attempts, failures, fence",
        worker,
        state.clock.now_ms(),
        lease_ms,
        limit,
        per_merchant,
    )
    .await
}

pub async fn fail(
    state: &AppState,
    job: &ClaimedLoyalty,
    now_ms: i64,
    reason: &str,
) -> anyhow::Result<()> {
    lease::fail(&state.db, TABLE, &job.id, job.fence, now_ms, reason).await
}

pub async fn retry_later(
    state: &AppState,
    job: &ClaimedLoyalty,
    now_ms: i64,
    run_at_ms: i64,
    error: &str,
    count_attempt: bool,
) -> anyhow::Result<()> {
    lease::retry_later(
        &state.db,
        TABLE,
        &job.id,
        job.fence,
        now_ms,
        run_at_ms,
        error,
        count_attempt,
    )
    .await
}

#[derive(sqlx::FromRow)]
struct Work {
    /// Whether what the job rewards is still there.
    source_found: i64,
    email: Option<String>,
    /// When the shopper did it: signed up, or shared the photo.
    done_at_ms: Option<i64>,
    loyalty_guid: Option<String>,
    loyalty_key_enc: Option<String>,
}

/// What the job found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Sent now.
    Recorded,
    /// The customer's history already had the action: nothing sent.
    Already,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Recorded => "recorded",
            Self::Already => "already",
        }
    }
}

/// The merchant's retry of a photo's failed loyalty action: queued again now; false when
/// the submission has no failed one.
pub async fn retry_failed_photo(
    state: &AppState,
    merchant: &str,
    submission_id: &str,
) -> anyhow::Result<bool> {
    let now = state.clock.now_ms();
    let queued = lease::requeue_failed(
        &state.db,
        TABLE,
        "submission_id",
        merchant,
        submission_id,
        now,
    )
    .await?;
    if queued {
        state.jobs_wake.notify_one();
    }
    Ok(queued)
}

/// The merchant's retry of a consent's failed loyalty action: queued again now; false when
/// the consent has no failed one.
pub async fn retry_failed(
    state: &AppState,
    merchant: &str,
    consent_id: &str,
) -> anyhow::Result<bool> {
    let now = state.clock.now_ms();
    lease::requeue_failed(&state.db, TABLE, "consent_id", merchant, consent_id, now).await
}

/// Runs one claimed job: the history read, then the action sent unless it is there, and the
/// outcome recorded under the claim's fence (done; again later after a retryable failure,
/// honouring a 429's wait; or failed with the reason). Errors are the database's.
pub async fn run(
    state: &AppState,
    config: &WorkerConfig,
    job: &ClaimedLoyalty,
) -> anyhow::Result<()> {
    let work: Option<Work> = sqlx::query_as(
        "SELECT CASE WHEN c.id IS NOT NULL OR ms.id IS NOT NULL THEN 1 ELSE 0 END
                    AS source_found,
                COALESCE(c.email, o.email) AS email,
                COALESCE(c.consented_at_ms, ms.created_at_ms) AS done_at_ms,
                m.loyalty_guid, m.loyalty_key_enc
         FROM loyalty_jobs j
         JOIN merchants m ON m.id = j.merchant_id
         LEFT JOIN consents c ON c.id = j.consent_id
         LEFT JOIN media_submissions ms ON ms.id = j.submission_id
         LEFT JOIN shipments s ON s.id = ms.shipment_id
         LEFT JOIN orders o ON o.id = s.order_id
         WHERE j.id = $1",
    )
    .bind(&job.id)
    .fetch_optional(state.db.pool())
    .await
    .context("reading a loyalty job's sign-up or photo")?;
    let now = state.clock.now_ms();
    let Some(work) = work.filter(|w| w.source_found == 1) else {
        return fail(state, job, now, "the sign-up or photo is gone").await;
    };
    let Some(done_at_ms) = work.done_at_ms else {
        return fail(state, job, now, "the sign-up or photo is gone").await;
    };
    let Some(email) = work.email.filter(|e| !e.is_empty()) else {
        return fail(state, job, now, "the shopper's email was erased").await;
    };
    let (Some(guid), Some(sealed)) = (work.loyalty_guid, work.loyalty_key_enc) else {
        return fail(state, job, now, "Yotpo Loyalty is no longer connected").await;
    };
    let api_key = match state.secrets.open(&seal_context(&job.merchant_id), &sealed) {
        Ok(key) => key,
        Err(_) => {
            return fail(
                state,
                job,
                now,
                "the stored loyalty API key cannot be read: enter it again in settings",
            )
            .await
        }
    };
    let account = LoyaltyAccount { guid, api_key };
    let action = CustomAction {
        customer_email: email,
        action_name: job.action_name.clone(),
        created_at: times::rfc3339(done_at_ms),
    };
    let result = match state.loyalty.action_landed(&account, &action).await {
        Ok(true) => Ok(Outcome::Already),
        Ok(false) => state
            .loyalty
            .record(&account, &action)
            .await
            .map(|()| Outcome::Recorded),
        Err(e) => Err(e),
    };
    let now = state.clock.now_ms();
    match result {
        Ok(outcome) => {
            tracing::info!(outcome = outcome.as_str(), "loyalty action done");
            lease::complete(
                &state.db,
                TABLE,
                &job.id,
                job.fence,
                now,
                Some(outcome.as_str()),
            )
            .await
            .map(drop)
        }
        Err(e) => {
            let bad_credentials = e == YotpoError::BadCredentials;
            let mut e = ProviderError::from(e);
            if bad_credentials {
                e.reason = "Yotpo Loyalty refused the GUID or API key".into();
            }
            match after_failure(
                config,
                job.attempts,
                job.failures,
                now,
                &e,
                "loyalty action",
            ) {
                AfterFailure::Retry {
                    at_ms,
                    count_attempt,
                    ..
                } => retry_later(state, job, now, at_ms, &e.reason, count_attempt).await,
                AfterFailure::Fail(reason) => fail(state, job, now, &reason).await,
            }
        }
    }
}
