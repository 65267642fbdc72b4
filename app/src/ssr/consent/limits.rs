//! Rate limits on consent submissions, against SMS pumping (bots entering premium numbers so
//! the welcome text costs the merchant): per client IP and per phone number. Kept in memory
//! per instance: with several instances the limits are per instance, which still bounds an
//! attack to a small multiple.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

pub struct ConsentLimits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_phone: DefaultKeyedRateLimiter<String>,
}

/// How many submissions each key may make: a burst, refilled one at a time.
#[derive(Debug, Clone, Copy)]
pub struct LimitConfig {
    pub ip_burst: u32,
    pub ip_refill: Duration,
    pub phone_burst: u32,
    pub phone_refill: Duration,
}

impl Default for LimitConfig {
    fn default() -> Self {
        Self {
            // 10 at once from one address (a household or office behind one IP), then one
            // every 6 minutes.
            ip_burst: 10,
            ip_refill: Duration::from_secs(360),
            // 3 for one phone, then one an hour.
            phone_burst: 3,
            phone_refill: Duration::from_secs(3600),
        }
    }
}

fn quota(burst: u32, refill: Duration) -> Quota {
    Quota::with_period(refill)
        .expect("non-zero refill period")
        .allow_burst(NonZeroU32::new(burst.max(1)).expect("non-zero"))
}

impl ConsentLimits {
    pub fn new(config: LimitConfig) -> Self {
        Self {
            per_ip: RateLimiter::keyed(quota(config.ip_burst, config.ip_refill)),
            per_phone: RateLimiter::keyed(quota(config.phone_burst, config.phone_refill)),
        }
    }

    /// Counts one submission from `ip`; false when over the limit.
    pub fn allow_ip(&self, ip: IpAddr) -> bool {
        self.per_ip.check_key(&ip).is_ok()
    }

    /// Counts one submission for `phone` (E.164); false when over the limit.
    pub fn allow_phone(&self, phone: &str) -> bool {
        self.per_phone.check_key(&phone.to_owned()).is_ok()
    }
}

impl Default for ConsentLimits {
    fn default() -> Self {
        Self::new(LimitConfig::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_refuses() {
        let limits = ConsentLimits::new(LimitConfig {
            ip_burst: 2,
            ip_refill: Duration::from_secs(3600),
            phone_burst: 1,
            phone_refill: Duration::from_secs(3600),
        });
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        assert!(limits.allow_ip(ip));
        assert!(limits.allow_ip(ip));
        assert!(!limits.allow_ip(ip));
        assert!(
            limits.allow_ip("203.0.113.8".parse().unwrap()),
            "per address"
        );
        assert!(limits.allow_phone("+14155552671"));
        assert!(!limits.allow_phone("+14155552671"));
        assert!(limits.allow_phone("+14155552672"));
    }
}
