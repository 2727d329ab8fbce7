//! Moto compatibility (the configuration's `server.compat: moto`): what a test suite written for
//! moto's server mode needs and a normal endpoint never does.
//!
//! - **Bootstrap credentials.** Such a suite signs its first requests with made-up keys (moto's
//!   `testing`/`testing`, `FOOBARKEY`, ...). A signed request whose long-term key id is not in
//!   the model, and that carries no session token, acts as the root user of the default account
//!   *without its signature being checked*. Every key the model holds (created through
//!   `CreateAccessKey`, or configured) is verified as always. This exists only on an engine built
//!   with [`MotoCompat`]; a normal engine has no path to it.
//! - **moto's no-auth window.** moto authenticates nothing until its `INITIAL_NO_AUTH_ACTION_COUNT`
//!   requests have been served (infinite by default); its `/moto-api/reset-auth` sets that count
//!   and restarts the tally. Here the window decides only whether bootstrap keys are still
//!   accepted: once it is closed they are unknown keys (`InvalidClientTokenId`), while real keys
//!   are authenticated and authorized in every case.
//! - **Regions.** As on any endpoint, credentials scoped to any region of the `aws` partition are
//!   accepted unless the configuration lists regions (`EngineParts::regions`).

use std::sync::{Mutex, PoisonError};

use crate::ids::AccountId;

/// The account moto's suites run in (`moto.core.DEFAULT_ACCOUNT_ID`).
pub const MOTO_DEFAULT_ACCOUNT: &str = "123456789012";

/// An engine's moto compatibility: whose root the bootstrap credentials act as, and moto's
/// no-auth window.
#[derive(Debug)]
pub struct MotoCompat {
    account: AccountId,
    window: Mutex<NoAuthWindow>,
}

/// moto's `INITIAL_NO_AUTH_ACTION_COUNT` and how many requests have been served under it.
#[derive(Debug, Clone, Copy)]
struct NoAuthWindow {
    limit: f64,
    served: u64,
}

impl MotoCompat {
    /// Bootstrap credentials act as the root of `account`; the no-auth window is open forever
    /// (moto's default) until [`MotoCompat::reset_auth`] sets a count.
    pub fn new(account: AccountId) -> Self {
        Self {
            account,
            window: Mutex::new(NoAuthWindow {
                limit: f64::INFINITY,
                served: 0,
            }),
        }
    }

    /// The account whose root the bootstrap credentials act as.
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// moto's `/moto-api/reset-auth`: the next `limit` requests may use bootstrap credentials
    /// (a negative or NaN limit counts as 0); returns the previous limit.
    pub fn reset_auth(&self, limit: f64) -> f64 {
        let mut w = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        let previous = w.limit;
        w.limit = if limit.is_nan() { 0.0 } else { limit.max(0.0) };
        w.served = 0;
        previous
    }

    /// Counts one request as moto does (while the window is open); whether it was inside.
    pub(crate) fn admit(&self) -> bool {
        let mut w = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        // u64 to f64: exact far beyond any test's request count.
        #[allow(
            clippy::cast_precision_loss,
            reason = "request counts stay far below 2^53"
        )]
        let open = (w.served as f64) < w.limit;
        if open {
            w.served = w.served.saturating_add(1);
        }
        open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_counts_like_moto() {
        let Some(account) = AccountId::new(123_456_789_012) else {
            panic!("account");
        };
        let c = MotoCompat::new(account);
        assert!((0..50).all(|_| c.admit()), "open forever by default");
        assert!(c.reset_auth(2.0).is_infinite());
        assert!(c.admit());
        assert!(c.admit());
        assert!(!c.admit());
        assert!(!c.admit());
        assert!((c.reset_auth(f64::INFINITY) - 2.0).abs() < f64::EPSILON);
        assert!(c.admit());
        assert!(c.reset_auth(0.0).is_infinite());
        assert!(!c.admit());
        c.reset_auth(-3.0);
        assert!(!c.admit());
    }
}
