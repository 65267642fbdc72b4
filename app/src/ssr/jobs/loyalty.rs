//! Loyalty points for an SMS sign-up (Yotpo Loyalty & Referrals' custom action) as durable
//! jobs (`loyalty_jobs`): one per consent, queued in the transaction that records its
//! opt-in as delivered (when the store rewards sign-ups and the shopper has an email), and
//! claimed like milestone events (`lease`).
//!
//! Yotpo documents no idempotency key for recording an action, so the job reads the
//! customer's loyalty history before every send: an action already there (a send whose
//! answer was lost, a worker that died after sending, the same shopper signing up again)
//! is not sent again. Points are awarded once per action per customer.

use super::lease;
use super::worker::{backoff, WorkerConfig};
use crate::ssr::sms::{ProviderError, ProviderErrorKind};
use crate::ssr::yotpo::{CustomAction, LoyaltyAccount, YotpoError};
use crate::ssr::{times, AppState};
use anyhow::Context;
use sqlx::{Any, Transaction};

const TABLE: &str = "loyalty_jobs";

/// Where a merchant's loyalty API key is sealed (its associated data).
pub fn seal_context(merchant: &str) -> String {
    format!("{merchant}/loyalty")
}

/// Queues the consent's sign-up action, in the transaction that records its opt-in, when
/// its store rewards sign-ups and the consent has an email. At most once per consent.
pub async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    consent_id: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO loyalty_jobs (id, merchant_id, consent_id, action_name, state, run_at_ms,
                                   created_at_ms, updated_at_ms)
         SELECT $1, c.merchant_id, c.id, m.loyalty_signup_action, 'queued', $3, $3, $3
         FROM consents c JOIN merchants m ON m.id = c.merchant_id
         WHERE c.id = $2 AND c.email IS NOT NULL
           AND m.loyalty_signup_action IS NOT NULL AND m.loyalty_key_enc IS NOT NULL
           AND m.loyalty_guid IS NOT NULL
         ON CONFLICT (consent_id) DO NOTHING",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(consent_id)
    .bind(now_ms)
    .execute(&mut **tx)
    .await
    .context("queuing a loyalty action")?;
    Ok(done.rows_affected() == 1)
}

/// A loyalty job claimed by a worker.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedLoyalty {
    pub id: String,
    pub merchant_id: String,
    pub consent_id: String,
    pub action_name: String,
    /// Including this one.
    pub attempts: i64,
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
        "id, merchant_id, consent_id, action_name, attempts, fence",
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
    email: Option<String>,
    consented_at_ms: i64,
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

/// Runs one claimed job: the history read, then the action sent unless it is there, and the
/// outcome recorded under the claim's fence (done; again later after a retryable failure,
/// honouring a 429's wait; or failed with the reason). Errors are the database's.
pub async fn run(
    state: &AppState,
    config: &WorkerConfig,
    job: &ClaimedLoyalty,
) -> anyhow::Result<()> {
    let work: Option<Work> = sqlx::query_as(
        "SELECT c.email, c.consented_at_ms, m.loyalty_guid, m.loyalty_key_enc
         FROM consents c JOIN merchants m ON m.id = c.merchant_id
         WHERE c.id = $1",
    )
    .bind(&job.consent_id)
    .fetch_optional(state.db.pool())
    .await
    .context("reading a loyalty job's consent")?;
    let now = state.clock.now_ms();
    let Some(work) = work else {
        return fail(state, job, now, "the consent is gone").await;
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
        created_at: times::rfc3339(work.consented_at_ms),
    };
    let result = match state
        .loyalty
        .action_landed(&account, &action.customer_email, &action.action_name)
        .await
    {
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
            let e = ProviderError::from(e);
            match e.kind {
                ProviderErrorKind::Retryable { after } if job.attempts < config.max_attempts => {
                    let wait = after.unwrap_or_else(|| backoff(config, job.attempts));
                    tracing::warn!(error = %e.reason, wait_ms = wait.as_millis() as u64, "loyalty action failed; will retry");
                    retry_later(
                        state,
                        job,
                        now,
                        now + wait.as_millis() as i64,
                        &e.reason,
                        after.is_none(),
                    )
                    .await
                }
                ProviderErrorKind::Retryable { .. } => {
                    let reason = format!("gave up after {} attempts: {}", job.attempts, e.reason);
                    tracing::warn!(%reason, "loyalty action failed for good");
                    fail(state, job, now, &reason).await
                }
                _ if bad_credentials => {
                    fail(state, job, now, "Yotpo Loyalty refused the GUID or API key").await
                }
                _ => {
                    tracing::warn!(error = %e.reason, "loyalty action refused; not retrying");
                    fail(state, job, now, &e.reason).await
                }
            }
        }
    }
}
