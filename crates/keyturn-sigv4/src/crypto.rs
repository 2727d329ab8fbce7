//! Crypto primitives: SHA-256, HMAC-SHA256, hex on the stack, the secret and the derived signing key.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

type HmacSha256 = Hmac<Sha256>;

/// Hex digits of SHA-256(empty string), the payload hash of a request without a body.
pub const EMPTY_SHA256_HEX: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// A secret access key. Its `Debug` prints `***`; its memory is wiped on drop.
#[derive(Clone)]
pub struct SigningSecret(Zeroizing<Vec<u8>>);

impl SigningSecret {
    /// Wraps a secret access key (e.g. `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`).
    #[must_use]
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        Self(Zeroizing::new(secret.as_ref().to_vec()))
    }

    /// The secret's bytes, for key derivation.
    #[must_use]
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Constant-time equality (length may leak, content does not).
    #[must_use]
    pub fn ct_eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0.as_slice(), other.0.as_slice());
        if a.len() != b.len() {
            return false;
        }
        // Branch-free OR-fold over the bytes, then one constant-time test of the result
        // (`subtle`'s slice comparison puts an optimisation barrier on every byte).
        let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
        bool::from(diff.ct_eq(&0))
    }
}

impl std::fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl From<&str> for SigningSecret {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for SigningSecret {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}

/// The derived SigV4 signing key for one (date, region, service), held as a ready HMAC state
/// so that signing a string costs only the message's compressions.
#[derive(Clone)]
pub struct SigningKey {
    mac: HmacSha256,
}

impl SigningKey {
    /// Derives `HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")`.
    #[must_use]
    pub fn derive(secret: &SigningSecret, date: &str, region: &str, service: &str) -> Self {
        let mut k_secret = Zeroizing::new(Vec::with_capacity(secret.expose().len() + 4));
        k_secret.extend_from_slice(b"AWS4");
        k_secret.extend_from_slice(secret.expose());
        let k_date = Zeroizing::new(hmac(&k_secret, date.as_bytes()));
        let k_region = Zeroizing::new(hmac(&*k_date, region.as_bytes()));
        let k_service = Zeroizing::new(hmac(&*k_region, service.as_bytes()));
        let k_signing = Zeroizing::new(hmac(&*k_service, b"aws4_request"));
        Self::from_bytes(&*k_signing)
    }

    /// Wraps raw signing-key bytes (32 bytes for a derived key).
    #[must_use]
    pub fn from_bytes(key: &[u8]) -> Self {
        Self { mac: new_mac(key) }
    }

    /// HMAC-SHA256 of `msg` under this key.
    #[must_use]
    pub fn sign(&self, msg: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(msg);
        mac.finalize().into_bytes().into()
    }

    /// The MAC state itself, for callers that own the key and feed the string to sign piecewise.
    pub(crate) fn into_mac(self) -> HmacSha256 {
        self.mac
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

fn new_mac(key: &[u8]) -> HmacSha256 {
    match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        // HMAC takes keys of any length; keep a defined value instead of a panic regardless.
        Err(_) => <HmacSha256 as KeyInit>::new(&Default::default()),
    }
}

/// One-shot HMAC-SHA256.
#[must_use]
pub fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut mac = new_mac(key);
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// One-shot SHA-256.
#[must_use]
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// Lower-case hex of 32 bytes, on the stack.
#[must_use]
pub fn hex32(bytes: &[u8; 32]) -> [u8; 64] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 64];
    for (i, b) in bytes.iter().enumerate() {
        out[2 * i] = DIGITS[usize::from(b >> 4)];
        out[2 * i + 1] = DIGITS[usize::from(b & 0x0f)];
    }
    out
}

/// Decodes 64 hex digits (either case) into 32 bytes.
#[must_use]
pub fn unhex32(s: &[u8]) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    // Table lookup, no branches per digit; 0xff marks a non-hex byte.
    const TABLE: [u8; 256] = {
        let mut t = [0xffu8; 256];
        let mut i = 0;
        while i < 10 {
            t[b'0' as usize + i] = i as u8;
            i += 1;
        }
        let mut i = 0;
        while i < 6 {
            t[b'a' as usize + i] = 10 + i as u8;
            t[b'A' as usize + i] = 10 + i as u8;
            i += 1;
        }
        t
    };
    let mut out = [0u8; 32];
    let mut bad = 0u8;
    for (slot, pair) in out.iter_mut().zip(s.chunks_exact(2)) {
        let (hi, lo) = (TABLE[usize::from(pair[0])], TABLE[usize::from(pair[1])]);
        bad |= (hi | lo) & 0xf0;
        *slot = (hi << 4) | (lo & 0x0f);
    }
    (bad == 0).then_some(out)
}

/// Constant-time equality of two 32-byte values.
#[must_use]
pub fn ct_eq32(a: &[u8; 32], b: &[u8; 32]) -> bool {
    bool::from(a.ct_eq(b))
}

/// `str` view of hex produced by [`hex32`].
pub(crate) fn hex_str(hex: &[u8; 64]) -> &str {
    std::str::from_utf8(hex).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let s = SigningSecret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        assert_eq!(format!("{s:?}"), "***");
        let k = SigningKey::derive(&s, "20150830", "us-east-1", "iam");
        assert_eq!(format!("{k:?}"), "***");
    }

    #[test]
    fn derivation_matches_aws_docs_example() {
        // The AWS documentation's example: the kSigning for 20150830/us-east-1/iam.
        let s = SigningSecret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        let k = SigningKey::derive(&s, "20150830", "us-east-1", "iam");
        let probe = k.sign(b"x");
        let raw = hmac(
            &hex::decode("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
                .unwrap_or_default(),
            b"x",
        );
        assert_eq!(probe, raw);
    }

    #[test]
    fn hex_round_trip() {
        let h = sha256(b"");
        assert_eq!(hex_str(&hex32(&h)), EMPTY_SHA256_HEX);
        assert_eq!(unhex32(&hex32(&h)), Some(h));
        assert_eq!(unhex32(b"zz"), None);
        let upper = hex_str(&hex32(&h)).to_ascii_uppercase();
        assert_eq!(unhex32(upper.as_bytes()), Some(h));
        for bad in [b'g', b'/', b':', b'@', b'G', b'`', 0xff] {
            let mut x = hex32(&h);
            x[17] = bad;
            assert_eq!(unhex32(&x), None, "{bad}");
        }
    }
}
