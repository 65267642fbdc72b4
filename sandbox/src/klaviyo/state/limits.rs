//! Rate limits: the limits of an endpoint (`KlaviyoLimits`), the two fixed windows each
//! account has per endpoint (1 s burst, 60 s steady, each starting at its first request),
//! admitting a request against them or refusing it with its `Retry-After`, and the
//! `RateLimit-*` values an answer carries.

use super::State;
use serde::{Deserialize, Serialize};

/// Requests allowed per window, for every endpoint (0 turns a window off).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KlaviyoLimits {
    /// Per second.
    pub burst: u32,
    /// Per minute.
    pub steady: u32,
}
/// Rate-limit counters of one endpoint of one account: two fixed windows, each starting
/// at its first request.
#[derive(Default)]
pub(super) struct Windows {
    burst: Window,
    steady: Window,
}

#[derive(Default)]
struct Window {
    start_ms: i64,
    count: u32,
}

const BURST_MS: i64 = 1_000;
const STEADY_MS: i64 = 60_000;

impl Window {
    fn roll(&mut self, now: i64, len: i64) {
        if self.count == 0 || now >= self.start_ms + len {
            self.start_ms = now;
            self.count = 0;
        }
    }

    /// Whole seconds (at least 1) until the window ends.
    fn reset_secs(&self, now: i64, len: i64) -> u64 {
        let left = (self.start_ms + len - now).max(1);
        (left as u64).div_ceil(1000)
    }
}

/// The `RateLimit-*` headers' values, for the steady window.
#[derive(Debug, Clone, Copy)]
pub(in crate::klaviyo) struct RateHeaders {
    pub limit: u32,
    pub remaining: u32,
    pub reset_secs: u64,
}

pub(in crate::klaviyo) enum Admission {
    Admitted(Option<RateHeaders>),
    Throttled { retry_after: u64 },
}
impl State {
    /// Counts a request against its endpoint's windows, or refuses it.
    pub(in crate::klaviyo) fn admit(
        &mut self,
        account: &str,
        endpoint: &'static str,
        limits: KlaviyoLimits,
    ) -> Admission {
        let now = self.now_ms();
        let limits = self.faults.limits.unwrap_or(limits);
        let w = self
            .windows
            .entry((account.to_owned(), endpoint))
            .or_default();
        w.burst.roll(now, BURST_MS);
        w.steady.roll(now, STEADY_MS);
        let mut retry_after = 0;
        if limits.burst > 0 && w.burst.count >= limits.burst {
            retry_after = w.burst.reset_secs(now, BURST_MS);
        }
        if limits.steady > 0 && w.steady.count >= limits.steady {
            retry_after = retry_after.max(w.steady.reset_secs(now, STEADY_MS));
        }
        if retry_after > 0 {
            return Admission::Throttled { retry_after };
        }
        w.burst.count += 1;
        w.steady.count += 1;
        Admission::Admitted(headers(w, limits, now))
    }

    /// The headers for an answer given before the request was counted.
    pub(in crate::klaviyo) fn peek(
        &mut self,
        account: &str,
        endpoint: &'static str,
        limits: KlaviyoLimits,
    ) -> Option<RateHeaders> {
        let now = self.now_ms();
        let limits = self.faults.limits.unwrap_or(limits);
        let w = self
            .windows
            .entry((account.to_owned(), endpoint))
            .or_default();
        w.steady.roll(now, STEADY_MS);
        headers(w, limits, now)
    }
}

fn headers(w: &Windows, limits: KlaviyoLimits, now: i64) -> Option<RateHeaders> {
    (limits.steady > 0).then(|| RateHeaders {
        limit: limits.steady,
        remaining: limits.steady.saturating_sub(w.steady.count),
        reset_secs: if w.steady.count == 0 {
            (STEADY_MS / 1000) as u64
        } else {
            w.steady.reset_secs(now, STEADY_MS)
        },
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Inner, KlaviyoFaults};
    use super::*;

    fn limits(burst: u32, steady: u32) -> KlaviyoLimits {
        KlaviyoLimits { burst, steady }
    }
    #[test]
    fn both_windows_limit_and_reset() {
        let mut state = Inner::new(KlaviyoFaults::default(), 10)
            .state
            .into_inner()
            .unwrap();
        state.clock.freeze(true);
        let admitted = |a: Admission| matches!(a, Admission::Admitted(_));
        assert!(admitted(state.admit("A", "e", limits(2, 3))));
        assert!(admitted(state.admit("A", "e", limits(2, 3))));
        assert!(matches!(
            state.admit("A", "e", limits(2, 3)),
            Admission::Throttled { retry_after: 1 }
        ));
        assert!(admitted(state.admit("B", "e", limits(2, 3))), "per account");
        assert!(
            admitted(state.admit("A", "f", limits(2, 3))),
            "per endpoint"
        );
        state.clock.advance(std::time::Duration::from_secs(1));
        assert!(admitted(state.admit("A", "e", limits(2, 3))));
        assert!(matches!(
            state.admit("A", "e", limits(2, 3)),
            Admission::Throttled { retry_after: 59 }
        ));
        state.clock.advance(std::time::Duration::from_secs(59));
        assert!(admitted(state.admit("A", "e", limits(2, 3))));
    }
}
