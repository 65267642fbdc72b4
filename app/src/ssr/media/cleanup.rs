//! Files that are to go, kept in the database (`media_deletions`) so that none outlives a
//! crash: a new upload's files are listed before they are stored and struck off in the
//! transaction that records their submission; a rejected or erased submission's are listed
//! in the transaction that decides it, then deleted. Housekeeping ([`sweep`]) deletes what
//! is still listed an hour later.

use crate::ssr::{AppState, Db};
use anyhow::Context;
use sqlx::{Any, Transaction};

/// How long a listed file may wait before housekeeping deletes it: longer than any upload.
pub const GRACE_MS: i64 = 60 * 60 * 1000;

/// Lists `keys` to go (in `tx`, or on their own with [`plan_now`]).
pub async fn plan(
    tx: &mut Transaction<'_, Any>,
    keys: &[String],
    now_ms: i64,
) -> anyhow::Result<()> {
    for key in keys {
        sqlx::query(
            "INSERT INTO media_deletions (key, created_at_ms) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
        )
        .bind(key)
        .bind(now_ms)
        .execute(&mut **tx)
        .await
        .context("listing a file to delete")?;
    }
    Ok(())
}

/// [`plan`] in a transaction of its own.
pub async fn plan_now(db: &Db, keys: &[String], now_ms: i64) -> anyhow::Result<()> {
    let mut tx = db.pool().begin().await?;
    plan(&mut tx, keys, now_ms).await?;
    tx.commit().await.context("listing files to delete")
}

/// Strikes `keys` off the list: they are wanted after all (a recorded upload's).
pub async fn keep(tx: &mut Transaction<'_, Any>, keys: &[String]) -> anyhow::Result<()> {
    for key in keys {
        sqlx::query("DELETE FROM media_deletions WHERE key = $1")
            .bind(key)
            .execute(&mut **tx)
            .await
            .context("keeping a listed file")?;
    }
    Ok(())
}

/// Deletes the listed `keys`' files, and their rows once the files are gone; a failure is
/// left listed for the next sweep. Returns how many were deleted.
pub async fn carry_out(state: &AppState, keys: &[String]) -> usize {
    let mut deleted = 0;
    for key in keys {
        if let Err(e) = state.media.store.delete(key).await {
            tracing::warn!(error = format!("{e:#}"), "a listed file not deleted yet");
            continue;
        }
        match sqlx::query("DELETE FROM media_deletions WHERE key = $1")
            .bind(key)
            .execute(state.db.pool())
            .await
        {
            Ok(_) => deleted += 1,
            Err(e) => tracing::warn!(error = %e, "a deleted file's listing not removed"),
        }
    }
    deleted
}

/// Deletes the files listed for longer than [`GRACE_MS`] (a crash between listing and
/// deleting, or an upload that never finished). Returns how many.
pub async fn sweep(state: &AppState, now_ms: i64) -> anyhow::Result<usize> {
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT key FROM media_deletions WHERE created_at_ms < $1
         ORDER BY created_at_ms LIMIT 500",
    )
    .bind(now_ms - GRACE_MS)
    .fetch_all(state.db.pool())
    .await
    .context("reading the files to delete")?;
    Ok(carry_out(state, &keys).await)
}
