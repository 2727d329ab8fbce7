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
//! - **Regions.** A credential scoped to any region of the `aws` partition is accepted.

use std::sync::{Mutex, PoisonError};

use crate::arn::Partition;
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

/// Whether `region` is a region name of `partition` (botocore's `regionRegex` of each partition:
/// `aws` is `^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$`).
pub fn region_in_partition(region: &str, partition: Partition) -> bool {
    let mut parts = region.split('-');
    let (Some(area), Some(word), Some(number), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let word_ok = !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let number_ok = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
    word_ok && number_ok && areas(partition).contains(&area)
}

/// The first part of the region names of `partition`.
fn areas(partition: Partition) -> &'static [&'static str] {
    match partition {
        Partition::Aws => &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
        Partition::AwsCn => &["cn"],
        // `us-gov-west-1`: four parts, never matched by `region_in_partition`.
        Partition::AwsUsGov => &[],
    }
}

/// Whether a SigV4a region set (`X-Amz-Region-Set`) names a region of `partition`: one entry
/// is `*`, a region of it, or a pattern whose text before its first `*` starts one of its
/// region names (`us-*`, `eu-west-*`).
pub fn region_set_in_partition(region_set: &str, partition: Partition) -> bool {
    region_set.split(',').map(str::trim).any(|entry| {
        match entry.split_once('*') {
            None => region_in_partition(entry, partition),
            Some((prefix, _)) => {
                let mut parts = prefix.split('-');
                let area = parts.next().unwrap_or_default();
                // `*`, `u*`, `us-*`: a prefix of an area, or an area and more.
                match parts.next() {
                    None => areas(partition).iter().any(|a| a.starts_with(area)),
                    Some(_) => areas(partition).contains(&area),
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aws_partition_regions_and_no_other() {
        for r in [
            "us-east-1",
            "eu-west-3",
            "ap-southeast-7",
            "il-central-1",
            "mx-central-1",
        ] {
            assert!(region_in_partition(r, Partition::Aws), "{r}");
        }
        for r in [
            "cn-north-1",
            "us-gov-west-1",
            "us-iso-east-1",
            "eu-isoe-west-1",
            "aws-global",
            "us-east",
            "us--1",
            "xx-east-1",
            "us-east-1a",
            "",
        ] {
            assert!(!region_in_partition(r, Partition::Aws), "{r}");
        }
        assert!(region_in_partition("cn-northwest-1", Partition::AwsCn));
    }

    #[test]
    fn region_sets_of_the_aws_partition() {
        for set in [
            "*",
            "us-east-1",
            "cn-north-1,eu-west-1",
            "us-*",
            "eu-west-*",
            "u*",
            " * ",
        ] {
            assert!(region_set_in_partition(set, Partition::Aws), "{set}");
        }
        for set in [
            "",
            "cn-north-1",
            "cn-*",
            "x*",
            "us-gov-west-1",
            "aws-global",
            ",",
        ] {
            assert!(!region_set_in_partition(set, Partition::Aws), "{set}");
        }
    }

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
