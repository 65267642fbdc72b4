//! The Klaviyo sandbox's time: the real time plus an offset that tests move forward
//! ([`KlaviyoSandbox::advance`](super::KlaviyoSandbox::advance)), optionally frozen so that
//! only `advance` moves it. Rate-limit windows, subscribe delays, timestamps and the request
//! log all read this clock, so no test ever sleeps. Also Klaviyo's datetime text, both ways.

use std::time::{Duration, SystemTime, UNIX_EPOCH};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

#[derive(Debug, Default)]
pub(super) struct Clock {
    offset_ms: i64,
    /// The real time at which the clock was frozen.
    frozen_at: Option<i64>,
}

impl Clock {
    /// Unix time in milliseconds, as the sandbox sees it.
    pub(super) fn now_ms(&self) -> i64 {
        self.frozen_at.unwrap_or_else(real_ms) + self.offset_ms
    }

    pub(super) fn advance(&mut self, by: Duration) {
        self.offset_ms = self
            .offset_ms
            .saturating_add(i64::try_from(by.as_millis()).unwrap_or(i64::MAX));
    }

    /// Frozen, the clock moves only when advanced; thawed, it runs on from where it stood.
    pub(super) fn freeze(&mut self, frozen: bool) {
        let now = self.now_ms();
        let real = real_ms();
        self.frozen_at = frozen.then_some(real);
        self.offset_ms = now - real;
    }
}

fn real_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Klaviyo's datetime text: `2026-08-01T12:00:00+00:00` (UTC, whole seconds).
pub(super) fn iso(ms: i64) -> String {
    let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    at.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]+00:00"
    ))
    .unwrap_or_default()
}

/// A datetime a client sent: RFC 3339 (`2026-08-01T12:00:00Z`, any offset, fractions),
/// or without an offset (read as UTC), or a bare date (midnight UTC). Unix milliseconds.
pub(super) fn parse_datetime(text: &str) -> Option<i64> {
    let at = OffsetDateTime::parse(text, &Rfc3339)
        .ok()
        .or_else(|| {
            PrimitiveDateTime::parse(
                text,
                format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
            )
            .ok()
            .map(PrimitiveDateTime::assume_utc)
        })
        .or_else(|| {
            time::Date::parse(text, format_description!("[year]-[month]-[day]"))
                .ok()
                .map(|d| d.midnight().assume_utc())
        })?;
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
}

/// A bare calendar date (`YYYY-MM-DD`), as `age_gated_date_of_birth` takes.
pub(super) fn is_date(text: &str) -> bool {
    time::Date::parse(text, format_description!("[year]-[month]-[day]")).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_round_trip_in_klaviyos_form() {
        let ms = parse_datetime("2026-08-01T12:00:00Z").unwrap();
        assert_eq!(iso(ms), "2026-08-01T12:00:00+00:00");
        assert_eq!(
            parse_datetime("2026-08-01T14:00:00.750+02:00"),
            Some(ms + 750)
        );
        assert_eq!(parse_datetime("2026-08-01T12:00:00"), Some(ms));
        assert_eq!(parse_datetime("2026-08-01"), Some(ms - 12 * 3_600_000));
        for bad in ["", "yesterday", "2026-13-01", "1690000000"] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_frozen_clock_moves_only_when_advanced() {
        let mut clock = Clock::default();
        clock.freeze(true);
        let t0 = clock.now_ms();
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(clock.now_ms(), t0);
        clock.advance(Duration::from_secs(61));
        assert_eq!(clock.now_ms(), t0 + 61_000);
        clock.freeze(false);
        assert!(clock.now_ms() >= t0 + 61_000);
    }
}
