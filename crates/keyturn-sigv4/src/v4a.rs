//! SigV4a (`AWS4-ECDSA-P256-SHA256`): the asymmetric form of Signature Version 4.
//!
//! The canonical request is SigV4's; the differences are the credential scope
//! (`keyid/date/service/aws4_request`, no region), the region set that replaces the region
//! (`X-Amz-Region-Set`, a signed header or a query parameter: comma-separated regions, `*`
//! as a wildcard), the string to sign's algorithm line, and the signature: a DER-encoded ECDSA
//! P-256 signature of SHA-256(string to sign), in hex, under a key derived from the secret
//! ([`V4aSigningKey`]). [`crate::Verifier`] verifies both algorithms.

mod cache;
mod key;
mod verify;

pub use cache::V4aKeyCache;
pub use key::{V4aSigningKey, V4aVerifyingKey};

use crate::auth::ALGORITHM_V4A;
use crate::crypto::{hex_str, hex32, sha256};

/// The string to sign's first line, `AWS4-ECDSA-P256-SHA256\n`.
pub(crate) const STRING_TO_SIGN_HEAD_V4A: &[u8] = b"AWS4-ECDSA-P256-SHA256\n";

/// Whether an `Authorization` value names the SigV4a algorithm.
pub(crate) fn is_v4a_authorization(value: &str) -> bool {
    value
        .trim_start()
        .strip_prefix(ALGORITHM_V4A)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Whether `region_set` (as in `X-Amz-Region-Set`: comma-separated, each entry a region or a
/// pattern where `*` matches any run of characters) includes `region`. Case-insensitive.
#[must_use]
pub fn region_set_includes(region_set: &str, region: &str) -> bool {
    region_set
        .split(',')
        .map(str::trim)
        .any(|pattern| !pattern.is_empty() && glob_match(pattern.as_bytes(), region.as_bytes()))
}

/// `*`-only glob matching, linear with one backtrack point (the last `*`).
fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(c) if c.eq_ignore_ascii_case(&text[t]) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..].iter().all(|&c| c == b'*')
}

/// Builds the SigV4a string to sign; `scope` is `date/service/aws4_request`.
#[must_use]
pub fn string_to_sign_v4a(amz_date: &str, scope: &str, canonical_request: &[u8]) -> String {
    let h = hex32(&sha256(canonical_request));
    format!("{ALGORITHM_V4A}\n{amz_date}\n{scope}\n{}", hex_str(&h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_sets() {
        for (set, region, want) in [
            ("us-east-1", "us-east-1", true),
            ("*", "eu-west-3", true),
            ("us-west-2,us-east-1", "us-east-1", true),
            ("us-west-2, US-EAST-1", "us-east-1", true),
            ("us-*", "us-east-1", true),
            ("us-*-1", "us-east-1", true),
            ("*-1", "us-east-2", false),
            ("us-*", "eu-west-1", false),
            ("us-east-1", "us-east-10", false),
            ("", "us-east-1", false),
            (",", "us-east-1", false),
            ("us-east-*2", "us-east-12", true),
            ("a*a*a", "aaaa", true),
            ("a*b", "aaab", true),
            ("a*b", "aaba", false),
        ] {
            assert_eq!(region_set_includes(set, region), want, "{set} {region}");
        }
    }

    #[test]
    fn algorithm_detection() {
        assert!(is_v4a_authorization("AWS4-ECDSA-P256-SHA256 Credential=x"));
        assert!(is_v4a_authorization("  AWS4-ECDSA-P256-SHA256"));
        assert!(!is_v4a_authorization(
            "AWS4-ECDSA-P256-SHA2567 Credential=x"
        ));
        assert!(!is_v4a_authorization("AWS4-HMAC-SHA256 Credential=x"));
        assert_eq!(
            STRING_TO_SIGN_HEAD_V4A,
            format!("{ALGORITHM_V4A}\n").as_bytes()
        );
    }
}
