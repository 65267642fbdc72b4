//! How fast Tracklight may call a provider, per key (a merchant's connection; the client
//! also gives page views' look-ups a gate of their own before the connection's, so they never
//! queue ahead of a due opt-in): calls are spaced evenly, and a 429 pauses every caller for
//! the wait the provider asked for. Two kinds:
//!
//! - [`LocalBudget`]: in this process only (a client used on its own, tests).
//! - [`SharedBudget`]: in the database, so every instance sharing it keeps to one budget
//!   together: each call reserves the next free slot with one write, and waits for it.
//!
//! A call leaves in its slot or not at all: one that leaves late (a busy machine, or the
//! write mark made after the turn) would go out together with the next slot's caller, and
//! the provider counts both in one window. [`turn_then`] takes a new turn for it (every
//! caller goes through it: a turn alone says when its slot was, not whether it was kept).
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
    fn turn<'a>(&'a self, key: &'a str, per_second: NonZeroU32) -> BoxFuture<'a, Turn>;
    /// Nobody calls under `key` for `wait` (the provider answered 429).
    fn pause<'a>(&'a self, key: &'a str, wait: Duration) -> BoxFuture<'a, ()>;
}

fn spacing(per_second: NonZeroU32) -> Duration {
    Duration::from_secs(1) / per_second.get()
}

/// A call's slot: when it starts (Unix ms) and how late the call may still leave in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn {
    slot_ms: i64,
    late_after_ms: i64,
}

impl Turn {
    fn new(slot_ms: i64, per_second: NonZeroU32) -> Self {
        // Half a spacing: the other half is left for the call's way to the provider, so
        // no window of a second counts more calls than the spacing allows, plus one.
        Self {
            slot_ms,
            late_after_ms: (spacing(per_second).as_millis() as i64 / 2).max(1),
        }
    }

    /// Whether a call leaving at `now_ms` still leaves in this slot.
    fn on_time_at(&self, now_ms: i64) -> bool {
        now_ms - self.slot_ms < self.late_after_ms
    }

    /// Whether a call leaving now still leaves in this slot.
    pub fn on_time(&self) -> bool {
        self.on_time_at(unix_ms())
    }
}

/// How many new turns a late call takes before it goes anyway (a machine so busy that every
/// turn comes late would otherwise never call: a 429 then pauses everyone, which is safe).
/// Each turn is one reserved slot, so a call spends at most `RETAKES + 1` of them.
const RETAKES: usize = 3;

/// Waits for `key`'s turn, runs `before` (e.g. marking a write as leaving, one database
/// write) and, if the call is then late for its slot, takes a new turn and runs `before`
/// again, so what `before` records is always made right before the call leaves. An `Err`
/// from `before` is returned at once: the call must not leave.
pub async fn turn_then<E, F>(
    budget: &dyn CallBudget,
    key: &str,
    per_second: NonZeroU32,
    mut before: impl FnMut() -> F,
) -> Result<(), E>
where
    F: std::future::Future<Output = Result<(), E>>,
{
    for _ in 0..=RETAKES {
        let turn = budget.turn(key, per_second).await;
        before().await?;
        if turn.on_time() {
            break;
        }
    }
    Ok(())
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
    fn turn<'a>(&'a self, key: &'a str, per_second: NonZeroU32) -> BoxFuture<'a, Turn> {
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
                    _ => return Turn::new(unix_ms(), per_second),
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
    fn turn<'a>(&'a self, key: &'a str, per_second: NonZeroU32) -> BoxFuture<'a, Turn> {
        async move {
            let spacing_ms = spacing(per_second).as_millis() as i64;
            let now = unix_ms();
            let slot = match self.reserve(key, spacing_ms, now).await {
                Ok(slot) => slot,
                // The database is down: wait one slot, as the spacing would.
                Err(e) => {
                    tracing::warn!(error = format!("{e:#}"), "provider budget unavailable");
                    tokio::time::sleep(Duration::from_millis(spacing_ms as u64)).await;
                    return Turn::new(unix_ms(), per_second);
                }
            };
            if slot > now {
                tokio::time::sleep(Duration::from_millis((slot - now) as u64)).await;
            }
            Turn::new(slot, per_second)
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

    #[test]
    fn a_call_leaves_in_the_first_half_of_its_slot() {
        let four = NonZeroU32::new(4).unwrap();
        let turn = Turn::new(1_000, four);
        assert!(turn.on_time_at(1_000));
        assert!(turn.on_time_at(1_124));
        assert!(!turn.on_time_at(1_125), "half of the 250 ms spacing");
        assert!(
            !turn.on_time_at(1_249),
            "would go out with the next slot's call"
        );
    }

    async fn next_slot(env: &TestEnv, key: &str) -> i64 {
        sqlx::query_scalar("SELECT next_ms FROM call_budgets WHERE budget_key = $1")
            .bind(key)
            .fetch_one(env.state.db.pool())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_call_made_late_by_its_preparation_takes_a_new_turn() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let budget = SharedBudget::new(env.state.db.clone());
        let four = NonZeroU32::new(4).unwrap();
        let start = unix_ms();
        // The write mark took longer than half a slot: the call must not leave in the
        // slot it was given (the next slot's caller is about to leave).
        let mut marks = 0;
        turn_then(&budget, "yotpo:a", four, || {
            marks += 1;
            let late = marks == 1;
            async move {
                if late {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                Ok::<_, ()>(())
            }
        })
        .await
        .unwrap();
        assert_eq!(marks, 2, "marked again right before it left");
        let after_late = next_slot(&env, "yotpo:a").await;
        assert!(
            after_late >= start + 300 + 250,
            "a second slot, reserved after the preparation: {} ms past the start",
            after_late - start
        );

        // A preparation that refuses stops the call and takes no new turn.
        let refused = turn_then(&budget, "yotpo:b", four, || async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            Err::<(), _>("claim lost")
        })
        .await;
        assert_eq!(refused, Err("claim lost"));
        let only_slot = next_slot(&env, "yotpo:b").await;
        assert!(
            only_slot <= unix_ms() - 50,
            "one slot only, reserved before the preparation"
        );
    }
}
