//! Chunk and trailer signatures of both algorithms, chosen once when a body's verifier is
//! built.
//!
//! SigV4 (`AWS4-HMAC-SHA256-PAYLOAD`, `-TRAILER`): each signature is the 32-byte HMAC of the
//! string to sign under the request's signing key, sent as 64 hex digits.
//!
//! SigV4a (`AWS4-ECDSA-P256-SHA256-PAYLOAD`, `-TRAILER`): each is a DER-encoded ECDSA P-256
//! signature of SHA-256(string to sign) under the key derived from the secret, sent in hex
//! (70 to 144 digits; AWS's SDKs pad it with `*` to 144 so that chunk headers have a fixed
//! size). The previous signature enters the next string to sign as its hex, padding removed.

use crate::crypto::{EMPTY_SHA256_HEX, Sha256Stream, SigningKey, ct_eq32, unhex32};
use crate::v4a::V4aVerifyingKey;

/// The longest DER encoding of a P-256 ECDSA signature.
const MAX_DER_LEN: usize = 72;
/// The padding byte AWS's SDKs append to SigV4a chunk signatures.
const PADDING: u8 = b'*';

/// The key that checks chunk signatures, with the seed signature (the request's own) that the
/// first chunk's signature chains from.
#[derive(Clone, Debug)]
pub enum ChunkSigning<'a> {
    /// SigV4: the request's signing key and its signature.
    Hmac {
        /// The signing key of the request's date, region and service.
        key: SigningKey,
        /// The request's signature.
        seed: [u8; 32],
    },
    /// SigV4a: the public key derived from the secret and the request's signature.
    Ecdsa {
        /// The caller's public key.
        key: V4aVerifyingKey,
        /// The request's signature, DER-encoded (the hex of `Signature=` decoded).
        seed: &'a [u8],
    },
}

/// A signature as read from a chunk header or a trailer: 32 bytes (SigV4) or DER (SigV4a).
#[derive(Clone, Copy)]
pub(super) struct Sig {
    bytes: [u8; MAX_DER_LEN],
    len: u8,
}

impl Sig {
    pub(super) const EMPTY: Self = Self {
        bytes: [0; MAX_DER_LEN],
        len: 0,
    };

    fn from_bytes(b: &[u8]) -> Option<Self> {
        let mut s = Self::EMPTY;
        s.bytes.get_mut(..b.len())?.copy_from_slice(b);
        s.len = u8::try_from(b.len()).ok()?;
        Some(s)
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    fn as_32(&self) -> Option<&[u8; 32]> {
        self.as_bytes().try_into().ok()
    }
}

#[derive(Clone)]
enum Key {
    Hmac(SigningKey),
    Ecdsa(V4aVerifyingKey),
}

/// What the signed forms need to check chunk signatures.
#[derive(Clone)]
pub(super) struct ChunkSigner {
    key: Key,
    amz_date: String,
    scope: String,
    previous: Sig,
}

impl std::fmt::Debug for ChunkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChunkSigner")
            .field("ecdsa", &self.is_ecdsa())
            .finish_non_exhaustive()
    }
}

impl ChunkSigner {
    /// The signer of `signing`, for `X-Amz-Date` `amz_date` and the credential scope `scope`
    /// (the credential without its access key id); `None` for a SigV4a seed that is no DER
    /// signature's length.
    pub(super) fn new(signing: ChunkSigning<'_>, amz_date: &str, scope: &str) -> Option<Self> {
        let (key, previous) = match signing {
            ChunkSigning::Hmac { key, seed } => (Key::Hmac(key), Sig::from_bytes(&seed)?),
            ChunkSigning::Ecdsa { key, seed } => (Key::Ecdsa(key), Sig::from_bytes(seed)?),
        };
        Some(Self {
            key,
            amz_date: amz_date.to_owned(),
            scope: scope.to_owned(),
            previous,
        })
    }

    /// Whether this is SigV4a.
    pub(super) fn is_ecdsa(&self) -> bool {
        matches!(self.key, Key::Ecdsa(_))
    }

    /// Decodes a signature as sent (hex; SigV4a's may carry `*` padding); `None` when it is
    /// not one of this algorithm's.
    pub(super) fn parse(&self, sent: &[u8]) -> Option<Sig> {
        match self.key {
            Key::Hmac(_) => unhex32(sent).and_then(|s| Sig::from_bytes(&s)),
            Key::Ecdsa(_) => {
                let end = sent
                    .iter()
                    .rposition(|&b| b != PADDING)
                    .map_or(0, |i| i + 1);
                let hex = &sent[..end];
                if hex.is_empty() || !hex.len().is_multiple_of(2) || hex.len() > 2 * MAX_DER_LEN {
                    return None;
                }
                let mut s = Sig::EMPTY;
                let len = hex.len() / 2;
                hex::decode_to_slice(hex, &mut s.bytes[..len]).ok()?;
                s.len = u8::try_from(len).ok()?;
                Some(s)
            }
        }
    }

    /// Whether `sig` signs the string to sign `head\ndate\nscope\nprevious\n` + the `rest`
    /// lines; on success it becomes the previous signature.
    pub(super) fn check(&mut self, head: Head, rest: &[&[u8]], sig: &Sig) -> bool {
        let ok = match &self.key {
            Key::Hmac(key) => {
                let (Some(previous), Some(sent)) = (self.previous.as_32(), sig.as_32()) else {
                    return false;
                };
                let k = key.hmac_key();
                let mut s = k.start::<4>();
                s.update(head.hmac());
                self.feed_date_scope(&mut s);
                s.update_hex32(previous);
                feed_lines(&mut s, rest);
                ct_eq32(&k.finish(&mut s), sent)
            }
            Key::Ecdsa(key) => {
                let mut s = Sha256Stream::<4>::new_buffered();
                s.update(head.ecdsa());
                self.feed_date_scope(&mut s);
                let mut hex = [0u8; 2 * MAX_DER_LEN];
                let prev = self.previous.as_bytes();
                let hex = &mut hex[..2 * prev.len()];
                if hex::encode_to_slice(prev, hex).is_err() {
                    return false;
                }
                s.update(hex);
                feed_lines(&mut s, rest);
                key.verify_digest(&s.finalize(), sig.as_bytes())
            }
        };
        if ok {
            self.previous = *sig;
        }
        ok
    }

    fn feed_date_scope<const B: usize>(&self, s: &mut Sha256Stream<B>) {
        for piece in [
            self.amz_date.as_bytes(),
            b"\n",
            self.scope.as_bytes(),
            b"\n",
        ] {
            s.update(piece);
        }
    }

    /// Checks a chunk's signature; `data_hash` is the hex SHA-256 of its data.
    pub(super) fn check_chunk(&mut self, data_hash: &[u8; 64], sig: &Sig) -> bool {
        self.check(
            Head::Payload,
            &[EMPTY_SHA256_HEX.as_bytes(), data_hash],
            sig,
        )
    }

    /// Checks the trailer's signature; `block_hash` is the hex SHA-256 of the trailing headers
    /// as `name:value\n` lines.
    pub(super) fn check_trailer(&mut self, block_hash: &[u8; 64], sig: &Sig) -> bool {
        self.check(Head::Trailer, &[block_hash], sig)
    }
}

/// The first line of a chunk's or the trailer's string to sign.
#[derive(Clone, Copy)]
pub(super) enum Head {
    Payload,
    Trailer,
}

impl Head {
    const fn hmac(self) -> &'static [u8] {
        match self {
            Self::Payload => b"AWS4-HMAC-SHA256-PAYLOAD\n",
            Self::Trailer => b"AWS4-HMAC-SHA256-TRAILER\n",
        }
    }

    const fn ecdsa(self) -> &'static [u8] {
        match self {
            Self::Payload => b"AWS4-ECDSA-P256-SHA256-PAYLOAD\n",
            Self::Trailer => b"AWS4-ECDSA-P256-SHA256-TRAILER\n",
        }
    }
}

fn feed_lines<const B: usize>(s: &mut Sha256Stream<B>, rest: &[&[u8]]) {
    for piece in rest {
        s.update(b"\n");
        s.update(piece);
    }
}

/// The hex SHA-256 of `data` (tests).
#[cfg(test)]
pub(super) fn sha256_hex(data: &[u8]) -> [u8; 64] {
    crate::crypto::hex32(&crate::crypto::sha256(data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{SigningSecret, sha256};
    use crate::v4a::V4aSigningKey;

    const AMZ: &str = "20130524T000000Z";
    const SCOPE: &str = "20130524/s3/aws4_request";

    fn chunk_sts(prev_hex: &str, data: &[u8]) -> String {
        format!(
            "AWS4-ECDSA-P256-SHA256-PAYLOAD\n{AMZ}\n{SCOPE}\n{prev_hex}\n{EMPTY_SHA256_HEX}\n{}",
            hex::encode(sha256(data))
        )
    }

    #[test]
    fn ecdsa_chain_with_padding() {
        let secret = SigningSecret::new("secret");
        let sk = V4aSigningKey::derive("AKID", &secret).unwrap();
        let seed = sk.sign(b"seed").unwrap();
        let mut signer = ChunkSigner::new(
            ChunkSigning::Ecdsa {
                key: sk.verifying_key(),
                seed: &seed,
            },
            AMZ,
            SCOPE,
        )
        .unwrap();
        assert!(signer.is_ecdsa());
        let first = sk
            .sign(chunk_sts(&hex::encode(&seed), b"data").as_bytes())
            .unwrap();
        let mut sent = hex::encode(&first).into_bytes();
        sent.resize(144, b'*');
        let sig = signer.parse(&sent).unwrap();
        // Another chunk's data fails; the right data passes and chains.
        assert!(!signer.check_chunk(&sha256_hex(b"datA"), &sig));
        assert!(signer.check_chunk(&sha256_hex(b"data"), &sig));
        let second = sk
            .sign(chunk_sts(&hex::encode(&first), b"").as_bytes())
            .unwrap();
        let sig2 = signer.parse(hex::encode(&second).as_bytes()).unwrap();
        assert!(signer.check_chunk(&sha256_hex(b""), &sig2));
        // Garbled hex, odd lengths, over-long: no signature.
        for bad in [&b"zz"[..], b"abc", b"", b"****", &[b'a'; 146]] {
            assert!(signer.parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn hmac_rejects_ecdsa_lengths() {
        let key = SigningKey::from_bytes(b"k");
        let signer =
            ChunkSigner::new(ChunkSigning::Hmac { key, seed: [1; 32] }, AMZ, SCOPE).unwrap();
        assert!(signer.parse(&[b'a'; 64]).is_some());
        assert!(signer.parse(&[b'a'; 70]).is_none());
        assert!(signer.parse(&[b'*'; 64]).is_none());
    }
}
