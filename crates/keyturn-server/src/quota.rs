//! Request quotas per account and action, as AWS throttles its APIs: a token bucket per
//! (account, action), refilled at `rate` requests a second up to `burst`; a request that finds
//! its bucket empty is answered `Throttling` ("Rate exceeded", HTTP 400), which the SDKs retry
//! with backoff.
//!
//! The check lives in the server, before the operation runs: core knows no HTTP and no
//! clients, and the account is read from the request itself, cheaply: from the access key id
//! of the signature (`Credential=AKIA…/…` in the `Authorization` header, or `X-Amz-Credential`
//! of a presigned request), whose account AWS's key id format encodes, and for the unsigned
//! federation actions from the `RoleArn`'s account (the account whose role is assumed). A
//! signed request that is then not authenticated (its signature fails, or its parameters are
//! refused first) gets its token back: a stranger who names an account's key id cannot spend
//! that account's quota. A request from which no account can be read
//! (malformed) is not counted; it fails before any work.
//!
//! The buckets are sharded: each shard a short lock on a small map, so that requests of
//! different accounts and actions rarely meet. A shard holds at most [`MAX_BUCKETS_PER_SHARD`]
//! buckets; full ones (idle long enough to have refilled) are dropped to make room.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use keyturn_core::ErrorCode;
use keyturn_core::ops::{Dispatch, Params};

/// A rate: `per_second` requests a second on average, up to `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// Tokens added each second (> 0).
    pub per_second: f64,
    /// The bucket's size: how many requests may come at once after a quiet spell (≥ 1).
    pub burst: f64,
}

/// The quotas of one account: its own default and per-action rates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountQuota {
    /// The rate of every action of the account without one of its own here.
    pub default: Option<Rate>,
    /// Rates by action name (`AssumeRole`).
    pub actions: HashMap<String, Rate>,
}

/// Which rate applies to a request: the most specific one given, in the order account and
/// action, account, action, default; none: unlimited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuotaRules {
    /// The rate of every account and action without a more specific one.
    pub default: Option<Rate>,
    /// Rates by action name, for every account.
    pub actions: HashMap<String, Rate>,
    /// Overrides by account id (the number of the 12 digits).
    pub accounts: HashMap<u64, AccountQuota>,
}

impl QuotaRules {
    /// The rate for `action` of `account`, if any applies.
    pub fn rate(&self, account: u64, action: &str) -> Option<Rate> {
        let own = self.accounts.get(&account);
        own.and_then(|a| a.actions.get(action).copied())
            .or_else(|| own.and_then(|a| a.default))
            .or_else(|| self.actions.get(action).copied())
            .or(self.default)
    }
}

/// How many shards the buckets are spread over (a power of two).
const SHARDS: usize = 32;

/// The most buckets one shard keeps.
pub const MAX_BUCKETS_PER_SHARD: usize = 4096;

/// AWS's message for `Throttling`.
pub const RATE_EXCEEDED: &str = "Rate exceeded";

#[derive(Debug, Clone, Copy)]
struct Bucket {
    rate: Rate,
    tokens: f64,
    at: Instant,
}

impl Bucket {
    /// The tokens at `now`.
    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate.per_second).min(self.rate.burst);
        self.at = now;
    }
}

type Key = (u64, &'static str);

/// The live quotas of a server.
#[derive(Debug)]
pub struct Quotas {
    rules: QuotaRules,
    shards: Box<[Mutex<HashMap<Key, Bucket>>]>,
}

/// A token taken for one request: given back with [`Quotas::refund`] when the request turns out
/// not to be the account's (its signature failed).
#[derive(Debug, Clone, Copy)]
#[must_use]
pub struct Taken(Key);

impl Quotas {
    /// Quotas under `rules`, every bucket full.
    pub fn new(rules: QuotaRules) -> Self {
        Self {
            rules,
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    fn shard(&self, key: &Key) -> &Mutex<HashMap<Key, Bucket>> {
        // The action's name is a static string: its address identifies it.
        let mixed = (key.0 ^ (key.1.as_ptr() as u64)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let i = usize::try_from(mixed >> 59).unwrap_or(0) % self.shards.len();
        &self.shards[i]
    }

    /// Takes a token for a request of `op` with `params` and `headers`: `Ok(None)` when no
    /// account can be read from it or no rate applies, `Ok(Some(_))` when a token was taken,
    /// `Err(Throttling)` when the bucket is empty.
    ///
    /// # Errors
    /// `Throttling`, "Rate exceeded".
    pub fn take(
        &self,
        op: &'static dyn Dispatch,
        params: &Params<'_>,
        headers: &[(&str, &[u8])],
        now: Instant,
    ) -> Result<Option<Taken>, keyturn_core::Error> {
        let Some(account) = account_of(op, params, headers) else {
            return Ok(None);
        };
        let action = op.action();
        let Some(rate) = self.rules.rate(account, action) else {
            return Ok(None);
        };
        let key = (account, action);
        let mut shard = self
            .shard(&key)
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !shard.contains_key(&key) && shard.len() >= MAX_BUCKETS_PER_SHARD {
            shard.retain(|_, b| {
                b.refill(now);
                b.tokens < b.rate.burst
            });
            if shard.len() >= MAX_BUCKETS_PER_SHARD {
                // Every bucket busy: this request waits for room like an over-quota one.
                return Err(throttling());
            }
        }
        let bucket = shard.entry(key).or_insert(Bucket {
            rate,
            tokens: rate.burst,
            at: now,
        });
        bucket.refill(now);
        if bucket.tokens < 1.0 {
            return Err(throttling());
        }
        bucket.tokens -= 1.0;
        Ok(Some(Taken(key)))
    }

    /// Gives the token of a request back (its signature failed: it was not the account's).
    pub fn refund(&self, taken: Taken) {
        let mut shard = self
            .shard(&taken.0)
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(b) = shard.get_mut(&taken.0) {
            b.tokens = (b.tokens + 1.0).min(b.rate.burst);
        }
    }
}

/// `Throttling`: "Rate exceeded" (HTTP 400, the sender's fault; the SDKs retry it).
pub fn throttling() -> keyturn_core::Error {
    keyturn_core::Error::new(ErrorCode::Throttling, RATE_EXCEEDED)
}

/// The account a request is counted against: the signing key id's, or for an unsigned action
/// the `RoleArn`'s. `None` when the request names none readable.
pub fn account_of(
    op: &dyn Dispatch,
    params: &Params<'_>,
    headers: &[(&str, &[u8])],
) -> Option<u64> {
    if op.unsigned() {
        let arn = params.get("RoleArn")?;
        let account = arn.split(':').nth(4)?;
        return keyturn_core::ids::AccountId::is_valid(account)
            .then(|| account.parse().ok())
            .flatten();
    }
    let credential = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, value)| std::str::from_utf8(value).ok())
        .and_then(|auth| auth.split("Credential=").nth(1))
        .or_else(|| params.get("X-Amz-Credential"))?;
    let key_id = credential.split('/').next()?;
    keyturn_core::ids::decode_account(key_id)
        .ok()
        .map(keyturn_core::ids::AccountId::number)
}

#[cfg(test)]
mod tests;
