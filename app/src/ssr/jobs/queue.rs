//! The job table's operations. A claim is a lease (`locked_until_ms`) that the claiming
//! worker keeps alive ([`renew`]) while it runs the job, and a fence: each claim takes the
//! job's next `fence` number, and every change after a claim checks it, so a worker whose
//! lease ran out (and whose job another worker took, even in the same process) changes
//! nothing.

use crate::ssr::consent::history::{self, EventKind};
use crate::ssr::db::Backend;
use crate::ssr::Db;
use anyhow::Context;
use sqlx::{Any, Transaction};

pub const STEP_CUSTOMER: &str = "upsert_customer";
pub const STEP_SUBSCRIBE: &str = "subscribe";

/// The tables whose rows are claimed with leases and fences: a consent's two steps,
/// milestone events (`super::events`), loyalty actions (`super::loyalty`) and review
/// imports (`super::reviews`).
pub(super) const JOB_TABLES: [&str; 4] =
    ["jobs", "event_jobs", "loyalty_jobs", "review_import_jobs"];

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedJob {
    pub id: String,
    pub consent_id: String,
    pub step: String,
    /// Including this one: claims, which a worker that died also spent (`max_attempts`).
    pub attempts: i64,
    /// Failed runs recorded so far (what the back-off grows with; a claim lost to a killed
    /// worker is no failure).
    pub failures: i64,
    /// This claim's fence number: only it may record the outcome.
    pub fence: i64,
    /// When the job was due.
    pub run_at_ms: i64,
    /// When an earlier attempt's write last left for the provider with its outcome unknown
    /// since (`write_mark`): it may have landed.
    pub sent_at_ms: Option<i64>,
}

/// Step 1 queued now (or held, when the store's hourly cap is reached: it waits for the
/// merchant to release it), step 2 blocked behind it; in the consent's own transaction.
pub async fn enqueue_consent_jobs(
    tx: &mut Transaction<'_, Any>,
    consent_id: &str,
    now_ms: i64,
    held: bool,
) -> anyhow::Result<()> {
    let first = if held { "held" } else { "queued" };
    for (step, state, run_at) in [
        (STEP_CUSTOMER, first, Some(now_ms)),
        (STEP_SUBSCRIBE, "blocked", None),
    ] {
        sqlx::query(
            "INSERT INTO jobs (id, consent_id, step, state, run_at_ms, attempts,
                               created_at_ms, updated_at_ms)
             VALUES ($1, $2, $3, $4, $5, 0, $6, $6)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(consent_id)
        .bind(step)
        .bind(state)
        .bind(run_at)
        .bind(now_ms)
        .execute(&mut **tx)
        .await
        .context("enqueuing a consent job")?;
    }
    Ok(())
}

/// Takes up to `limit` due jobs for `worker` until `now + lease`.
pub async fn claim(
    db: &Db,
    worker: &str,
    now_ms: i64,
    lease_ms: i64,
    limit: i64,
    per_merchant: i64,
) -> anyhow::Result<Vec<ClaimedJob>> {
    let skip_locked = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        // One writer at a time: the UPDATE below is atomic on its own.
        Backend::Sqlite => "",
    };
    // Due opt-ins first: their timing is the promise (the opt-in delay after step 1); a
    // customer step that waits a little longer delays its own opt-in's due time with it.
    // Fair across merchants: each merchant's due jobs are ranked with the ones already held
    // (by any worker) first, and only those ranked within `per_merchant` are taken. A burst
    // of one store's consents, which its provider budget serialises anyway, then never fills
    // every slot while other stores' jobs wait behind it. Of those, customer steps take at
    // most half (ranked among the store's customer steps, held ones first): the rest stays
    // free for opt-ins falling due, which then queue for the store's provider budget behind
    // at most that many customer steps. The caps are soft across workers racing on
    // PostgreSQL (each ranks its own snapshot); a job is still claimed only once.
    // The ranking is computed once (a materialised CTE): as a plain subquery, a plan cached
    // while the table was small (PostgreSQL caches a generic plan per connection) re-ran it
    // for every row it compared, and claims took minutes once 10,000 jobs were due.
    let sql = format!(
        "WITH due AS MATERIALIZED (
             SELECT j.id, j.step, j.run_at_ms, j.locked_until_ms,
                    ROW_NUMBER() OVER (
                        PARTITION BY c.merchant_id
                        ORDER BY CASE WHEN j.locked_until_ms >= $3 THEN 0 ELSE 1 END,
                                 CASE WHEN j.step = $6 THEN 0 ELSE 1 END,
                                 j.run_at_ms, j.id
                    ) AS merchant_rank,
                    ROW_NUMBER() OVER (
                        PARTITION BY c.merchant_id, j.step
                        ORDER BY CASE WHEN j.locked_until_ms >= $3 THEN 0 ELSE 1 END,
                                 j.run_at_ms, j.id
                    ) AS step_rank
             FROM (
                 -- The held jobs (they count against their store), and the first of the
                 -- due ones in claim order: ranking every due job cost each claim 100 ms
                 -- with 10,000 waiting.
                 SELECT id, consent_id, step, run_at_ms, locked_until_ms FROM jobs
                 WHERE state = 'queued' AND run_at_ms <= $3 AND locked_until_ms >= $3
                 UNION ALL
                 SELECT * FROM (
                     SELECT id, consent_id, step, run_at_ms, locked_until_ms FROM jobs
                     WHERE state = 'queued' AND run_at_ms <= $3
                       AND (locked_until_ms IS NULL OR locked_until_ms < $3)
                     ORDER BY CASE WHEN step = $6 THEN 0 ELSE 1 END, run_at_ms, id
                     LIMIT $8
                 ) waiting
             ) j JOIN consents c ON c.id = j.consent_id
         ),
         picked AS MATERIALIZED (
             SELECT id FROM due
             WHERE merchant_rank <= $5 AND (step = $6 OR step_rank <= $7)
               AND (locked_until_ms IS NULL OR locked_until_ms < $3)
             ORDER BY CASE WHEN step = $6 THEN 0 ELSE 1 END, run_at_ms, id
             LIMIT $4
         )
         UPDATE jobs SET locked_by = $1, locked_until_ms = $2, attempts = attempts + 1,
                         fence = fence + 1, updated_at_ms = $3
         WHERE id IN (
             -- Checked again here, where PostgreSQL sees a row another worker has just
             -- claimed (the ranking above saw an older snapshot).
             SELECT id FROM jobs
             WHERE id IN (SELECT id FROM picked)
               AND state = 'queued' AND run_at_ms <= $3
               AND (locked_until_ms IS NULL OR locked_until_ms < $3){skip_locked})
         RETURNING id, consent_id, step, attempts, failures, fence, run_at_ms, sent_at_ms"
    );
    sqlx::query_as(&sql)
        .bind(worker)
        .bind(now_ms + lease_ms)
        .bind(now_ms)
        .bind(limit)
        .bind(per_merchant)
        .bind(STEP_SUBSCRIBE)
        .bind((per_merchant / 2).max(1))
        // Enough of the waiting jobs for every store's turn to be among them.
        .bind((limit * per_merchant * 8).max(500))
        .fetch_all(db.pool())
        .await
        .context("claiming due jobs")
}

/// Marks the claimed job done; false when the claim was lost (nothing changed).
async fn finish(
    tx: &mut Transaction<'_, Any>,
    job: &ClaimedJob,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET state = 'done', done_at_ms = $1, updated_at_ms = $1, locked_by = NULL,
                         locked_until_ms = NULL, last_error = NULL, sent_at_ms = NULL
         WHERE id = $2 AND fence = $3 AND state = 'queued'",
    )
    .bind(now_ms)
    .bind(&job.id)
    .bind(job.fence)
    .execute(&mut **tx)
    .await
    .context("finishing a job")?;
    Ok(done.rows_affected() == 1)
}

/// Step 1 succeeded: the consent's customer is sent, and step 2 is due `delay_ms` from now.
pub async fn complete_customer_step(
    db: &Db,
    job: &ClaimedJob,
    now_ms: i64,
    delay_ms: i64,
) -> anyhow::Result<bool> {
    let mut tx = db.pool().begin().await?;
    if !finish(&mut tx, job, now_ms).await? {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE consents SET state = 'customer_sent', customer_sent_at_ms = $1, updated_at_ms = $1
         WHERE id = $2",
    )
    .bind(now_ms)
    .bind(&job.consent_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE jobs SET state = 'queued', run_at_ms = $1, updated_at_ms = $2
         WHERE consent_id = $3 AND step = $4 AND state = 'blocked'",
    )
    .bind(now_ms + delay_ms)
    .bind(now_ms)
    .bind(&job.consent_id)
    .bind(STEP_SUBSCRIBE)
    .execute(&mut *tx)
    .await?;
    history::event(
        &mut tx,
        &job.consent_id,
        EventKind::CustomerSent,
        None,
        now_ms,
    )
    .await?;
    tx.commit().await.context("committing step 1")?;
    Ok(true)
}

/// Step 2 succeeded: the consent is subscribed.
/// `confirming`: the list asks the shopper to confirm by text (double opt-in), so the
/// consent waits for their reply at the provider rather than being subscribed.
pub async fn complete_subscribe_step(
    db: &Db,
    job: &ClaimedJob,
    now_ms: i64,
    confirming: bool,
) -> anyhow::Result<bool> {
    let mut tx = db.pool().begin().await?;
    if !finish(&mut tx, job, now_ms).await? {
        return Ok(false);
    }
    let state = if confirming {
        "confirming"
    } else {
        "subscribed"
    };
    sqlx::query(
        "UPDATE consents SET state = $1, subscribed_at_ms = $2, updated_at_ms = $2
         WHERE id = $3",
    )
    .bind(state)
    .bind(now_ms)
    .bind(&job.consent_id)
    .execute(&mut *tx)
    .await?;
    let detail = confirming.then_some(
        "double opt-in: the provider texted the shopper to confirm; subscribed once they reply",
    );
    history::event(&mut tx, &job.consent_id, EventKind::OptedIn, detail, now_ms).await?;
    // Loyalty points for the sign-up, when the store rewards it: once subscribed (a double
    // opt-in the shopper has not confirmed yet earns nothing).
    if !confirming {
        super::loyalty::enqueue(&mut tx, &job.consent_id, now_ms).await?;
    }
    tx.commit().await.context("committing step 2")?;
    Ok(true)
}

/// Tries again at `run_at_ms`. A wait the provider asked for (429) does not count as an
/// attempt.
/// `unapplied`: the provider's answer says this attempt did nothing, so its write mark (if
/// any) goes; otherwise it stays, and the write is not sent again before reading back.
pub async fn retry_later(
    db: &Db,
    job: &ClaimedJob,
    now_ms: i64,
    run_at_ms: i64,
    error: &str,
    count_attempt: bool,
    unapplied: bool,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE jobs SET run_at_ms = $1, last_error = $2, locked_by = NULL,
                         locked_until_ms = NULL, updated_at_ms = $3, attempts = attempts - $4,
                         failures = failures + 1 - $4,
                         sent_at_ms = CASE WHEN $7 = 1 THEN NULL ELSE sent_at_ms END
         WHERE id = $5 AND fence = $6 AND state = 'queued'",
    )
    .bind(run_at_ms)
    .bind(error)
    .bind(now_ms)
    .bind(i64::from(!count_attempt))
    .bind(&job.id)
    .bind(job.fence)
    .bind(i64::from(unapplied))
    .execute(db.pool())
    .await
    .context("rescheduling a job")?;
    Ok(())
}

/// Marks the claimed job's write as leaving for the provider now (see `write_mark`); an
/// error when the claim was lost, which stops the write.
pub async fn mark_sending(db: &Db, job: &ClaimedJob, now_ms: i64) -> anyhow::Result<()> {
    let marked = sqlx::query(
        "UPDATE jobs SET sent_at_ms = $1, updated_at_ms = $1
         WHERE id = $2 AND fence = $3 AND state = 'queued'",
    )
    .bind(now_ms)
    .bind(&job.id)
    .bind(job.fence)
    .execute(db.pool())
    .await
    .context("marking an opt-in as leaving")?;
    anyhow::ensure!(
        marked.rows_affected() == 1,
        "this worker's claim on the job was lost"
    );
    Ok(())
}

/// Gives up: the job and its consent are failed, with the reason the merchant will see.
pub async fn fail(db: &Db, job: &ClaimedJob, now_ms: i64, reason: &str) -> anyhow::Result<()> {
    fail_as(db, job, now_ms, reason, false).await
}

/// The same; `refused`: the provider refused this attempt's call (a 4xx), so it did nothing
/// and its write mark goes (a merchant's retry then sends at once instead of reading back).
pub async fn fail_as(
    db: &Db,
    job: &ClaimedJob,
    now_ms: i64,
    reason: &str,
    refused: bool,
) -> anyhow::Result<()> {
    let mut tx = db.pool().begin().await?;
    let failed = sqlx::query(
        "UPDATE jobs SET state = 'failed', last_error = $1, locked_by = NULL,
                         locked_until_ms = NULL, updated_at_ms = $2,
                         sent_at_ms = CASE WHEN $5 = 1 THEN NULL ELSE sent_at_ms END
         WHERE id = $3 AND fence = $4 AND state = 'queued'",
    )
    .bind(reason)
    .bind(now_ms)
    .bind(&job.id)
    .bind(job.fence)
    .bind(i64::from(refused))
    .execute(&mut *tx)
    .await?;
    if failed.rows_affected() == 1 {
        sqlx::query(
            "UPDATE consents SET state = 'failed', failure_reason = $1, updated_at_ms = $2
             WHERE id = $3",
        )
        .bind(reason)
        .bind(now_ms)
        .bind(&job.consent_id)
        .execute(&mut *tx)
        .await?;
        history::event(
            &mut tx,
            &job.consent_id,
            EventKind::Failed,
            Some(reason),
            now_ms,
        )
        .await?;
    }
    tx.commit().await.context("recording a failed job")?;
    Ok(())
}

/// Keeps `worker`'s live claims alive for another `lease_ms`; returns the fences of the jobs
/// it still holds (consent steps and milestone events alike). A claim whose lease ran out is
/// not renewed: another worker may hold it already, and the worker must let it go.
pub async fn renew(
    db: &Db,
    worker: &str,
    now_ms: i64,
    lease_ms: i64,
) -> anyhow::Result<Vec<(String, i64)>> {
    #[derive(sqlx::FromRow)]
    struct Held {
        id: String,
        fence: i64,
    }
    let mut all = Vec::new();
    for table in JOB_TABLES {
        let held: Vec<Held> = sqlx::query_as(&format!(
            "UPDATE {table} SET locked_until_ms = $1
             WHERE locked_by = $2 AND state = 'queued' AND locked_until_ms >= $3
             RETURNING id, fence"
        ))
        .bind(now_ms + lease_ms)
        .bind(worker)
        .bind(now_ms)
        .fetch_all(db.pool())
        .await
        .context("renewing job leases")?;
        all.extend(held.into_iter().map(|h| (h.id, h.fence)));
    }
    Ok(all)
}

/// Hands back this worker's unfinished claims (at shutdown), uncounted.
pub async fn release(db: &Db, worker: &str, now_ms: i64) -> anyhow::Result<u64> {
    let mut released = 0;
    for table in JOB_TABLES {
        released += sqlx::query(&format!(
            "UPDATE {table} SET locked_by = NULL, locked_until_ms = NULL,
                                attempts = attempts - 1, updated_at_ms = $1
             WHERE locked_by = $2 AND state = 'queued'"
        ))
        .bind(now_ms)
        .bind(worker)
        .execute(db.pool())
        .await
        .context("releasing claimed jobs")?
        .rows_affected();
    }
    Ok(released)
}

/// When the next queued job (a consent's step or a milestone event) can be claimed, if
/// any: its due time, or when the claim another worker holds on it runs out.
pub async fn next_due(db: &Db) -> anyhow::Result<Option<i64>> {
    let mut next: Option<i64> = None;
    for table in JOB_TABLES {
        let due: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT MIN(CASE WHEN locked_until_ms IS NOT NULL AND locked_until_ms > run_at_ms
                             THEN locked_until_ms ELSE run_at_ms END)
             FROM {table} WHERE state = 'queued'"
        ))
        .fetch_one(db.pool())
        .await
        .context("reading the next due job")?;
        next = match (next, due) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    Ok(next)
}

/// Runs both steps of a consent again (it was given again after being delivered): step 1
/// now, step 2 blocked behind it. Fences stay: they only grow.
pub async fn restart(
    tx: &mut Transaction<'_, Any>,
    consent_id: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE jobs SET
             state = CASE WHEN step = $3 THEN 'queued' ELSE 'blocked' END,
             run_at_ms = CASE WHEN step = $3 THEN $1 ELSE NULL END,
             attempts = 0, failures = 0, last_error = NULL, locked_by = NULL, locked_until_ms = NULL,
             done_at_ms = NULL, sent_at_ms = NULL, updated_at_ms = $1
         WHERE consent_id = $2",
    )
    .bind(now_ms)
    .bind(consent_id)
    .bind(STEP_CUSTOMER)
    .execute(&mut **tx)
    .await
    .context("restarting a consent's jobs")?;
    Ok(())
}

/// Queues a failed consent's failed step again (a resubmission, or the merchant's retry),
/// or a held consent's first step (the merchant's release).
pub async fn requeue(
    tx: &mut Transaction<'_, Any>,
    consent_id: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE jobs SET state = 'queued', run_at_ms = $1, attempts = 0, failures = 0, last_error = NULL,
                         locked_by = NULL, locked_until_ms = NULL, updated_at_ms = $1
         WHERE consent_id = $2 AND state IN ('failed', 'held')",
    )
    .bind(now_ms)
    .bind(consent_id)
    .execute(&mut **tx)
    .await?;
    let requeued = sqlx::query(
        "UPDATE consents SET failure_reason = NULL, updated_at_ms = $1,
             state = CASE WHEN customer_sent_at_ms IS NULL THEN 'waiting' ELSE 'customer_sent' END
         WHERE id = $2 AND state IN ('failed', 'held')",
    )
    .bind(now_ms)
    .bind(consent_id)
    .execute(&mut **tx)
    .await?;
    if requeued.rows_affected() == 1 {
        history::event(tx, consent_id, EventKind::Requeued, None, now_ms).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::testing::{Backend, TestEnv};

    const LEASE: i64 = 120_000;
    const DELAY: i64 = 60_000;

    async fn claim_now(env: &TestEnv, worker: &str, limit: i64) -> Vec<ClaimedJob> {
        claim(&env.state.db, worker, env.now_ms(), LEASE, limit, 4)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn step_two_waits_for_step_one_then_for_the_delay() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;

        let jobs = claim_now(&env, "w1", 10).await;
        assert_eq!(jobs.len(), 1, "only step 1 is due");
        assert_eq!(jobs[0].step, STEP_CUSTOMER);
        assert_eq!(jobs[0].attempts, 1);
        assert!(
            complete_customer_step(&env.state.db, &jobs[0], env.now_ms(), DELAY)
                .await
                .unwrap()
        );
        assert_eq!(env.consent_state(&consent).await.state, "customer_sent");
        let step2 = env.job(&consent, STEP_SUBSCRIBE).await;
        assert_eq!(step2.state, "queued");
        assert_eq!(step2.run_at_ms, Some(env.now_ms() + DELAY));
        assert_eq!(next_due(&env.state.db).await.unwrap(), step2.run_at_ms);

        env.advance_ms(DELAY - 1);
        assert!(
            claim_now(&env, "w1", 10).await.is_empty(),
            "not before the delay"
        );
        env.advance_ms(1);
        let jobs = claim_now(&env, "w1", 10).await;
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].step, STEP_SUBSCRIBE);
        assert!(
            complete_subscribe_step(&env.state.db, &jobs[0], env.now_ms(), false)
                .await
                .unwrap()
        );
        assert_eq!(env.consent_state(&consent).await.state, "subscribed");
        assert_eq!(next_due(&env.state.db).await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_claim_holds_until_its_lease_runs_out_and_then_belongs_to_the_next_worker() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        let first = claim_now(&env, "w1", 10).await;
        assert_eq!(first.len(), 1);
        assert!(claim_now(&env, "w2", 10).await.is_empty(), "held by w1");
        assert_eq!(
            next_due(&env.state.db).await.unwrap(),
            Some(env.now_ms() + LEASE),
            "claimable again when the lease runs out"
        );

        env.advance_ms(LEASE + 1);
        let second = claim_now(&env, "w2", 10).await;
        assert_eq!(second.len(), 1, "a dead worker's claim is taken over");
        assert_eq!(second[0].attempts, 2);
        // The first worker comes back late: its result is not recorded.
        assert!(
            !complete_customer_step(&env.state.db, &first[0], env.now_ms(), DELAY)
                .await
                .unwrap()
        );
        assert_eq!(
            env.job(&consent, STEP_CUSTOMER).await.locked_by.as_deref(),
            Some("w2")
        );
        assert!(
            complete_customer_step(&env.state.db, &second[0], env.now_ms(), DELAY)
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn a_stale_claim_records_nothing_even_in_the_same_worker() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.merchant("Acme").await;
        env.consent(&merchant, "+14155550100").await;
        let stale = claim_now(&env, "w1", 10).await.remove(0);
        env.advance_ms(LEASE + 1);
        let current = claim_now(&env, "w1", 10).await.remove(0);
        assert_eq!((stale.fence, current.fence), (1, 2));
        let now = env.now_ms();
        assert!(!complete_customer_step(&env.state.db, &stale, now, DELAY)
            .await
            .unwrap());
        retry_later(&env.state.db, &stale, now, now, "late", true, true)
            .await
            .unwrap();
        fail(&env.state.db, &stale, now, "late").await.unwrap();
        assert!(
            complete_customer_step(&env.state.db, &current, now, DELAY)
                .await
                .unwrap(),
            "the stale claim changed nothing"
        );
    }

    #[tokio::test]
    async fn a_heartbeat_keeps_live_claims_but_not_lapsed_ones() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.merchant("Acme").await;
        let live = env.consent(&merchant, "+14155550100").await;
        let job = claim_now(&env, "w1", 10).await.remove(0);
        for _ in 0..5 {
            env.advance_ms(LEASE - 1);
            let held = renew(&env.state.db, "w1", env.now_ms(), LEASE)
                .await
                .unwrap();
            assert_eq!(held, [(job.id.clone(), job.fence)]);
            assert!(claim_now(&env, "w2", 10).await.is_empty(), "still w1's");
        }
        env.advance_ms(LEASE + 1);
        assert!(renew(&env.state.db, "w1", env.now_ms(), LEASE)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(claim_now(&env, "w2", 10).await.len(), 1);
        assert_eq!(
            env.job(&live, STEP_CUSTOMER).await.locked_by.as_deref(),
            Some("w2")
        );
    }

    #[tokio::test]
    async fn retries_wait_and_a_wait_the_provider_asked_for_is_not_an_attempt() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        let job = claim_now(&env, "w1", 10).await.remove(0);
        let now = env.now_ms();
        retry_later(
            &env.state.db,
            &job,
            now,
            now + 5_000,
            "HTTP 503",
            true,
            false,
        )
        .await
        .unwrap();
        let row = env.job(&consent, STEP_CUSTOMER).await;
        assert_eq!(
            (
                row.run_at_ms,
                row.attempts,
                row.last_error.as_deref(),
                row.locked_by
            ),
            (Some(now + 5_000), 1, Some("HTTP 503"), None)
        );
        assert!(
            claim_now(&env, "w1", 10).await.is_empty(),
            "not before its time"
        );

        env.advance_ms(5_000);
        let job = claim_now(&env, "w1", 10).await.remove(0);
        assert_eq!(job.attempts, 2);
        let now = env.now_ms();
        retry_later(
            &env.state.db,
            &job,
            now,
            now + 1_000,
            "HTTP 429",
            false,
            true,
        )
        .await
        .unwrap();
        assert_eq!(
            env.job(&consent, STEP_CUSTOMER).await.attempts,
            1,
            "429: uncounted"
        );
    }

    #[tokio::test]
    async fn a_failure_fails_the_consent_with_its_reason_and_a_retry_queues_it_again() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        let job = claim_now(&env, "w1", 10).await.remove(0);
        fail(&env.state.db, &job, env.now_ms(), "the list does not exist")
            .await
            .unwrap();
        let state = env.consent_state(&consent).await;
        assert_eq!(state.state, "failed");
        assert_eq!(
            state.failure_reason.as_deref(),
            Some("the list does not exist")
        );
        assert!(claim_now(&env, "w1", 10).await.is_empty());

        let mut tx = env.state.db.pool().begin().await.unwrap();
        requeue(&mut tx, &consent, env.now_ms()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(env.consent_state(&consent).await.state, "waiting");
        let job = claim_now(&env, "w1", 10).await.remove(0);
        assert_eq!((job.step.as_str(), job.attempts), (STEP_CUSTOMER, 1));
    }

    #[tokio::test]
    async fn a_due_opt_in_goes_before_older_customer_steps() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.merchant("Acme").await;
        let first = env.consent(&merchant, "+14155550100").await;
        let job = claim_now(&env, "w1", 1).await.remove(0);
        complete_customer_step(&env.state.db, &job, env.now_ms(), 1_000)
            .await
            .unwrap();
        env.advance_ms(500);
        for n in 1..=6 {
            env.consent(&merchant, &format!("+1415555010{n}")).await;
        }
        env.advance_ms(500);
        // Six customer steps have waited longer, but the opt-in is due now: it goes first.
        let jobs = claim_now(&env, "w1", 1).await;
        assert_eq!(
            (jobs[0].consent_id.as_str(), jobs[0].step.as_str()),
            (first.as_str(), STEP_SUBSCRIBE)
        );
    }

    #[tokio::test]
    async fn claims_are_fair_across_merchants() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let busy = env.merchant("Busy").await;
        let quiet = env.merchant("Quiet").await;
        for n in 0..10 {
            env.consent(&busy, &format!("+1415555{:04}", n)).await;
        }
        let quiet_consents = [
            env.consent(&quiet, "+14155559001").await,
            env.consent(&quiet, "+14155559002").await,
        ];
        // Eight slots, at most four per merchant and two of them customer steps: the quiet
        // store's two are not queued behind the busy store's ten.
        let jobs = claim_now(&env, "w1", 8).await;
        let quiet_claimed = jobs
            .iter()
            .filter(|j| quiet_consents.contains(&j.consent_id))
            .count();
        assert_eq!((jobs.len(), quiet_claimed), (4, 2));
        // The busy store's held claims count against it, by any worker.
        assert!(claim_now(&env, "w2", 8).await.is_empty());
    }

    #[tokio::test]
    async fn a_due_opt_in_is_claimed_beside_held_customer_steps() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let busy = env.merchant("Busy").await;
        for n in 0..10 {
            env.consent(&busy, &format!("+1415555{:04}", n)).await;
        }
        // Two customer steps held (half the store's four); eight more wait.
        let held = claim_now(&env, "w1", 8).await;
        assert_eq!(held.len(), 2);
        assert!(held.iter().all(|j| j.step == STEP_CUSTOMER));
        // One finishes; its opt-in falls due while the other is still held.
        assert!(
            complete_customer_step(&env.state.db, &held[0], env.now_ms(), DELAY)
                .await
                .unwrap()
        );
        env.advance_ms(DELAY);
        let next = claim_now(&env, "w2", 8).await;
        let mut steps: Vec<&str> = next.iter().map(|j| j.step.as_str()).collect();
        steps.sort();
        // The opt-in, and only one more customer step: two held at most.
        assert_eq!(steps, [STEP_SUBSCRIBE, STEP_CUSTOMER], "{next:?}");
    }

    #[tokio::test]
    async fn shutdown_hands_claims_back_uncounted() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.merchant("Acme").await;
        let consent = env.consent(&merchant, "+14155550100").await;
        claim_now(&env, "w1", 10).await;
        assert_eq!(release(&env.state.db, "w1", env.now_ms()).await.unwrap(), 1);
        let row = env.job(&consent, STEP_CUSTOMER).await;
        assert_eq!((row.attempts, row.locked_by), (0, None));
        assert_eq!(
            claim_now(&env, "w2", 10).await.len(),
            1,
            "at once, not after the lease"
        );
    }
}
