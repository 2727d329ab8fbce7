//! A bounded, sharded cache of derived signing keys.
//!
//! Deriving a key costs four HMACs (eight SHA-256 compressions); a cached key turns a verification
//! into two hashes and one HMAC. Keys are per (access key id, date, region, service) and change
//! daily, so the working set is small and a crude eviction is enough.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::crypto::{SigningKey, SigningSecret};
use crate::swar;

const SHARDS: usize = 16;

/// The map's keys are already seeded hashes of the scope: pass them through instead of
/// hashing them again with SipHash.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used (the keys are `u64`); fold anything else in regardless.
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

const K: u64 = 0x517c_c1b7_2722_0a95;

/// A multiply-rotate hash of one field, its length included.
fn mix(seed: u64, s: &str) -> u64 {
    let (words, tail) = s.as_bytes().as_chunks::<8>();
    let mut v = seed ^ (s.len() as u64);
    for w in words {
        v = (v ^ u64::from_le_bytes(*w)).wrapping_mul(K).rotate_left(29);
    }
    if !tail.is_empty() {
        v = (v ^ swar::load(tail, 0, 0)).wrapping_mul(K).rotate_left(29);
    }
    v
}

/// Maps split over [`SHARDS`] locks, each bounded: the storage of both key caches (SigV4's
/// here, SigV4a's in `v4a/cache.rs`).
pub(crate) struct Sharded<K, V, S = RandomState> {
    shards: Box<[Mutex<HashMap<K, V, S>>]>,
    per_shard: usize,
}

impl<K, V, S> std::fmt::Debug for Sharded<K, V, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The entries hold secrets: only the size is shown.
        f.debug_struct("Sharded")
            .field("capacity", &(self.per_shard * SHARDS))
            .finish_non_exhaustive()
    }
}

impl<K: Eq + std::hash::Hash + Clone, V, S: BuildHasher + Default> Sharded<K, V, S> {
    /// About `capacity` entries (rounded up to a multiple of the shard count; at least one
    /// per shard).
    pub(crate) fn new(capacity: usize) -> Self {
        let per_shard = capacity.div_ceil(SHARDS).max(1);
        let shards = (0..SHARDS)
            .map(|_| {
                Mutex::new(HashMap::with_capacity_and_hasher(
                    per_shard.min(1024),
                    S::default(),
                ))
            })
            .collect();
        Self { shards, per_shard }
    }

    /// Locks shard `shard` (taken modulo the shard count).
    pub(crate) fn lock(&self, shard: usize) -> Option<MutexGuard<'_, HashMap<K, V, S>>> {
        let m = self.shards.get(shard % SHARDS)?;
        Some(m.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Inserts into shard `shard`, first evicting an arbitrary entry of a full shard (keys
    /// turn over on their own, and an LRU list would cost a write on every hit).
    pub(crate) fn insert(&self, shard: usize, key: K, value: V) {
        let Some(mut guard) = self.lock(shard) else {
            return;
        };
        if guard.len() >= self.per_shard
            && !guard.contains_key(&key)
            && let Some(victim) = guard.keys().next().cloned()
        {
            guard.remove(&victim);
        }
        guard.insert(key, value);
    }

    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        (0..SHARDS)
            .filter_map(|i| self.lock(i))
            .map(|g| g.len())
            .sum()
    }

    /// Drops every entry.
    pub(crate) fn clear(&self) {
        for i in 0..SHARDS {
            if let Some(mut g) = self.lock(i) {
                g.clear();
            }
        }
    }
}

struct Entry {
    access_key_id: Box<str>,
    date: Box<str>,
    region: Box<str>,
    service: Box<str>,
    secret: SigningSecret,
    key: SigningKey,
}

impl Entry {
    fn matches(&self, access_key_id: &str, date: &str, region: &str, service: &str) -> bool {
        &*self.access_key_id == access_key_id
            && &*self.date == date
            && &*self.region == region
            && &*self.service == service
    }
}

/// Thread-safe cache of derived signing keys, bounded in size.
///
/// Shards are `Mutex<HashMap<u64, Entry>>` ([`Sharded`]) keyed by a per-process seeded hash of the four
/// scope fields; the entry repeats the fields, so a hash collision is a miss, never a wrong key.
/// A hit also checks (in constant time) that the caller's secret is the one the key was derived
/// from, so a rotated secret can never be served a stale key. Critical sections hold a lookup
/// and a copy of the key's 64 bytes of HMAC state; derivation happens outside the lock.
///
/// In front of the shards, each thread remembers the key it used last (checked the same way),
/// so a thread serving one signer after another skips the hash and the lock.
pub struct SigningKeyCache {
    shards: Sharded<u64, Entry, BuildHasherDefault<PassThrough>>,
    seed: u64,
    /// This cache's identity in the per-thread front entries.
    id: u64,
    /// Bumped by [`Self::clear`]: front entries of an older generation are never served.
    generation: AtomicU64,
}

/// Distinguishes caches in the per-thread front entries (never reused).
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// The key this thread used last: a hit on it skips the scope hash and the shard lock. It is
/// checked exactly like a shard entry (all four scope fields, then the secret in constant time),
/// plus the cache's identity and generation. Its strings are reused, so replacing it does not
/// allocate once they are long enough.
struct Front {
    cache: u64,
    generation: u64,
    access_key_id: String,
    date: String,
    region: String,
    service: String,
    secret: SigningSecret,
    key: SigningKey,
}

impl Front {
    fn matches(&self, access_key_id: &str, date: &str, region: &str, service: &str) -> bool {
        self.access_key_id == access_key_id
            && self.date == date
            && self.region == region
            && self.service == service
    }
}

thread_local! {
    static FRONT: RefCell<Option<Front>> = const { RefCell::new(None) };
}

impl std::fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not derived: the hash seed stays out of logs.
        f.debug_struct("SigningKeyCache")
            .field("shards", &self.shards)
            .finish_non_exhaustive()
    }
}

impl Default for SigningKeyCache {
    fn default() -> Self {
        Self::new(4096)
    }
}

impl SigningKeyCache {
    /// A cache holding about `capacity` keys (rounded up to a multiple of the shard count; at least one per shard).
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self {
            shards: Sharded::new(capacity),
            seed: RandomState::new().hash_one(0u8),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            generation: AtomicU64::new(0),
        }
    }

    fn slot(&self, access_key_id: &str, date: &str, region: &str, service: &str) -> (usize, u64) {
        // Only keys that passed the caller's lookup reach the cache, so a fast unkeyed-style
        // hash (seeded per process) is enough; SipHash cost more than the rest of the lookup.
        // One independent chain per field, so that the four multiply chains overlap.
        let (a, b) = (mix(self.seed, access_key_id), mix(self.seed ^ 1, date));
        let (c, d) = (mix(self.seed ^ 2, region), mix(self.seed ^ 3, service));
        let v = (a ^ b.rotate_left(16) ^ c.rotate_left(32) ^ d.rotate_left(48)).wrapping_mul(K);
        let v = v ^ (v >> 29);
        // The shard count is a small constant; the modulo result always fits.
        ((v % SHARDS as u64) as usize, v)
    }

    /// Returns the signing key for the scope, deriving and caching it on a miss
    /// (or when the cached key was derived from another secret).
    #[must_use]
    pub fn get_or_derive(
        &self,
        secret: &SigningSecret,
        access_key_id: &str,
        date: &str,
        region: &str,
        service: &str,
    ) -> SigningKey {
        self.with_key(
            secret,
            access_key_id,
            date,
            region,
            service,
            SigningKey::clone,
        )
    }

    /// Calls `f` once with the signing key for the scope, as [`Self::get_or_derive`] finds it;
    /// on a hit in this thread's front entry, with a borrow of it (no copy to make and wipe).
    pub(crate) fn with_key<R>(
        &self,
        secret: &SigningSecret,
        access_key_id: &str,
        date: &str,
        region: &str,
        service: &str,
        mut f: impl FnMut(&SigningKey) -> R,
    ) -> R {
        let generation = self.generation.load(Ordering::Acquire);
        let front = FRONT
            .try_with(|cell| {
                let entry = cell.try_borrow().ok()?;
                let e = entry.as_ref()?;
                (e.cache == self.id
                    && e.generation == generation
                    && e.matches(access_key_id, date, region, service)
                    && e.secret.ct_eq(secret))
                .then(|| f(&e.key))
            })
            .ok()
            .flatten();
        if let Some(r) = front {
            return r;
        }
        let key = self.shared(secret, access_key_id, date, region, service);
        let _ = FRONT.try_with(|f| {
            let Ok(mut f) = f.try_borrow_mut() else {
                return;
            };
            match &mut *f {
                Some(e) => {
                    e.cache = self.id;
                    e.generation = generation;
                    for (dst, src) in [
                        (&mut e.access_key_id, access_key_id),
                        (&mut e.date, date),
                        (&mut e.region, region),
                        (&mut e.service, service),
                    ] {
                        dst.clear();
                        dst.push_str(src);
                    }
                    e.secret = secret.clone();
                    e.key = key.clone();
                }
                None => {
                    *f = Some(Front {
                        cache: self.id,
                        generation,
                        access_key_id: access_key_id.to_owned(),
                        date: date.to_owned(),
                        region: region.to_owned(),
                        service: service.to_owned(),
                        secret: secret.clone(),
                        key: key.clone(),
                    });
                }
            }
        });
        f(&key)
    }

    /// The shared (sharded, locked) part of [`Self::get_or_derive`].
    fn shared(
        &self,
        secret: &SigningSecret,
        access_key_id: &str,
        date: &str,
        region: &str,
        service: &str,
    ) -> SigningKey {
        let (shard, h) = self.slot(access_key_id, date, region, service);
        // The guard lives for the `if` only: the lock is not held while deriving.
        if let Some(guard) = self.shards.lock(shard)
            && let Some(e) = guard.get(&h)
            && e.matches(access_key_id, date, region, service)
            && e.secret.ct_eq(secret)
        {
            return e.key.clone();
        }
        let key = SigningKey::derive(secret, date, region, service);
        let entry = Entry {
            access_key_id: access_key_id.into(),
            date: date.into(),
            region: region.into(),
            service: service.into(),
            secret: secret.clone(),
            key: key.clone(),
        };
        // Keys expire daily anyway: the arbitrary eviction of a full shard is enough.
        self.shards.insert(shard, h, entry);
        key
    }

    /// Number of cached keys.
    #[must_use]
    pub fn len(&self) -> usize {
        self.shards.len()
    }

    /// Whether the cache is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every cached key (threads' last-used entries become unusable at once, and are
    /// replaced on their next miss).
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.shards.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hit_and_secret_check() {
        let c = SigningKeyCache::new(64);
        let s1 = SigningSecret::new("one");
        let s2 = SigningSecret::new("two");
        let a = c.get_or_derive(&s1, "AKID", "20150830", "us-east-1", "sts");
        assert_eq!(c.len(), 1);
        let b = c.get_or_derive(&s1, "AKID", "20150830", "us-east-1", "sts");
        assert_eq!(a.sign(b"m"), b.sign(b"m"));
        // Same scope, rotated secret: must not reuse.
        let d = c.get_or_derive(&s2, "AKID", "20150830", "us-east-1", "sts");
        assert_eq!(
            d.sign(b"m"),
            SigningKey::derive(&s2, "20150830", "us-east-1", "sts").sign(b"m")
        );
        assert_ne!(d.sign(b"m"), a.sign(b"m"));
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn front_entry_is_per_cache_and_cleared() {
        let s = SigningSecret::new("x");
        // The signature of `b"m"` under the key that `cache` serves for AKID on `date`.
        let sig = |cache: &SigningKeyCache, date: &str| {
            cache
                .get_or_derive(&s, "AKID", date, "us-east-1", "sts")
                .sign(b"m")
        };
        let derived = SigningKey::derive(&s, "20150830", "us-east-1", "sts").sign(b"m");
        let a = SigningKeyCache::new(64);
        let b = SigningKeyCache::new(64);
        assert_eq!(sig(&a, "20150830"), derived);
        // Same thread, same scope, another cache: not served from `a`'s front entry.
        assert_eq!(sig(&b, "20150830"), derived);
        assert_eq!(b.len(), 1);
        // A front hit, then the shard hit after `b` replaced the front entry.
        assert_eq!(sig(&b, "20150830"), derived);
        assert_eq!(sig(&a, "20150830"), derived);
        a.clear();
        assert!(a.is_empty());
        // After `clear`, the front entry is not served: the key is derived and stored again.
        assert_eq!(sig(&a, "20150830"), derived);
        assert_eq!(a.len(), 1);
        // Another scope field differing only in the front entry's fields misses.
        let other = SigningKey::derive(&s, "20150831", "us-east-1", "sts").sign(b"m");
        assert_eq!(sig(&a, "20150831"), other);
        assert_eq!(a.len(), 2);
    }

    #[test]
    fn bounded() {
        let c = SigningKeyCache::new(32);
        let s = SigningSecret::new("x");
        for i in 0..1000 {
            let _ = c.get_or_derive(&s, &format!("AKID{i}"), "20150830", "us-east-1", "sts");
        }
        assert!(c.len() <= 32, "{}", c.len());
        c.clear();
        assert!(c.is_empty());
    }
}
