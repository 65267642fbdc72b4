//! How fast Tracklight may call a provider, per key (a merchant's connection; the client
//! also gives page views' look-ups a gate of their own before the connection's, so they never
//! queue ahead of a due opt-in): calls are spaced evenly, and a 429 pauses every caller for
//! the wait the provider asked for. Two kinds:
//!
//! - [`LocalBudget`]: in this process only (a client used on its own, tests).
//! - [`SharedBudget`]: in the database, so every instance sharing it keeps to one budget
//!   together: each call reserves the next free slot with one write, and waits for it.
//!
//! Provider limits are in real time, so budgets read the system clock, never the app's.

use super::Db;
use anyhow::Context;
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::time::Instant;

/// A provider's call budget, shared by every caller of one connection.
pub trait CallBudget: Send + Sync + 'static {
    /// Waits for the next turn of `key`, whose calls are spaced for `per_second`.
    fn turn<'a>(&'a self, key: &'a str, per_second: NonZeroU32) -> BoxFuture<'a, ()>;
    /// Nobody calls under `key` for `wait` (the provider answered 429).
    fn pause<'a>(&'a self, key: &'a str, wait: Duration) -> BoxFuture<'a, ()>;
}

fn spacing(per_second: NonZeroU32) -> Duration {
    Duration::from_secs(1) / per_second.get()
}

/// A budget in this process's memory.
#[derive(Default)]
pub struct LocalBudget {
    limiters: Mutex<HashMap<String, Arc<DefaultDirectRateLimiter>>>,
    paused_until: Mutex<HashMap<String, Instant>>,
}

impl LocalBudget {
    fn limiter(&self, key: &str, per_second: NonZeroU32) -> Arc<DefaultDirectRateLimiter> {
        self.limiters
            .lock()
            .expect("limiter map lock")
            .entry(key.to_owned())
            .or_insert_with(|| {
                // A burst of one: calls are spaced evenly, so no one-second window holds
                // more than `per_second` + 1 of them.
                let quota = Quota::with_period(spacing(per_second)).expect("a non-zero period");
                Arc::new(RateLimiter::direct(quota))
            })
            .clone()
    }
}

impl CallBudget for LocalBudget {
    fn turn<'a>(&'a self, key: &'a str, per_second: NonZeroU32) -> BoxFuture<'a, ()> {
        let limiter = self.limiter(key, per_second);
        async move {
            loop {
                limiter.until_ready().await;
                let until = self
                    .paused_until
                    .lock()
                    .expect("pause map lock")
                    .get(key)
                    .copied();
                match until {
                    Some(until) if until > Instant::now() => tokio::time::sleep_until(until).await,
                    _ => return,
                }
            }
        }
        .boxed()
    }

    fn pause<'a>(&'a self, key: &'a str, wait: Duration) -> BoxFuture<'a, ()> {
        let until = Instant::now() + wait;
        let mut paused = self.paused_until.lock().expect("pause map lock");
        paused.retain(|_, until| *until > Instant::now());
        let entry = paused.entry(key.to_owned()).or_insert(until);
        if *entry < until {
            *entry = until;
        }
        async {}.boxed()
    }
}

/// A budget in the database, shared by every instance.
pub struct SharedBudget {
    db: Db,
}

impl SharedBudget {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Reserves the next free slot for `key` (slots `spacing_ms` apart); returns when it
    /// starts (Unix ms).
    async fn reserve(&self, key: &str, spacing_ms: i64, now_ms: i64) -> anyhow::Result<i64> {
        // `next_ms` is when the next free slot starts: at least now, then one spacing on.
        let next: i64 = sqlx::query_scalar(
            "INSERT INTO call_budgets (budget_key, next_ms) VALUES ($1, $2 + $3)
             ON CONFLICT (budget_key) DO UPDATE SET next_ms =
                 CASE WHEN call_budgets.next_ms > $2 THEN call_budgets.next_ms + $3
                      ELSE $2 + $3 END
             RETURNING next_ms",
        )
        .bind(key)
        .bind(now_ms)
        .bind(spacing_ms)
        .fetch_one(self.db.pool())
        .await
        .context("reserving a provider call slot")?;
        Ok(next - spacing_ms)
    }
}

/// Now, by the system clock, in Unix ms (provider limits and tokens are in real time).
pub(crate) fn unix_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

impl CallBudget for SharedBudget {
    fn turn<'a>(&'a self, key: &'a str, per_second: NonZeroU32) -> BoxFuture<'a, ()> {
        async move {
            let spacing_ms = spacing(per_second).as_millis() as i64;
            // A caller that wakes a whole spacing after its slot (a busy machine) would go
            // out with the next slot's caller, two calls at once: it takes a new slot
            // instead (a few times at most, then it goes).
            for _ in 0..3 {
                let now = unix_ms();
                let slot = match self.reserve(key, spacing_ms, now).await {
                    Ok(slot) => slot,
                    // The database is down: wait one slot, as the spacing would.
                    Err(e) => {
                        tracing::warn!(error = format!("{e:#}"), "provider budget unavailable");
                        tokio::time::sleep(Duration::from_millis(spacing_ms as u64)).await;
                        return;
                    }
                };
                if slot > now {
                    tokio::time::sleep(Duration::from_millis((slot - now) as u64)).await;
                }
                if unix_ms() - slot < spacing_ms {
                    return;
                }
            }
        }
        .boxed()
    }

    fn pause<'a>(&'a self, key: &'a str, wait: Duration) -> BoxFuture<'a, ()> {
        async move {
            let until = unix_ms() + wait.as_millis() as i64;
            let paused = sqlx::query(
                "INSERT INTO call_budgets (budget_key, next_ms) VALUES ($1, $2)
                 ON CONFLICT (budget_key) DO UPDATE SET next_ms =
                     CASE WHEN call_budgets.next_ms < $2 THEN $2 ELSE call_budgets.next_ms END",
            )
            .bind(key)
            .bind(until)
            .execute(self.db.pool())
            .await;
            if let Err(e) = paused {
                tracing::warn!(error = %e, "could not share a provider's pause");
            }
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::testing::{Backend, TestEnv};

    #[tokio::test]
    async fn shared_slots_are_spaced_and_a_pause_moves_them_past_the_wait() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let budget = SharedBudget::new(env.state.db.clone());
        let now = 1_000_000;
        let mut slots = Vec::new();
        for _ in 0..3 {
            slots.push(budget.reserve("yotpo:a", 250, now).await.unwrap());
        }
        assert_eq!(slots, [now, now + 250, now + 500]);
        assert_eq!(
            budget.reserve("yotpo:b", 250, now).await.unwrap(),
            now,
            "per connection"
        );
        // Long after, the next call is not owed the slots nobody used.
        assert_eq!(
            budget.reserve("yotpo:a", 250, now + 10_000).await.unwrap(),
            now + 10_000
        );
        budget.pause("yotpo:a", Duration::from_secs(3_600)).await;
        let after_pause = budget.reserve("yotpo:a", 250, unix_ms()).await.unwrap();
        assert!(
            after_pause >= unix_ms() + 3_500_000,
            "the pause holds for every caller"
        );
    }
}
