//! The claim discipline of the job tables that hold one kind of work per row
//! (`event_jobs`, `loyalty_jobs`, `review_import_jobs`): a row is claimed until
//! `now + lease` with its fence raised, fair across merchants; only the claim with that fence
//! may record the outcome (done, again later, or failed with its reason); a merchant may queue
//! a failed row again. `queue` has the same discipline for a
//! consent's two steps, whose claim also reads the consent.

use crate::ssr::db::Backend;
use crate::ssr::Db;
use anyhow::Context;
use sqlx::any::AnyRow;

/// A table's due rows for `worker` until `now + lease`, at most `per_merchant` each, at
/// most `limit` in all; each row read as `returning` lists its columns.
#[allow(clippy::too_many_arguments)]
pub(super) async fn claim<T>(
    db: &Db,
    table: &str,
    returning: &str,
    worker: &str,
    now_ms: i64,
    lease_ms: i64,
    limit: i64,
    per_merchant: i64,
) -> anyhow::Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
{
    let skip_locked = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    // Ranked once, in a materialised CTE (see `queue::claim`).
    let sql = format!(
        "WITH due AS MATERIALIZED (
             SELECT id, run_at_ms, locked_until_ms,
                    ROW_NUMBER() OVER (
                        PARTITION BY merchant_id
                        ORDER BY CASE WHEN locked_until_ms >= $3 THEN 0 ELSE 1 END,
                                 run_at_ms, id
                    ) AS merchant_rank
             FROM {table}
             WHERE state = 'queued' AND run_at_ms <= $3
         ),
         picked AS MATERIALIZED (
             SELECT id FROM due
             WHERE merchant_rank <= $5
               AND (locked_until_ms IS NULL OR locked_until_ms < $3)
             ORDER BY run_at_ms, id
             LIMIT $4
         )
         UPDATE {table} SET locked_by = $1, locked_until_ms = $2, attempts = attempts + 1,
                            fence = fence + 1, updated_at_ms = $3
         WHERE id IN (
             SELECT id FROM {table}
             WHERE id IN (SELECT id FROM picked)
               AND state = 'queued' AND run_at_ms <= $3
               AND (locked_until_ms IS NULL OR locked_until_ms < $3){skip_locked})
         RETURNING {returning}"
    );
    sqlx::query_as(&sql)
        .bind(worker)
        .bind(now_ms + lease_ms)
        .bind(now_ms)
        .bind(limit)
        .bind(per_merchant)
        .fetch_all(db.pool())
        .await
        .with_context(|| format!("claiming due rows of {table}"))
}

/// Done, with `outcome` when the table keeps one; false when the claim was lost (nothing
/// changed).
pub(super) async fn complete(
    db: &Db,
    table: &str,
    id: &str,
    fence: i64,
    now_ms: i64,
    outcome: Option<&str>,
) -> anyhow::Result<bool> {
    let set_outcome = if outcome.is_some() {
        ", outcome = $4"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE {table} SET state = 'done', done_at_ms = $1, updated_at_ms = $1,
                            locked_by = NULL, locked_until_ms = NULL, last_error = NULL{set_outcome}
         WHERE id = $2 AND fence = $3 AND state = 'queued'"
    );
    let mut query = sqlx::query(&sql).bind(now_ms).bind(id).bind(fence);
    if let Some(outcome) = outcome {
        query = query.bind(outcome);
    }
    let done = query
        .execute(db.pool())
        .await
        .with_context(|| format!("recording a done row of {table}"))?;
    Ok(done.rows_affected() == 1)
}

/// Tries again at `run_at_ms`; a wait the provider asked for (429) is not an attempt.
#[allow(clippy::too_many_arguments)]
pub(super) async fn retry_later(
    db: &Db,
    table: &str,
    id: &str,
    fence: i64,
    now_ms: i64,
    run_at_ms: i64,
    error: &str,
    count_attempt: bool,
) -> anyhow::Result<()> {
    sqlx::query(&format!(
        "UPDATE {table} SET run_at_ms = $1, last_error = $2, locked_by = NULL,
                            locked_until_ms = NULL, updated_at_ms = $3,
                            attempts = attempts - $4, failures = failures + 1 - $4
         WHERE id = $5 AND fence = $6 AND state = 'queued'"
    ))
    .bind(run_at_ms)
    .bind(error)
    .bind(now_ms)
    .bind(i64::from(!count_attempt))
    .bind(id)
    .bind(fence)
    .execute(db.pool())
    .await
    .with_context(|| format!("rescheduling a row of {table}"))?;
    Ok(())
}

/// The dead letter: failed, with the reason the merchant will see.
pub(super) async fn fail(
    db: &Db,
    table: &str,
    id: &str,
    fence: i64,
    now_ms: i64,
    reason: &str,
) -> anyhow::Result<()> {
    sqlx::query(&format!(
        "UPDATE {table} SET state = 'failed', last_error = $1, locked_by = NULL,
                            locked_until_ms = NULL, updated_at_ms = $2
         WHERE id = $3 AND fence = $4 AND state = 'queued'"
    ))
    .bind(reason)
    .bind(now_ms)
    .bind(id)
    .bind(fence)
    .execute(db.pool())
    .await
    .with_context(|| format!("recording a failed row of {table}"))?;
    Ok(())
}

/// A merchant's retry of a failed row: queued again now with its attempts reset, found by
/// `column` (what the row is for: `consent_id`, `submission_id`); false when there is no
/// such failed row.
pub(super) async fn requeue_failed(
    db: &Db,
    table: &str,
    column: &str,
    merchant: &str,
    of: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(&format!(
        "UPDATE {table} SET state = 'queued', run_at_ms = $1, attempts = 0, failures = 0,
                            last_error = NULL, updated_at_ms = $1
         WHERE merchant_id = $2 AND {column} = $3 AND state = 'failed'"
    ))
    .bind(now_ms)
    .bind(merchant)
    .bind(of)
    .execute(db.pool())
    .await
    .with_context(|| format!("queuing a failed row of {table} again"))?;
    Ok(done.rows_affected() == 1)
}
