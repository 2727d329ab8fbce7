//! The engine's notion of "now", injectable so that tests can travel in time.

use std::sync::atomic::{AtomicI64, Ordering};
use time::OffsetDateTime;

/// A time as STS writes it, ISO 8601 in UTC to the second: `2026-11-28T12:00:00Z` (response
/// `Expiration`s, `aws:CurrentTime`, audit `eventTime`).
pub fn iso8601(t: OffsetDateTime) -> String {
    let mut out = String::with_capacity(20);
    push_iso8601(&mut out, t);
    out
}

/// A time the model keeps as text (RFC 3339: what [`iso8601`] writes, or a configured date with
/// an offset); `None` when it is not one. The one parser of stored dates.
pub fn parse_iso8601(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

/// Appends [`iso8601`]'s text for `t` to `out`: the API layer's writer (one for the project),
/// digits written directly with no formatting machinery, as it runs several times per request.
pub use keyturn_api::push_iso8601;

/// A source of the current time. Every expiry and freshness check in Keyturn asks one.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current time, UTC.
    fn now(&self) -> OffsetDateTime;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock that stands still until moved; for tests and for replaying recorded requests.
#[derive(Debug)]
pub struct FixedClock {
    /// Unix time in nanoseconds.
    nanos: AtomicI64,
}

impl FixedClock {
    /// A clock stopped at `at`.
    pub fn new(at: OffsetDateTime) -> Self {
        Self {
            nanos: AtomicI64::new(nanos_of(at)),
        }
    }

    /// Moves the clock to `at`.
    pub fn set(&self, at: OffsetDateTime) {
        self.nanos.store(nanos_of(at), Ordering::Relaxed);
    }

    /// Moves the clock forward by `by` (backward when negative).
    pub fn advance(&self, by: time::Duration) {
        let delta = i64::try_from(by.whole_nanoseconds()).unwrap_or(i64::MAX);
        self.nanos.fetch_add(delta, Ordering::Relaxed);
    }
}

fn nanos_of(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        let nanos = i128::from(self.nanos.load(Ordering::Relaxed));
        OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `time` crate's RFC 3339 text: the same for whole-second UTC times, by other code.
    fn by_rfc3339(t: OffsetDateTime) -> String {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn iso8601_matches_rfc3339_for_whole_seconds() {
        let first: i64 = -62_167_219_200; // 0000-01-01T00:00:00Z
        let span: i64 = 253_402_300_799 - first; // to 9999-12-31T23:59:59Z
        for i in 0..100_000i64 {
            // Spread over the whole range, plus every second of a day.
            let unix = first + (i * 2_654_435_761 % span) + i % 86_400;
            let t = OffsetDateTime::from_unix_timestamp(unix).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(iso8601(t), by_rfc3339(t), "{unix}");
        }
        let t =
            OffsetDateTime::from_unix_timestamp(1_764_337_106).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(iso8601(t), "2025-11-28T13:38:26Z");
        let mut out = String::from("<Expiration>");
        push_iso8601(&mut out, t);
        assert_eq!(out, "<Expiration>2025-11-28T13:38:26Z");
        let offset =
            t.to_offset(time::UtcOffset::from_hms(5, 30, 0).unwrap_or(time::UtcOffset::UTC));
        assert_eq!(iso8601(offset), "2025-11-28T13:38:26Z");
        let before_year_zero =
            OffsetDateTime::from_unix_timestamp(-62_167_219_201).unwrap_or_else(|e| panic!("{e}"));
        // Outside four digits: the general formatter, sign and all.
        assert_eq!(iso8601(before_year_zero), "-001-12-31T23:59:59Z");
    }
}
