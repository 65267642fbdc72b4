//! Whether the worker that holds a claim is still alive, so a killed process's claims are
//! taken over at once instead of when their leases run out.
//!
//! On PostgreSQL each worker holds a session advisory lock named after its ID, on a
//! connection of its own, for as long as it lives. A process that dies (even by SIGKILL)
//! closes that connection, and PostgreSQL lets go of the lock. Every heartbeat, each worker
//! ends the leases of claims whose worker's lock is free ([`take_over_dead`]): those jobs are
//! due again within a heartbeat of the kill, not a lease later. A worker claims nothing while
//! it does not hold its own lock (others would take its claims), and the lease stays the
//! backstop: a worker that is alive but cut off loses its claims when they run out, as
//! before.
//!
//! SQLite runs one instance: there the lease alone decides.

use super::queue::JOB_TABLES;
use crate::ssr::db::Backend;
use crate::ssr::Db;
use anyhow::Context;
use sqlx::AnyConnection;
use sqlx::Connection;
use std::time::Duration;

/// A worker's hold on its liveness lock.
pub struct Liveness {
    db: Db,
    worker: String,
    /// The connection that holds the lock (PostgreSQL), while it does.
    conn: Option<AnyConnection>,
    /// Tries in a row that found the lock held by an earlier connection.
    refused: u32,
}

/// Tries in a row (one a heartbeat) before the earlier connection that still holds this
/// worker's lock is ended.
const END_STALE_HOLDER_AFTER: u32 = 25;

impl Liveness {
    pub fn new(db: Db, worker: &str) -> Self {
        Self {
            db,
            worker: worker.to_owned(),
            conn: None,
            refused: 0,
        }
    }

    /// Whether this worker holds its lock (always, on SQLite).
    #[cfg(test)]
    pub fn held(&self) -> bool {
        self.db.backend() == Backend::Sqlite || self.conn.is_some()
    }

    /// Makes sure the lock is held: checks the connection that holds it, or takes it again.
    /// Waits at most `within`. Returns whether it is held.
    pub async fn keep(&mut self, within: Duration) -> bool {
        if self.db.backend() == Backend::Sqlite {
            return true;
        }
        let kept = tokio::time::timeout(within, self.check_or_take()).await;
        match kept {
            Ok(Ok(())) => true,
            Ok(Err(e)) => {
                tracing::warn!(
                    error = format!("{e:#}"),
                    "the worker's liveness lock is not held; not claiming"
                );
                self.conn = None;
                false
            }
            Err(_) => {
                tracing::warn!("the worker's liveness lock did not answer in time; not claiming");
                self.conn = None;
                false
            }
        }
    }

    async fn check_or_take(&mut self) -> anyhow::Result<()> {
        if let Some(conn) = self.conn.as_mut() {
            return sqlx::query("SELECT 1")
                .execute(&mut *conn)
                .await
                .map(drop)
                .context("checking the liveness lock's connection");
        }
        let mut conn = self
            .db
            .pool()
            .acquire()
            .await
            .context("a connection for the liveness lock")?
            .detach();
        let taken: bool =
            sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtextextended($1, 0))")
                .bind(&self.worker)
                .fetch_one(&mut conn)
                .await
                .context("taking the liveness lock")?;
        if !taken {
            // Only an earlier connection of this worker that the database has not yet seen
            // close can hold it (a cut network leaves it open until TCP gives up, hours by
            // default): after a while, that connection is ended; then the next beat takes it.
            self.refused += 1;
            if self.refused >= END_STALE_HOLDER_AFTER {
                self.refused = 0;
                let ended = sqlx::query(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks
                     WHERE locktype = 'advisory' AND granted AND objsubid = 1
                       AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)",
                )
                .bind(&self.worker)
                .execute(&mut conn)
                .await;
                tracing::warn!(
                    ended = ended.is_ok(),
                    "ended the stale connection that held this worker's liveness lock"
                );
            }
            let _ = conn.close().await;
            anyhow::bail!("the liveness lock is still held by an earlier connection");
        }
        self.refused = 0;
        self.conn = Some(conn);
        Ok(())
    }
}

/// Ends the leases of queued jobs claimed by workers that are no longer alive (their
/// liveness lock is free), so any worker claims them now; returns how many. On SQLite, none.
pub async fn take_over_dead(db: &Db, worker: &str, now_ms: i64) -> anyhow::Result<u64> {
    if db.backend() == Backend::Sqlite {
        return Ok(0);
    }
    let mut taken = 0;
    for table in JOB_TABLES {
        // `pg_try_advisory_xact_lock` succeeds only if no session holds the worker's lock, and
        // lets go at the end of this statement. Only claimed jobs are looked at (the index
        // `*_claimed` on state and lease): queued ones whose lease still runs.
        taken += sqlx::query(&format!(
            "UPDATE {table} SET locked_until_ms = $1 - 1
             WHERE state = 'queued' AND locked_until_ms >= $1 AND locked_by <> $2
               AND pg_try_advisory_xact_lock(hashtextextended(locked_by, 0))"
        ))
        .bind(now_ms)
        .bind(worker)
        .execute(db.pool())
        .await
        .context("taking over the claims of dead workers")?
        .rows_affected();
    }
    Ok(taken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::jobs::queue;
    use crate::ssr::testing::{Backend, TestEnv};

    const LEASE: i64 = 120_000;
    const WITHIN: Duration = Duration::from_secs(5);

    #[tokio::test]
    async fn a_dead_workers_claims_are_taken_over_at_once_and_a_live_ones_are_kept() {
        let env = TestEnv::new(Backend::Postgres).await;
        let merchant = env.merchant("Acme").await;
        env.consent(&merchant, "+14155550100").await;
        env.consent(&merchant, "+14155550101").await;
        let db = &env.state.db;
        let mut live = Liveness::new(db.clone(), "w-live");
        let mut dying = Liveness::new(db.clone(), "w-dying");
        let mut me = Liveness::new(db.clone(), "w-me");
        for l in [&mut live, &mut dying, &mut me] {
            assert!(l.keep(WITHIN).await && l.held());
        }
        let now = env.now_ms();
        let kept = queue::claim(db, "w-live", now, LEASE, 1, 4).await.unwrap();
        let lost = queue::claim(db, "w-dying", now, LEASE, 1, 4).await.unwrap();
        assert_eq!((kept.len(), lost.len()), (1, 1));
        assert_eq!(
            take_over_dead(db, "w-me", now).await.unwrap(),
            0,
            "both alive"
        );
        assert!(queue::claim(db, "w-me", now, LEASE, 10, 4)
            .await
            .unwrap()
            .is_empty());

        // The process dies: its connection closes, and with it the lock. Long before the
        // two-minute lease would run out, its claim is free.
        drop(dying);
        let mut taken = 0;
        for _ in 0..100 {
            taken = take_over_dead(db, "w-me", env.now_ms()).await.unwrap();
            if taken > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(taken, 1, "the dead worker's one claim");
        let again = queue::claim(db, "w-me", env.now_ms(), LEASE, 10, 4)
            .await
            .unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(
            (again[0].id.as_str(), again[0].fence),
            (lost[0].id.as_str(), 2)
        );
        // The live worker's claim is its own still, and its heartbeat renews it.
        let renewed = queue::renew(db, "w-live", env.now_ms(), LEASE)
            .await
            .unwrap();
        assert_eq!(renewed, [(kept[0].id.clone(), kept[0].fence)]);
    }

    #[tokio::test]
    async fn a_worker_whose_lock_another_connection_holds_does_not_claim() {
        let env = TestEnv::new(Backend::Postgres).await;
        let mut first = Liveness::new(env.state.db.clone(), "w1");
        assert!(first.keep(WITHIN).await);
        let mut second = Liveness::new(env.state.db.clone(), "w1");
        assert!(!second.keep(WITHIN).await && !second.held());
        // Once the first connection is gone, the lock is taken again.
        drop(first);
        let mut held = false;
        for _ in 0..100 {
            held = second.keep(WITHIN).await;
            if held {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(held && second.held());
    }

    #[tokio::test]
    async fn a_stale_connection_that_holds_the_lock_is_ended_after_a_while() {
        let env = TestEnv::new(Backend::Postgres).await;
        // An earlier connection of this worker that the database still thinks open.
        let mut stale = Liveness::new(env.state.db.clone(), "w1");
        assert!(stale.keep(WITHIN).await);
        let mut fresh = Liveness::new(env.state.db.clone(), "w1");
        for _ in 0..END_STALE_HOLDER_AFTER {
            assert!(!fresh.keep(WITHIN).await, "held by the stale connection");
        }
        let mut held = false;
        for _ in 0..100 {
            held = fresh.keep(WITHIN).await;
            if held {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(held, "the stale connection was ended and the lock taken");
        assert!(
            !stale.keep(WITHIN).await,
            "the stale one finds its connection gone"
        );
    }

    #[tokio::test]
    async fn sqlite_has_one_instance_and_leaves_it_to_the_lease() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let merchant = env.merchant("Acme").await;
        env.consent(&merchant, "+14155550100").await;
        let mut liveness = Liveness::new(env.state.db.clone(), "w1");
        assert!(liveness.keep(WITHIN).await && liveness.held());
        let db = &env.state.db;
        assert_eq!(
            queue::claim(db, "w-gone", env.now_ms(), LEASE, 1, 4)
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(take_over_dead(db, "w1", env.now_ms()).await.unwrap(), 0);
    }
}
