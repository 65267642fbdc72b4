//! The stored webhook deliveries as durable jobs: claimed with a lease and a fence (every
//! change after a claim checks it, so a worker whose lease ran out changes nothing), written
//! through [`super::update::apply`], done, retried later (the shipment an update is about may
//! come with another delivery), or failed with the reason. The body, which holds shoppers'
//! details, is emptied once a delivery is done or failed (only a delivery that waits keeps
//! it, at most its eight tries); deliveries are kept 30 days.

use super::update::{apply, Applied, Update};
use super::{aftership, easypost, shopify, Source};
use crate::ssr::db::Backend;
use crate::ssr::merchants::MerchantId;
use crate::ssr::{AppState, Db};
use anyhow::Context;
use std::future::Future;
use std::time::Duration;

/// How long a claim lasts (processing takes milliseconds).
const LEASE_MS: i64 = 60_000;
/// Attempts before a delivery that keeps waiting or failing is given up.
pub const MAX_ATTEMPTS: i64 = 8;
/// How long deliveries are kept (their outcome, for the settings page).
const KEEP_MS: i64 = 30 * 24 * 3600 * 1000;

#[derive(Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: String,
    pub merchant_id: String,
    pub source: String,
    pub topic: String,
    pub body: String,
    pub attempts: i64,
    pub fence: i64,
}

/// Takes up to `limit` due deliveries for `worker`.
pub async fn claim(db: &Db, worker: &str, now_ms: i64, limit: i64) -> anyhow::Result<Vec<Claimed>> {
    let skip_locked = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    sqlx::query_as(&format!(
        "UPDATE ingest_deliveries SET locked_by = $1, locked_until_ms = $2,
             attempts = attempts + 1, fence = fence + 1, updated_at_ms = $3
         WHERE id IN (
             SELECT id FROM ingest_deliveries
             WHERE state = 'queued' AND run_at_ms <= $3
               AND (locked_until_ms IS NULL OR locked_until_ms < $3)
             ORDER BY received_at_ms, id
             LIMIT $4{skip_locked})
         RETURNING id, merchant_id, source, topic, body, attempts, fence"
    ))
    .bind(worker)
    .bind(now_ms + LEASE_MS)
    .bind(now_ms)
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .context("claiming webhook deliveries")
}

/// Records how `job` ended; false when its claim was lost (nothing changed).
async fn finish(
    db: &Db,
    job: &Claimed,
    state: &str,
    outcome: &str,
    run_at_ms: i64,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE ingest_deliveries SET state = $1, outcome = $2, run_at_ms = $3,
             updated_at_ms = $4, locked_by = NULL, locked_until_ms = NULL,
             body = CASE WHEN $1 = 'queued' THEN body ELSE '' END
         WHERE id = $5 AND fence = $6 AND state = 'queued'",
    )
    .bind(state)
    .bind(outcome.chars().take(500).collect::<String>())
    .bind(run_at_ms)
    .bind(now_ms)
    .bind(&job.id)
    .bind(job.fence)
    .execute(db.pool())
    .await
    .context("recording a webhook delivery's outcome")?;
    Ok(done.rows_affected() == 1)
}

/// What a stored delivery says.
pub fn read(source: Source, topic: &str, body: &str) -> Result<Update, String> {
    match source {
        Source::Shopify => shopify::read(topic, body),
        Source::EasyPost => easypost::read(topic, body),
        Source::AfterShip => aftership::read(topic, body),
    }
}

/// The wait before attempt `attempts + 1`: 5 s, doubling, at most 15 minutes.
fn backoff(attempts: i64) -> i64 {
    let exp = attempts.clamp(1, 10) - 1;
    (5_000_i64 << exp).min(15 * 60_000)
}

/// Processes one claimed delivery.
pub async fn process(state: &AppState, job: &Claimed) -> anyhow::Result<()> {
    let now = state.clock.now_ms();
    let merchant = MerchantId::from_db(job.merchant_id.clone());
    let applied = match Source::parse(&job.source) {
        None => Applied::Refused(format!("unknown source {}", job.source)),
        Some(source) => match read(source, &job.topic, &job.body) {
            Err(why) => Applied::Refused(why),
            // Trouble writing (the database) is tried again, and counts as a try.
            Ok(update) => match apply(&state.db, &merchant, &update, now).await {
                Ok(applied) => applied,
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), delivery = %job.id, "writing a webhook delivery failed");
                    Applied::Wait("could not be written; tried again".into())
                }
            },
        },
    };
    let (outcome_state, outcome, run_at) = match applied {
        Applied::Done(what) => ("done", what, now),
        Applied::Refused(why) => ("failed", why, now),
        Applied::Wait(why) if job.attempts >= MAX_ATTEMPTS => {
            ("failed", format!("gave up: {why}"), now)
        }
        Applied::Wait(why) => ("queued", why, now + backoff(job.attempts)),
    };
    if outcome_state == "failed" {
        tracing::warn!(
            delivery = %job.id,
            source = %job.source,
            topic = %job.topic,
            reason = %outcome,
            "a webhook delivery failed"
        );
    }
    finish(&state.db, job, outcome_state, &outcome, run_at, now).await?;
    if outcome_state == "done" {
        // New shipments and checkpoints may have queued milestone events.
        state.jobs_wake.notify_one();
    }
    Ok(())
}

/// Processes due deliveries until `shutdown` completes.
pub async fn run(state: AppState, shutdown: impl Future<Output = ()>) {
    let worker = format!(
        "inbox-{}-{}",
        std::process::id(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    tokio::pin!(shutdown);
    let wake = state.ingest_wake.clone();
    loop {
        let now = state.clock.now_ms();
        let claimed = match claim(&state.db, &worker, now, 16).await {
            Ok(claimed) => claimed,
            Err(e) => {
                tracing::error!(
                    error = format!("{e:#}"),
                    "claiming webhook deliveries failed"
                );
                Vec::new()
            }
        };
        let full = claimed.len() == 16;
        for job in &claimed {
            if let Err(e) = process(&state, job).await {
                // Internal trouble (the database): the lease runs out and it is tried again.
                tracing::error!(error = format!("{e:#}"), delivery = %job.id, "processing a webhook delivery failed");
            }
        }
        let pause = if full {
            Duration::ZERO
        } else {
            Duration::from_millis(500)
        };
        tokio::select! {
            () = &mut shutdown => break,
            () = wake.notified() => {}
            () = tokio::time::sleep(pause) => {}
        }
    }
}

/// Removes deliveries older than 30 days.
pub async fn prune(db: &Db, now_ms: i64) -> anyhow::Result<u64> {
    let done = sqlx::query("DELETE FROM ingest_deliveries WHERE received_at_ms < $1")
        .bind(now_ms - KEEP_MS)
        .execute(db.pool())
        .await
        .context("pruning webhook deliveries")?;
    Ok(done.rows_affected())
}

/// One delivery as the settings page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub source: String,
    pub topic: String,
    pub state: String,
    pub outcome: Option<String>,
    pub attempts: i64,
    pub received_at_ms: i64,
}

/// The merchant's newest deliveries.
pub async fn recent(
    db: &Db,
    merchant: &MerchantId,
    limit: i64,
) -> anyhow::Result<Vec<DeliveryRow>> {
    sqlx::query_as(
        "SELECT source, topic, state, outcome, attempts, received_at_ms FROM ingest_deliveries
         WHERE merchant_id = $1 ORDER BY received_at_ms DESC, id LIMIT $2",
    )
    .bind(merchant.as_str())
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .context("reading webhook deliveries")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_a_ceiling() {
        assert_eq!(backoff(1), 5_000);
        assert_eq!(backoff(2), 10_000);
        assert_eq!(backoff(9), 15 * 60_000);
    }
}
