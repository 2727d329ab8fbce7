//! The SigV4a key pair, derived from an access key id and its secret.
//!
//! AWS derives one ECDSA P-256 key per (access key id, secret) with the counter-mode KDF of
//! NIST SP 800-108 over HMAC-SHA256, as its CRT (`aws-c-auth`) does: the KDF key is
//! `"AWS4A" + secret`; the fixed input is the label `AWS4-ECDSA-P256-SHA256`, a zero byte, the
//! context (the access key id followed by one counter byte, starting at 1) and the output length
//! in bits (256, big-endian `u32`), preceded by the KDF's block counter `[1]_32`. The output `c`
//! is taken as a big-endian integer; if `c > n - 2` (n the curve order) the context counter
//! is bumped and the KDF run again, else the private scalar is `c + 1`. Deriving costs one
//! HMAC and, for the public key, one base-point multiplication: worth caching ([`super::V4aKeyCache`]).

use p256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use p256::ecdsa::{DerSignature, Signature, SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::crypto::{HmacKey, SigningSecret, sha256};

use super::ALGORITHM_V4A;

/// The order of P-256 minus two, big-endian: the largest KDF output that is accepted.
const ORDER_MINUS_2: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x4f,
];

/// Whether `a <= b` for big-endian 256-bit integers, without branching on their bytes.
fn le_be256(a: &[u8; 32], b: &[u8; 32]) -> bool {
    // b - a, byte by byte from the least significant: no final borrow means a <= b.
    let mut borrow = 0u16;
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        let d = u16::from(*y)
            .wrapping_sub(u16::from(*x))
            .wrapping_sub(borrow);
        borrow = d >> 15;
    }
    borrow == 0
}

/// `a + 1` for a big-endian 256-bit integer known to be below `2^256 - 1`.
fn plus_one(a: &mut [u8; 32]) {
    let mut carry = 1u16;
    for x in a.iter_mut().rev() {
        let s = u16::from(*x) + carry;
        // Truncation intended: the low byte stays, the high one carries.
        *x = (s & 0xff) as u8;
        carry = s >> 8;
    }
}

/// The private scalar for `access_key_id` and `secret`, big-endian, wiped on drop.
fn derive_scalar(access_key_id: &str, secret: &SigningSecret) -> Option<Zeroizing<[u8; 32]>> {
    let mut kdf_key = Zeroizing::new(Vec::with_capacity(secret.expose().len() + 5));
    kdf_key.extend_from_slice(b"AWS4A");
    kdf_key.extend_from_slice(secret.expose());
    let mac = HmacKey::new(&kdf_key);
    // The chance that a counter byte is needed past the first is about 2^-32 per step.
    for counter in 1..=u8::MAX {
        let mut s = mac.start::<2>();
        for piece in [
            &1u32.to_be_bytes()[..],
            ALGORITHM_V4A.as_bytes(),
            &[0],
            access_key_id.as_bytes(),
            &[counter],
            &256u32.to_be_bytes(),
        ] {
            s.update(piece);
        }
        let mut c = Zeroizing::new(mac.finish(&mut s));
        if le_be256(&c, &ORDER_MINUS_2) {
            plus_one(&mut c);
            return Some(c);
        }
    }
    None
}

/// The private SigV4a key of one access key (for signing: clients and tests). Its `Debug`
/// prints `***`; the scalar is wiped on drop.
#[derive(Clone)]
pub struct V4aSigningKey(SigningKey);

impl std::fmt::Debug for V4aSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl V4aSigningKey {
    /// Derives the key of `access_key_id` with `secret`; `None` only if 255 KDF rounds in a
    /// row fall outside the curve order (probability about 2^-8000).
    #[must_use]
    pub fn derive(access_key_id: &str, secret: &SigningSecret) -> Option<Self> {
        let d = derive_scalar(access_key_id, secret)?;
        SigningKey::from_bytes(&(*d).into()).ok().map(Self)
    }

    /// The public half.
    #[must_use]
    pub fn verifying_key(&self) -> V4aVerifyingKey {
        V4aVerifyingKey(*self.0.verifying_key())
    }

    /// The DER-encoded ECDSA signature of SHA-256(`string_to_sign`) (deterministic, RFC 6979).
    ///
    /// # Errors
    /// Never in practice; ECDSA signing fails only on a zero nonce.
    pub fn sign(&self, string_to_sign: &[u8]) -> Result<Vec<u8>, p256::ecdsa::Error> {
        let sig: DerSignature = self.0.sign_prehash(&sha256(string_to_sign))?;
        Ok(sig.as_bytes().to_vec())
    }
}

/// The public SigV4a key of one access key: what verification needs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct V4aVerifyingKey(VerifyingKey);

impl std::fmt::Debug for V4aVerifyingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The public key reveals nothing of the secret, but keep logs free of key material.
        f.write_str("V4aVerifyingKey(..)")
    }
}

impl V4aVerifyingKey {
    /// Derives the public key of `access_key_id` with `secret` (a KDF run and a base-point
    /// multiplication); `None` as for [`V4aSigningKey::derive`].
    #[must_use]
    pub fn derive(access_key_id: &str, secret: &SigningSecret) -> Option<Self> {
        V4aSigningKey::derive(access_key_id, secret).map(|k| k.verifying_key())
    }

    /// The affine coordinates `(x, y)`, big-endian (as the SigV4a test suite's `public-key.json`).
    #[must_use]
    pub fn coordinates(&self) -> ([u8; 32], [u8; 32]) {
        let point = self.0.to_sec1_point(false);
        let mut x = [0u8; 32];
        let mut y = [0u8; 32];
        if let (Some(px), Some(py)) = (point.x(), point.y()) {
            x.copy_from_slice(px);
            y.copy_from_slice(py);
        }
        (x, y)
    }

    /// Whether `der` (a DER-encoded ECDSA signature) signs the SHA-256 digest `digest`.
    #[must_use]
    pub fn verify_digest(&self, digest: &[u8; 32], der: &[u8]) -> bool {
        Signature::from_der(der).is_ok_and(|sig| self.0.verify_prehash(digest, &sig).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_and_increment() {
        let mut a = [0u8; 32];
        assert!(le_be256(&a, &ORDER_MINUS_2));
        assert!(le_be256(&ORDER_MINUS_2, &ORDER_MINUS_2));
        let mut above = ORDER_MINUS_2;
        plus_one(&mut above);
        assert_eq!(above[31], 0x50);
        assert!(!le_be256(&above, &ORDER_MINUS_2));
        assert!(!le_be256(&[0xff; 32], &ORDER_MINUS_2));
        a[31] = 0xff;
        plus_one(&mut a);
        assert_eq!((a[30], a[31]), (1, 0));
    }

    #[test]
    fn sign_then_verify() {
        let secret = SigningSecret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        let k = V4aSigningKey::derive("AKIDEXAMPLE", &secret).unwrap();
        let sig = k.sign(b"string to sign").unwrap();
        let vk = k.verifying_key();
        assert!(vk.verify_digest(&sha256(b"string to sign"), &sig));
        assert!(!vk.verify_digest(&sha256(b"string to sigN"), &sig));
        assert!(!vk.verify_digest(&sha256(b"string to sign"), &sig[1..]));
        // Another key id, another key.
        let other = V4aVerifyingKey::derive("AKIDEXAMPLF", &secret).unwrap();
        assert_ne!(other, vk);
        assert!(!other.verify_digest(&sha256(b"string to sign"), &sig));
        assert_eq!(format!("{k:?}"), "***");
    }
}
