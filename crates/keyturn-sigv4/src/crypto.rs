//! Crypto primitives: SHA-256, HMAC-SHA256, hex on the stack, the secret and the derived signing key.

use std::sync::Arc;

use sha2::block_api::compress256;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

/// SHA-256's initial state.
const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// Streaming SHA-256 straight over the compression function: a 32-byte state and a buffer of
/// `B` 64-byte blocks, so it is cheap to create, copy and finish (the `digest` wrappers move and
/// zero far more). Also resumes from a precomputed state, which is how HMAC keys are held.
///
/// With `B > 1`, many small pieces (a canonical request) are gathered and then compressed in
/// one call over several blocks, and padding is written in place: fewer calls, fewer copies.
#[derive(Clone)]
pub(crate) struct Sha256Stream<const B: usize = 1> {
    state: [u32; 8],
    /// The buffered bytes; bytes past `pos` are always zero.
    blocks: [[u8; 64]; B],
    /// Bytes buffered, always below `64 * B`.
    pos: usize,
    /// Bytes already folded into `state` (including any prefix of a resumed state): the
    /// total fed is this plus `pos`, so the fast path only moves `pos`.
    done: u64,
}

impl Sha256Stream {
    /// A fresh hash with a one-block buffer.
    pub(crate) const fn new() -> Self {
        Self::resume(IV, 0)
    }
}

impl<const B: usize> Sha256Stream<B> {
    /// A fresh hash.
    pub(crate) const fn new_buffered() -> Self {
        Self::resume(IV, 0)
    }

    /// Continues from `state`, reached after hashing `done` bytes (a multiple of 64).
    const fn resume(state: [u32; 8], done: u64) -> Self {
        Self {
            state,
            blocks: [[0; 64]; B],
            pos: 0,
            done,
        }
    }

    /// Feeds bytes.
    #[inline]
    pub(crate) fn update(&mut self, data: &[u8]) {
        let pos = self.pos;
        if pos + data.len() < 64 * B {
            self.blocks.as_flattened_mut()[pos..pos + data.len()].copy_from_slice(data);
            self.pos = pos + data.len();
            return;
        }
        self.update_slow(data);
    }

    /// Feeds the 64 lower-case hex digits of `bytes`, written straight into the buffer when
    /// they fit (same result as `update(&hex32(bytes))`).
    #[inline]
    pub(crate) fn update_hex32(&mut self, bytes: &[u8; 32]) {
        let pos = self.pos;
        if pos + 64 < 64 * B
            && let Some((dst, _)) = self.blocks.as_flattened_mut()[pos..].split_first_chunk_mut()
        {
            hex32_into(bytes, dst);
            self.pos = pos + 64;
            return;
        }
        self.update(&hex32(bytes));
    }

    #[inline(never)]
    fn update_slow(&mut self, data: &[u8]) {
        let (head, rest) = data.split_at((64 * B - self.pos).min(data.len()));
        let buf = self.blocks.as_flattened_mut();
        buf[self.pos..self.pos + head.len()].copy_from_slice(head);
        self.pos += head.len();
        if self.pos < 64 * B {
            return;
        }
        compress256(&mut self.state, &self.blocks);
        let (blocks, tail) = rest.as_chunks::<64>();
        if !blocks.is_empty() {
            compress256(&mut self.state, blocks);
        }
        // Lossless: a slice's length fits in a `u64`.
        let compressed = 64 * B + 64 * blocks.len();
        self.done = self.done.wrapping_add(compressed as u64);
        // Keep the invariant: bytes past the buffered ones are zero.
        self.blocks = [[0; 64]; B];
        self.blocks.as_flattened_mut()[..tail.len()].copy_from_slice(tail);
        self.pos = tail.len();
    }

    /// Pads and returns the digest. Takes the stream by reference (moving a multi-block
    /// buffer into a call costs a copy) and leaves it spent: feed it no more.
    pub(crate) fn finalize(&mut self) -> [u8; 32] {
        let pos = self.pos;
        let bits = self
            .done
            .wrapping_add(pos as u64)
            .wrapping_mul(8)
            .to_be_bytes();
        // Bytes past `pos` are already zero (see `update_slow`), and `pos < 64 * B`.
        let buf = self.blocks.as_flattened_mut();
        buf[pos] = 0x80;
        // Blocks holding data and the 0x80; the length needs 8 more bytes at the end.
        let used = pos / 64 + 1;
        let total = if pos % 64 < 56 { used } else { used + 1 };
        if total <= B {
            buf[total * 64 - 8..total * 64].copy_from_slice(&bits);
            compress256(&mut self.state, &self.blocks[..total]);
        } else {
            compress256(&mut self.state, &self.blocks);
            let mut last = [0u8; 64];
            last[56..].copy_from_slice(&bits);
            compress256(&mut self.state, std::slice::from_ref(&last));
        }
        digest(&self.state)
    }
}

fn digest(state: &[u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (dst, w) in out.chunks_exact_mut(4).zip(state) {
        dst.copy_from_slice(&w.to_be_bytes());
    }
    out
}

/// An HMAC-SHA256 key held as its two precomputed states (after the ipad and opad blocks), so a
/// MAC costs only the message's compressions plus one, and copying a key is 64 bytes.
#[derive(Clone)]
pub(crate) struct HmacKey {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl HmacKey {
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut k = Zeroizing::new([0u8; 64]);
        if key.len() > 64 {
            k[..32].copy_from_slice(&sha256(key));
        } else {
            k[..key.len()].copy_from_slice(key);
        }
        let mut pad = Zeroizing::new([0u8; 64]);
        let mut state = |byte: u8| {
            for (p, b) in pad.iter_mut().zip(k.iter()) {
                *p = b ^ byte;
            }
            let mut s = IV;
            compress256(&mut s, std::slice::from_ref(&*pad));
            s
        };
        let (inner, outer) = (state(0x36), state(0x5c));
        Self { inner, outer }
    }

    /// The inner hash, ready for the message, with a buffer of `B` blocks.
    pub(crate) fn start<const B: usize>(&self) -> Sha256Stream<B> {
        Sha256Stream::resume(self.inner, 64)
    }

    /// Completes a MAC begun with [`Self::start`].
    pub(crate) fn finish<const B: usize>(&self, inner: &mut Sha256Stream<B>) -> [u8; 32] {
        // The outer hash is one block: the inner digest, padding, and the length of the opad
        // block plus the digest (96 bytes).
        let mut block = [0u8; 64];
        block[..32].copy_from_slice(&inner.finalize());
        block[32] = 0x80;
        block[56..].copy_from_slice(&(96u64 * 8).to_be_bytes());
        let mut state = self.outer;
        compress256(&mut state, std::slice::from_ref(&block));
        digest(&state)
    }

    pub(crate) fn mac(&self, msg: &[u8]) -> [u8; 32] {
        let mut s = self.start::<1>();
        s.update(msg);
        self.finish(&mut s)
    }
}

impl Drop for HmacKey {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

/// Hex digits of SHA-256(empty string), the payload hash of a request without a body.
pub const EMPTY_SHA256_HEX: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// A secret access key. Its `Debug` prints `***`; its memory is wiped on drop.
///
/// Cloning shares the bytes (a reference count, no copy): credential lookups hand out clones on
/// every request, and the key cache keeps one.
#[derive(Clone)]
pub struct SigningSecret(Arc<Zeroizing<Box<[u8]>>>);

impl SigningSecret {
    /// Wraps a secret access key (e.g. `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`).
    #[must_use]
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        Self(Arc::new(Zeroizing::new(secret.as_ref().into())))
    }

    /// The secret's bytes, for key derivation.
    #[must_use]
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Constant-time equality (length may leak, content does not).
    #[must_use]
    pub fn ct_eq(&self, other: &Self) -> bool {
        // Clones of one secret share their bytes: equal without reading them (this reveals
        // only that the two are the same allocation).
        if Arc::ptr_eq(&self.0, &other.0) {
            return true;
        }
        let (a, b) = (self.expose(), other.expose());
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

/// The derived SigV4 signing key for one (date, region, service), held as ready HMAC states
/// (64 bytes, wiped on drop) so that signing a string costs only the message's compressions.
#[derive(Clone)]
pub struct SigningKey {
    mac: HmacKey,
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
        Self {
            mac: HmacKey::new(key),
        }
    }

    /// HMAC-SHA256 of `msg` under this key.
    #[must_use]
    pub fn sign(&self, msg: &[u8]) -> [u8; 32] {
        self.mac.mac(msg)
    }

    /// The MAC key itself, for callers that feed the string to sign piecewise.
    pub(crate) fn hmac_key(&self) -> &HmacKey {
        &self.mac
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// One-shot HMAC-SHA256.
#[must_use]
pub fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    HmacKey::new(key).mac(msg)
}

/// One-shot SHA-256.
#[must_use]
pub fn sha256(data: &[u8]) -> [u8; 32] {
    // Whole blocks straight from the input, then the tail and padding in one or two blocks.
    let mut state = IV;
    let (blocks, tail) = data.as_chunks::<64>();
    if !blocks.is_empty() {
        compress256(&mut state, blocks);
    }
    let mut last = [[0u8; 64]; 2];
    let buf = last.as_flattened_mut();
    buf[..tail.len()].copy_from_slice(tail);
    buf[tail.len()] = 0x80;
    let n = if tail.len() < 56 { 1 } else { 2 };
    let bits = (data.len() as u64).wrapping_mul(8);
    buf[n * 64 - 8..n * 64].copy_from_slice(&bits.to_be_bytes());
    compress256(&mut state, &last[..n]);
    digest(&state)
}

/// Lower-case hex of 32 bytes, on the stack.
#[must_use]
pub fn hex32(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    hex32_into(bytes, &mut out);
    out
}

/// [`hex32`] into a caller's buffer.
#[inline]
pub(crate) fn hex32_into(bytes: &[u8; 32], out: &mut [u8; 64]) {
    // High and low digits in two arrays (each loop a few vector operations), then one
    // interleaving pass (unpack instructions); digits by arithmetic, no table.
    let digit = |n: u8| n + b'0' + if n > 9 { b'a' - b'0' - 10 } else { 0 };
    let mut hi = [0u8; 32];
    let mut lo = [0u8; 32];
    for ((h, l), b) in hi.iter_mut().zip(&mut lo).zip(bytes) {
        *h = digit(b >> 4);
        *l = digit(b & 0x0f);
    }
    for ((pair, h), l) in out.as_chunks_mut::<2>().0.iter_mut().zip(hi).zip(lo) {
        *pair = [h, l];
    }
}

/// Decodes 64 hex digits (either case) into 32 bytes.
#[must_use]
pub fn unhex32(s: &[u8]) -> Option<[u8; 32]> {
    let s: &[u8; 64] = s.try_into().ok()?;
    // Branch-free per digit (vectorises): the value as a decimal digit or as a letter, and a
    // flag for bytes that are neither.
    let mut nibbles = [0u8; 64];
    let mut bad = false;
    for (n, &c) in nibbles.iter_mut().zip(s) {
        let digit = c.wrapping_sub(b'0');
        let letter = (c | 0x20).wrapping_sub(b'a');
        let is_digit = digit < 10;
        let is_letter = letter < 6;
        bad |= !(is_digit | is_letter);
        *n = if is_digit {
            digit
        } else {
            letter.wrapping_add(10)
        };
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(nibbles.as_chunks::<2>().0) {
        *o = (pair[0] << 4) | (pair[1] & 0x0f);
    }
    (!bad).then_some(out)
}

/// Constant-time equality of two 32-byte values.
#[must_use]
pub fn ct_eq32(a: &[u8; 32], b: &[u8; 32]) -> bool {
    // Branch-free OR-fold, then one constant-time test (as in `SigningSecret::ct_eq`).
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    bool::from(diff.ct_eq(&0))
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
    fn secret_equality() {
        let a = SigningSecret::new("one");
        assert!(a.ct_eq(&a.clone()));
        assert!(a.ct_eq(&SigningSecret::new("one")));
        assert!(!a.ct_eq(&SigningSecret::new("two")));
        assert!(!a.ct_eq(&SigningSecret::new("one!")));
        assert!(!a.ct_eq(&SigningSecret::new("")));
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
    fn matches_rustcrypto_at_every_length() {
        use hmac::{KeyInit, Mac};
        use sha2::Digest;
        let data: Vec<u8> = (0..700u32).map(|i| (i * 31 % 251) as u8).collect();
        for n in 0..data.len() {
            let msg = &data[..n];
            let want: [u8; 32] = sha2::Sha256::digest(msg).into();
            assert_eq!(sha256(msg), want, "sha256 len {n}");
            // Streaming in uneven pieces, small and large, agrees with one shot.
            for size in [n % 7 + 1, 60 + n % 11, 250 + n % 13, 300] {
                let mut s = Sha256Stream::new();
                for piece in msg.chunks(size) {
                    s.update(piece);
                }
                assert_eq!(s.finalize(), want, "streamed len {n} in pieces of {size}");
                // Multi-block buffers: every fill level meets every padding case.
                let mut s3 = Sha256Stream::<3>::new_buffered();
                let mut s4 = Sha256Stream::<4>::new_buffered();
                for piece in msg.chunks(size) {
                    s3.update(piece);
                    s4.update(piece);
                }
                assert_eq!(s3.finalize(), want, "3 blocks, len {n} in pieces of {size}");
                assert_eq!(s4.finalize(), want, "4 blocks, len {n} in pieces of {size}");
            }
            // Keys shorter than, equal to and longer than a block.
            let key = &data[n / 2..(n / 2 + n % 97).min(data.len())];
            let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
            m.update(msg);
            let want: [u8; 32] = m.finalize().into_bytes().into();
            assert_eq!(hmac(key, msg), want, "hmac len {n} key {}", key.len());
        }
    }

    /// Hex digits fed in place agree with hex fed as bytes, at every buffer fill level
    /// (including those where the digits do not fit and take the general path).
    #[test]
    fn hex_fed_in_place() {
        let digest = sha256(b"abc");
        let hex = hex32(&digest);
        for prefix in 0..400usize {
            let data: Vec<u8> = (0..prefix).map(|i| (i * 13 % 256) as u8).collect();
            let mut a = Sha256Stream::<3>::new_buffered();
            let mut b = Sha256Stream::<1>::new();
            a.update(&data);
            b.update(&data);
            a.update_hex32(&digest);
            b.update_hex32(&digest);
            let want = sha256(&[data.as_slice(), &hex].concat());
            assert_eq!(a.finalize(), want, "prefix {prefix}");
            assert_eq!(b.finalize(), want, "prefix {prefix}");
        }
    }

    /// HMAC streams with a multi-block buffer agree with the one-block ones.
    #[test]
    fn hmac_buffered_matches() {
        let key = HmacKey::new(b"key");
        for n in 0..300usize {
            let msg: Vec<u8> = (0..n).map(|i| (i * 7 % 256) as u8).collect();
            let mut s = key.start::<3>();
            for piece in msg.chunks(17) {
                s.update(piece);
            }
            assert_eq!(key.finish(&mut s), hmac(b"key", &msg), "len {n}");
        }
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

    #[test]
    fn hex_every_byte_value() {
        let bytes: [u8; 32] = std::array::from_fn(|i| (i * 8 + 3) as u8);
        for b in 0..=255u8 {
            let mut v = bytes;
            v[5] = b;
            assert_eq!(hex_str(&hex32(&v)), hex::encode(v));
            let mut x = hex32(&v);
            for c in 0..=255u8 {
                x[11] = c;
                let want = hex::decode(x)
                    .ok()
                    .and_then(|d| <[u8; 32]>::try_from(d).ok());
                assert_eq!(unhex32(&x), want, "{c}");
            }
        }
    }
}
