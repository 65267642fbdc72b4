//! Approved shopper photos and videos imported into Yotpo Reviews (`yotpo::ReviewsClient`)
//! as durable jobs (`review_import_jobs`): one per submission, queued in the transaction that
//! approves it, claimed like milestone events (`lease`), retried with the shared policy
//! (`worker::after_failure`) and dead-lettered with the reason the merchant sees in the
//! moderation grid. After each import call the job records how many of the submission's
//! files are sent (`items_sent`, under the claim's fence), so a retry, the merchant's too,
//! sends only what is left: the call whose answer never came, and those after it.
//!
//! The import goes to the store's Yotpo connection (its store ID is the Reviews app key,
//! its API secret the v1 client secret), whichever SMS provider the store chose.

use super::lease;
use super::worker::{after_failure, AfterFailure, WorkerConfig};
use crate::ssr::media::moderation::public_url;
use crate::ssr::media::store::Variant;
use crate::ssr::sms::ProviderError;
use crate::ssr::yotpo::{Import, ImportCall, ImportItem, YotpoError};
use crate::ssr::AppState;
use anyhow::Context;
use secrecy::SecretString;
use sqlx::{Any, Transaction};

pub(super) const TABLE: &str = "review_import_jobs";

/// Queues the import of an approved submission (in the approving transaction).
pub async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    merchant: &str,
    submission: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO review_import_jobs (id, merchant_id, submission_id, state, run_at_ms,
                                         created_at_ms, updated_at_ms)
         VALUES ($1, $2, $3, 'queued', $4, $4, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(merchant)
    .bind(submission)
    .bind(now_ms)
    .execute(&mut **tx)
    .await
    .context("queuing a review import")?;
    Ok(())
}

/// An import job claimed by a worker.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedImport {
    pub id: String,
    pub merchant_id: String,
    pub submission_id: String,
    /// Including this one: claims, which a worker that died also spent (`max_attempts`).
    pub attempts: i64,
    /// Failed runs recorded so far (what the back-off grows with; a claim lost to a killed
    /// worker is no failure).
    pub failures: i64,
    pub fence: i64,
    /// How many of the submission's files earlier attempts sent (`ImportCall::sent_after`).
    pub items_sent: i64,
}

pub async fn claim(
    state: &AppState,
    worker: &str,
    lease_ms: i64,
    limit: i64,
    per_merchant: i64,
) -> anyhow::Result<Vec<ClaimedImport>> {
    lease::claim(
        &state.db,
        TABLE,
        "id, merchant_id, submission_id, attempts, failures, fence, items_sent",
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
    job: &ClaimedImport,
    now_ms: i64,
    reason: &str,
) -> anyhow::Result<()> {
    lease::fail(&state.db, TABLE, &job.id, job.fence, now_ms, reason).await
}

pub async fn retry_later(
    state: &AppState,
    job: &ClaimedImport,
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

/// The merchant's retry of a failed import: queued again now; false when there is none.
pub async fn retry_failed(
    state: &AppState,
    merchant: &str,
    submission: &str,
) -> anyhow::Result<bool> {
    let now = state.clock.now_ms();
    let queued =
        lease::requeue_failed(&state.db, TABLE, "submission_id", merchant, submission, now).await?;
    if queued {
        state.jobs_wake.notify_one();
    }
    Ok(queued)
}

#[derive(sqlx::FromRow)]
struct Work {
    state: String,
    caption: Option<String>,
    first_name: Option<String>,
    email: Option<String>,
    product_ids: Option<String>,
    sms_account_id: Option<String>,
    sms_secret_enc: Option<String>,
}

#[derive(sqlx::FromRow)]
struct FileRow {
    key: String,
    kind: String,
}

/// Runs one claimed import: the submission's approved files sent by their public URLs, and
/// the outcome recorded under the claim's fence. Errors are the database's.
pub async fn run(
    state: &AppState,
    config: &WorkerConfig,
    job: &ClaimedImport,
) -> anyhow::Result<()> {
    let work: Option<Work> = sqlx::query_as(
        "SELECT ms.state, ms.caption, o.first_name, o.email, o.product_ids,
                m.sms_account_id, m.sms_secret_enc
         FROM media_submissions ms
         JOIN shipments s ON s.id = ms.shipment_id
         JOIN orders o ON o.id = s.order_id
         JOIN merchants m ON m.id = ms.merchant_id
         WHERE ms.id = $1",
    )
    .bind(&job.submission_id)
    .fetch_optional(state.db.pool())
    .await
    .context("reading an import's submission")?;
    let now = state.clock.now_ms();
    let Some(work) = work else {
        return fail(state, job, now, "the submission is gone").await;
    };
    if work.state != "approved" {
        return fail(state, job, now, "the submission is no longer approved").await;
    }
    let (Some(store_id), Some(sealed)) = (work.sms_account_id, work.sms_secret_enc) else {
        return fail(
            state,
            job,
            now,
            "Yotpo is not connected: connect it in settings, then retry",
        )
        .await;
    };
    // Yotpo's secret is sealed to the merchant alone (`consent::settings`).
    let secret: SecretString = match state.secrets.open(&job.merchant_id, &sealed) {
        Ok(secret) => secret,
        Err(_) => {
            return fail(
                state,
                job,
                now,
                "the stored Yotpo API secret cannot be read: enter it again in settings",
            )
            .await
        }
    };
    let files: Vec<FileRow> = sqlx::query_as(
        "SELECT key, kind FROM media_files WHERE submission_id = $1 ORDER BY position",
    )
    .bind(&job.submission_id)
    .fetch_all(state.db.pool())
    .await
    .context("reading an import's files")?;
    let import = Import {
        items: files
            .into_iter()
            .map(|f| ImportItem {
                video: f.kind == "video",
                url: public_url(state, &f.key, Variant::Main),
                external_id: f.key,
            })
            .collect(),
        caption: work.caption,
        products: work
            .product_ids
            .as_deref()
            .and_then(|ids| serde_json::from_str::<Vec<String>>(ids).ok())
            .unwrap_or_default(),
        user_name: work.first_name.filter(|n| !n.trim().is_empty()),
        user_email: work.email.filter(|e| !e.trim().is_empty()),
    };
    let calls = state.reviews.calls(&import);
    let Some(result) = send_what_is_left(state, job, &store_id, &secret, &calls).await? else {
        // The claim was lost: its new holder goes on from what this one recorded.
        return Ok(());
    };
    let now = state.clock.now_ms();
    match result {
        Ok(()) => {
            let sent = calls.last().map_or(0, |c| c.sent_after);
            tracing::info!(files = sent, "photos imported into Yotpo Reviews");
            let outcome = sent.to_string();
            lease::complete(&state.db, TABLE, &job.id, job.fence, now, Some(&outcome))
                .await
                .map(drop)
        }
        Err(e) => {
            let bad_credentials = e == YotpoError::BadCredentials;
            let mut e = ProviderError::from(e);
            if bad_credentials {
                e.reason = "Yotpo Reviews refused the store ID or API secret".into();
            }
            match after_failure(config, job.attempts, job.failures, now, &e, "review import") {
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

/// Sends the calls earlier attempts did not, recording after each how many files are sent.
/// `None` when the claim was lost on the way; else the provider's answer.
async fn send_what_is_left(
    state: &AppState,
    job: &ClaimedImport,
    store_id: &str,
    secret: &SecretString,
    calls: &[ImportCall],
) -> anyhow::Result<Option<Result<(), YotpoError>>> {
    let left: Vec<&ImportCall> = calls
        .iter()
        .filter(|c| c.sent_after as i64 > job.items_sent)
        .collect();
    if left.is_empty() {
        return Ok(Some(Ok(())));
    }
    let utoken = match state.reviews.utoken(store_id, secret).await {
        Ok(utoken) => utoken,
        Err(e) => return Ok(Some(Err(e))),
    };
    for call in left {
        if let Err(e) = state.reviews.send_call(store_id, &utoken, call).await {
            return Ok(Some(Err(e)));
        }
        let recorded = sqlx::query(
            "UPDATE review_import_jobs SET items_sent = $1, updated_at_ms = $2
             WHERE id = $3 AND fence = $4 AND state = 'queued'",
        )
        .bind(call.sent_after as i64)
        .bind(state.clock.now_ms())
        .bind(&job.id)
        .bind(job.fence)
        .execute(state.db.pool())
        .await
        .context("recording an import's progress")?;
        if recorded.rows_affected() == 0 {
            return Ok(None);
        }
    }
    Ok(Some(Ok(())))
}
