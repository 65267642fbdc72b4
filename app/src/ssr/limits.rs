//! Rate limits on what attackers hammer: consent submissions (SMS pumping: bots entering
//! numbers so the welcome texts cost the merchant), sign-ins (password guessing), and the
//! settings actions that call the provider. Counted in the database, in fixed windows, so a
//! limit holds across every instance sharing it (PostgreSQL) as it does for one (SQLite).
//! Keys are hashed: a count never stores an address, phone or email.
//!
//! Client addresses count by network: an IPv4 address alone, an IPv6 address by its /64 (one
//! subscriber's allocation; an attacker has the whole /64).

use super::Db;
use anyhow::Context;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::time::Duration;

/// At most `max` hits per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window: Duration,
}

impl Limit {
    pub const fn per(max: i64, window: Duration) -> Self {
        Self { max, window }
    }
}

/// Every limit, in one place (tests build their own).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Consent submissions from one network: a household or an office shares an address.
    pub consent_per_network: Limit,
    /// New consents for one phone.
    pub consent_per_phone: Limit,
    pub sign_in_per_network: Limit,
    pub sign_in_per_email: Limit,
    /// "Test connection", saving the connection, listing forms: each calls the provider with
    /// the merchant's credentials and spends their provider budget.
    pub provider_checks_per_merchant: Limit,
    /// Order look-ups from one network (guessing order numbers and emails).
    pub lookup_per_network: Limit,
    /// Look-ups of one order number of one store, whoever asks (guessing its email or
    /// postcode from many addresses).
    pub lookup_per_order: Limit,
}

const HOUR: Duration = Duration::from_secs(3600);
const MINUTE: Duration = Duration::from_secs(60);

impl Default for Limits {
    fn default() -> Self {
        Self {
            consent_per_network: Limit::per(10, HOUR),
            consent_per_phone: Limit::per(3, HOUR),
            sign_in_per_network: Limit::per(20, 10 * MINUTE),
            sign_in_per_email: Limit::per(5, 15 * MINUTE),
            provider_checks_per_merchant: Limit::per(20, 10 * MINUTE),
            lookup_per_network: Limit::per(30, HOUR),
            lookup_per_order: Limit::per(10, HOUR),
        }
    }
}

/// What a client address counts as: itself (IPv4), or its /64 (IPv6; an IPv4-mapped IPv6
/// address is the IPv4 address).
pub fn network(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Counts one hit of `key` against `limit` (named `name`); false when it is over.
pub async fn hit(
    db: &Db,
    name: &str,
    key: &str,
    limit: Limit,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let window_ms = (limit.window.as_millis() as i64).max(1);
    let window_start = now_ms.div_euclid(window_ms) * window_ms;
    let bucket = format!(
        "{name}:{}",
        hex::encode(Sha256::digest(format!("{name}\n{key}").as_bytes()))
    );
    let hits: i64 = sqlx::query_scalar(
        "INSERT INTO rate_counts (bucket, window_start_ms, window_end_ms, hits)
         VALUES ($1, $2, $3, 1)
         ON CONFLICT (bucket, window_start_ms) DO UPDATE SET hits = rate_counts.hits + 1
         RETURNING hits",
    )
    .bind(&bucket)
    .bind(window_start)
    .bind(window_start + window_ms)
    .fetch_one(db.pool())
    .await
    .context("counting a rate-limited request")?;
    Ok(hits <= limit.max)
}

/// Removes counts whose window has ended (run now and then).
pub async fn prune(db: &Db, now_ms: i64) -> anyhow::Result<u64> {
    let done = sqlx::query("DELETE FROM rate_counts WHERE window_end_ms <= $1")
        .bind(now_ms)
        .execute(db.pool())
        .await
        .context("pruning rate counts")?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::testing::{Backend, TestEnv};

    #[test]
    fn addresses_count_by_network() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(network(ip("203.0.113.7")), "203.0.113.7");
        assert_eq!(
            network(ip("2001:db8:1:2:aaaa::1")),
            network(ip("2001:db8:1:2:ffff::9")),
            "one /64"
        );
        assert_ne!(
            network(ip("2001:db8:1:2::1")),
            network(ip("2001:db8:1:3::1"))
        );
        assert_eq!(network(ip("::ffff:203.0.113.7")), "203.0.113.7");
    }

    #[tokio::test]
    async fn a_limit_counts_per_key_and_window_and_prunes_what_ended() {
        let env = TestEnv::new(Backend::Sqlite).await;
        let db = &env.state.db;
        let limit = Limit::per(2, Duration::from_secs(60));
        let now = env.now_ms() - env.now_ms() % 60_000;
        let phone = "+14155552671";
        assert!(hit(db, "t", phone, limit, now).await.unwrap());
        assert!(hit(db, "t", phone, limit, now + 1).await.unwrap());
        assert!(
            !hit(db, "t", phone, limit, now + 2).await.unwrap(),
            "third in the window"
        );
        assert!(
            hit(db, "t", "b", limit, now + 3).await.unwrap(),
            "another key"
        );
        assert!(
            hit(db, "u", phone, limit, now + 4).await.unwrap(),
            "another limit"
        );
        assert!(
            hit(db, "t", phone, limit, now + 60_000).await.unwrap(),
            "the next window"
        );
        assert_eq!(prune(db, now + 60_000).await.unwrap(), 3);
        let stored: Vec<String> = sqlx::query_scalar("SELECT bucket FROM rate_counts")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].contains("4155552671"), "keys are hashed");
    }
}
