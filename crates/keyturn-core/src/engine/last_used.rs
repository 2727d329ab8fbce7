//! When, for which service and in which region each long-term access key last signed a request
//! (GetAccessKeyLastUsed), kept in memory by the engine.
//!
//! Recording is on the authentication path, so it is kept cheap: a key already seen in the same
//! minute costs one shared read lock and one atomic load, and writes nothing; a key's record
//! is replaced at most once per minute (AWS's own last-used information is not exact to the
//! second either). Nothing is persisted: after a restart every key reads as never used until it
//! signs again.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};

use time::OffsetDateTime;

/// One key's last use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUse {
    /// When the key signed (the first request of that minute).
    pub date: OffsetDateTime,
    /// The service it was used with (`sts`, `iam`, `s3`, ... as the SigV4 scope names it).
    pub service: String,
    /// The region of the request.
    pub region: String,
}

struct Slot {
    /// The minute (Unix seconds / 60) of `used`.
    minute: AtomicI64,
    used: Mutex<KeyUse>,
}

/// The last use of every key that signed since the engine started. Keys come from the model (a
/// key that is not in it never authenticates), so the fast hasher the snapshot uses is enough.
#[derive(Default)]
pub(crate) struct LastUsed {
    keys: RwLock<HashMap<String, Slot, foldhash::fast::RandomState>>,
}

impl std::fmt::Debug for LastUsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LastUsed").finish_non_exhaustive()
    }
}

impl LastUsed {
    /// Records that `key` signed a request for `service` in `region` at `now`, unless it was
    /// already recorded in the same minute.
    pub(crate) fn record(&self, key: &str, now: OffsetDateTime, service: &str, region: &str) {
        let minute = now.unix_timestamp().div_euclid(60);
        let used = || KeyUse {
            date: now,
            service: service.to_owned(),
            region: region.to_owned(),
        };
        {
            let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(slot) = keys.get(key) {
                // A load first: within the minute, nothing is written (no cache line bounces
                // between the threads authenticating with one key).
                if slot.minute.load(Ordering::Relaxed) != minute
                    && slot.minute.swap(minute, Ordering::Relaxed) != minute
                {
                    *slot.used.lock().unwrap_or_else(PoisonError::into_inner) = used();
                }
                return;
            }
        }
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        keys.entry(key.to_owned()).or_insert_with(|| Slot {
            minute: AtomicI64::new(minute),
            used: Mutex::new(used()),
        });
    }

    /// The last recorded use of `key`, if it signed since the engine started.
    pub(crate) fn get(&self, key: &str) -> Option<KeyUse> {
        let keys = self.keys.read().unwrap_or_else(PoisonError::into_inner);
        keys.get(key).map(|slot| {
            slot.used
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_700_000_000 - 1_700_000_000 % 60 + seconds)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    #[test]
    fn a_key_is_recorded_at_most_once_a_minute() {
        let l = LastUsed::default();
        assert_eq!(l.get("AKIA1"), None);
        l.record("AKIA1", at(1), "sts", "us-east-1");
        l.record("AKIA1", at(59), "iam", "eu-west-1");
        let first = l.get("AKIA1");
        assert_eq!(
            first.as_ref().map(|u| (u.date, u.service.as_str())),
            Some((at(1), "sts"))
        );
        l.record("AKIA1", at(60), "iam", "eu-west-1");
        let next = l.get("AKIA1");
        assert_eq!(
            next.as_ref()
                .map(|u| (u.date, u.service.as_str(), u.region.as_str())),
            Some((at(60), "iam", "eu-west-1"))
        );
        assert_eq!(l.get("AKIA2"), None);
    }
}
