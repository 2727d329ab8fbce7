//! A bounded, sharded cache of derived SigV4a public keys.
//!
//! A SigV4a key depends only on the access key id and its secret (no date, region or service),
//! so it lives as long as the key. Deriving it costs an HMAC and a P-256 base-point
//! multiplication, a sizeable part of a verification: a hit skips both.

use std::hash::{BuildHasher, RandomState};

use crate::cache::Sharded;
use crate::crypto::SigningSecret;

use super::V4aVerifyingKey;

struct Entry {
    secret: SigningSecret,
    key: V4aVerifyingKey,
}

/// Thread-safe cache of SigV4a public keys by access key id, bounded in size.
///
/// A hit checks (in constant time) that the caller's secret is the one the key was derived
/// from, so a rotated secret is never served a stale key. Derivation happens outside the lock.
/// `Debug` shows the capacity only.
#[derive(Debug)]
pub struct V4aKeyCache {
    shards: Sharded<Box<str>, Entry>,
    hasher: RandomState,
}

impl Default for V4aKeyCache {
    fn default() -> Self {
        Self::new(1024)
    }
}

impl V4aKeyCache {
    /// A cache holding about `capacity` keys (rounded up to a multiple of the shard count; at
    /// least one per shard).
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self {
            shards: Sharded::new(capacity),
            hasher: RandomState::new(),
        }
    }

    /// The public key of `access_key_id` with `secret`, derived and cached on a miss (or when
    /// the cached key came from another secret); `None` as for [`V4aVerifyingKey::derive`].
    #[must_use]
    pub fn get_or_derive(
        &self,
        access_key_id: &str,
        secret: &SigningSecret,
    ) -> Option<V4aVerifyingKey> {
        // Truncation intended: only the low bits pick a shard.
        let shard = self.hasher.hash_one(access_key_id) as usize;
        if let Some(guard) = self.shards.lock(shard)
            && let Some(e) = guard.get(access_key_id)
            && e.secret.ct_eq(secret)
        {
            return Some(e.key);
        }
        let key = V4aVerifyingKey::derive(access_key_id, secret)?;
        let entry = Entry {
            secret: secret.clone(),
            key,
        };
        self.shards.insert(shard, access_key_id.into(), entry);
        Some(key)
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

    /// Drops every cached key.
    pub fn clear(&self) {
        self.shards.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hit_rotation_and_bound() {
        let c = V4aKeyCache::new(32);
        let (s1, s2) = (SigningSecret::new("one"), SigningSecret::new("two"));
        let a = c.get_or_derive("AKID", &s1);
        assert_eq!(a, V4aVerifyingKey::derive("AKID", &s1));
        assert_eq!(c.get_or_derive("AKID", &s1), a);
        assert_eq!(c.len(), 1);
        // Same key id, rotated secret: derived again, never the stale key.
        let b = c.get_or_derive("AKID", &s2);
        assert_eq!(b, V4aVerifyingKey::derive("AKID", &s2));
        assert_ne!(a, b);
        assert_eq!(c.len(), 1);
        for i in 0..100 {
            let _ = c.get_or_derive(&format!("AKID{i}"), &s1);
        }
        assert!(c.len() <= 32, "{}", c.len());
        c.clear();
        assert!(c.is_empty());
    }
}
