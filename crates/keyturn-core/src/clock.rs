//! The engine's notion of "now", injectable so that tests can travel in time.

use std::sync::atomic::{AtomicI64, Ordering};
use time::OffsetDateTime;

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
