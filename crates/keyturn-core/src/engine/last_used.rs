//! When, for which service and in which region each long-term access key last signed a request
//! (GetAccessKeyLastUsed), and each role was last assumed (a role's `RoleLastUsed`), kept in
//! memory by the engine and saved to the store.
//!
//! Recording is on the authentication path, so it is kept cheap: an id already seen in the same
//! minute costs one shared read lock and one atomic load, and writes nothing; an id's record is
//! replaced at most once per minute (AWS's own last-used information is not exact to the second
//! either), and then noted as unsaved. [`LastUsed::take_unsaved`] hands the unsaved records to
//! the engine, which saves them to the store in one write
//! ([`crate::store::StoreWrite::record_uses`]) when the server's housekeeping asks (every few
//! seconds and at shutdown); at start the engine reads them back ([`LastUsed::seed`]), so a
//! restart loses at most the last few seconds.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};

use time::OffsetDateTime;

use crate::store::UseRecord;

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
    /// Ids whose record changed since the last [`LastUsed::take_unsaved`].
    unsaved: Mutex<BTreeSet<String>>,
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
                    self.note_unsaved(key);
                }
                return;
            }
        }
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        keys.entry(key.to_owned()).or_insert_with(|| Slot {
            minute: AtomicI64::new(minute),
            used: Mutex::new(used()),
        });
        drop(keys);
        self.note_unsaved(key);
    }

    fn note_unsaved(&self, key: &str) {
        self.unsaved
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.to_owned());
    }

    /// Adds saved records (at start): each is kept unless a later use is already recorded.
    pub(crate) fn seed(&self, records: Vec<UseRecord>) {
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        for r in records {
            let Ok(date) = OffsetDateTime::from_unix_timestamp(r.unix) else {
                continue;
            };
            let minute = r.unix.div_euclid(60);
            let use_ = KeyUse {
                date,
                service: r.service,
                region: r.region,
            };
            match keys.get(&r.id) {
                Some(slot) if slot.minute.load(Ordering::Relaxed) >= minute => {}
                _ => {
                    keys.insert(
                        r.id,
                        Slot {
                            minute: AtomicI64::new(minute),
                            used: Mutex::new(use_),
                        },
                    );
                }
            }
        }
    }

    /// The records changed since the last call, to save; they count as saved from now on (the
    /// engine hands them back with [`LastUsed::unsave`] if saving fails).
    pub(crate) fn take_unsaved(&self) -> Vec<UseRecord> {
        let ids = std::mem::take(&mut *self.unsaved.lock().unwrap_or_else(PoisonError::into_inner));
        ids.into_iter()
            .filter_map(|id| {
                let u = self.get(&id)?;
                Some(UseRecord {
                    unix: u.date.unix_timestamp(),
                    service: u.service,
                    region: u.region,
                    id,
                })
            })
            .collect()
    }

    /// Marks `records` unsaved again (a save that failed is retried the next time).
    pub(crate) fn unsave(&self, records: &[UseRecord]) {
        let mut unsaved = self.unsaved.lock().unwrap_or_else(PoisonError::into_inner);
        unsaved.extend(records.iter().map(|r| r.id.clone()));
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

    #[test]
    fn changed_records_are_handed_out_once_and_seeding_keeps_the_later_use() {
        let l = LastUsed::default();
        l.record("AKIA1", at(1), "sts", "us-east-1");
        l.record("AKIA1", at(2), "sts", "us-east-1");
        l.record("AROA1", at(3), "sts", "us-east-1");
        let saved = l.take_unsaved();
        assert_eq!(
            saved
                .iter()
                .map(|r| (r.id.as_str(), r.unix))
                .collect::<Vec<_>>(),
            [
                ("AKIA1", at(1).unix_timestamp()),
                ("AROA1", at(3).unix_timestamp())
            ]
        );
        assert!(l.take_unsaved().is_empty(), "nothing changed since");
        l.unsave(&saved[..1]);
        assert_eq!(
            l.take_unsaved().len(),
            1,
            "a failed save is handed out again"
        );
        // Seeding: an older saved use does not replace a newer one; an unknown id is added.
        l.seed(vec![
            UseRecord {
                id: "AKIA1".into(),
                unix: at(-120).unix_timestamp(),
                service: "iam".into(),
                region: "eu-west-1".into(),
            },
            UseRecord {
                id: "AKIA9".into(),
                unix: at(-60).unix_timestamp(),
                service: "iam".into(),
                region: "eu-west-1".into(),
            },
        ]);
        assert_eq!(l.get("AKIA1").map(|u| u.date), Some(at(1)));
        assert_eq!(
            l.get("AKIA9").map(|u| (u.date, u.service)),
            Some((at(-60), "iam".to_owned()))
        );
        assert!(
            l.take_unsaved().is_empty(),
            "seeded records are already saved"
        );
    }
}
