//! Rate limits on what attackers hammer, per client IP and per target: consent submissions
//! (SMS pumping: bots entering numbers so the welcome texts cost the merchant; the target is
//! the phone) and sign-ins (password guessing; the target is the email). Kept in memory per
//! instance: with several instances the limits are per instance, which still bounds an
//! attack to a small multiple.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

pub struct RequestLimits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_target: DefaultKeyedRateLimiter<String>,
}

/// How many requests each key may make: a burst, refilled one at a time.
#[derive(Debug, Clone, Copy)]
pub struct LimitConfig {
    pub ip_burst: u32,
    pub ip_refill: Duration,
    pub target_burst: u32,
    pub target_refill: Duration,
}

impl LimitConfig {
    /// Consent submissions: 10 at once from one address (a household or office behind one
    /// IP), then one every 6 minutes; 3 for one phone, then one an hour.
    pub fn consent() -> Self {
        Self {
            ip_burst: 10,
            ip_refill: Duration::from_secs(360),
            target_burst: 3,
            target_refill: Duration::from_secs(3600),
        }
    }

    /// Sign-in attempts: 20 from one address, then one a minute; 5 for one email, then one
    /// every 5 minutes.
    pub fn sign_in() -> Self {
        Self {
            ip_burst: 20,
            ip_refill: Duration::from_secs(60),
            target_burst: 5,
            target_refill: Duration::from_secs(300),
        }
    }
}

fn quota(burst: u32, refill: Duration) -> Quota {
    Quota::with_period(refill)
        .expect("non-zero refill period")
        .allow_burst(NonZeroU32::new(burst.max(1)).expect("non-zero"))
}

impl RequestLimits {
    pub fn new(config: LimitConfig) -> Self {
        Self {
            per_ip: RateLimiter::keyed(quota(config.ip_burst, config.ip_refill)),
            per_target: RateLimiter::keyed(quota(config.target_burst, config.target_refill)),
        }
    }

    /// Counts one request from `ip`; false when over the limit.
    pub fn allow_ip(&self, ip: IpAddr) -> bool {
        self.per_ip.check_key(&ip).is_ok()
    }

    /// Counts one request for `target` (a phone, an email); false when over the limit.
    pub fn allow_target(&self, target: &str) -> bool {
        self.per_target.check_key(&target.to_owned()).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_refuses() {
        let limits = RequestLimits::new(LimitConfig {
            ip_burst: 2,
            ip_refill: Duration::from_secs(3600),
            target_burst: 1,
            target_refill: Duration::from_secs(3600),
        });
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        assert!(limits.allow_ip(ip));
        assert!(limits.allow_ip(ip));
        assert!(!limits.allow_ip(ip));
        assert!(
            limits.allow_ip("203.0.113.8".parse().unwrap()),
            "per address"
        );
        assert!(limits.allow_target("+14155552671"));
        assert!(!limits.allow_target("+14155552671"));
        assert!(limits.allow_target("+14155552672"));
    }
}
