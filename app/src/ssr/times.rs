//! Stored times (Unix milliseconds, UTC) as text, formatted one way everywhere on the
//! server: the consent log, the CSV export, the REST API, page counts, the settings page.
//! (A checkpoint's local time on the tracking page is the shopper's business: `ssr::tracking`.)

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::OffsetDateTime;

/// The instant `ms` after the epoch; out-of-range values (never stored) read as the epoch.
pub fn at(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `2026-11-24T12:00:00.5Z`.
pub fn rfc3339(ms: i64) -> String {
    at(ms).format(&Rfc3339).unwrap_or_default()
}

/// `2026-11-24` (UTC).
pub fn utc_date(ms: i64) -> String {
    at(ms).date().to_string()
}

/// `2026-11-24 12:00` (UTC).
pub fn utc_minute(ms: i64) -> String {
    at(ms)
        .format(format_description!("[year]-[month]-[day] [hour]:[minute]"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_format_one_way() {
        let ms = 1_795_521_600_500; // 2026-11-24 12:00:00.5 UTC
        assert_eq!(rfc3339(ms), "2026-11-24T12:00:00.5Z");
        assert_eq!(utc_date(ms), "2026-11-24");
        assert_eq!(utc_minute(ms), "2026-11-24 12:00");
        assert_eq!(
            utc_date(-1),
            "1969-12-31",
            "before the epoch, floor not truncation"
        );
        assert_eq!(
            utc_date(i64::MAX),
            "1970-01-01",
            "out of range reads as the epoch"
        );
    }
}
