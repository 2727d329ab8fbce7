//! SSH public keys as IAM's UploadSSHPublicKey reads them: `ssh-rsa` keys in the OpenSSH
//! encoding (`ssh-rsa AAAA… comment`) or a PEM encoding (RFC 4716's `---- BEGIN SSH2 PUBLIC
//! KEY ----`, and the `-----BEGIN PUBLIC KEY-----`/`-----BEGIN RSA PUBLIC KEY-----` PEM of
//! the same RSA key), at least 2,048 bits.
//!
//! The key's SSH wire form (RFC 4253 §6.6: `string "ssh-rsa"`, `mpint e`, `mpint n`) is what
//! the fingerprint (MD5, colon-separated hex, as `ssh-keygen -E md5` prints it) and both
//! answer encodings (GetSSHPublicKey's `SSH` and `PEM`) are made from.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest, Md5};

use super::{PkiError, RsaKey};

/// IAM's minimum size of an SSH public key, in bits.
pub const MIN_BITS: usize = 2048;

const ALGORITHM: &str = "ssh-rsa";
const SSH2_BEGIN: &str = "---- BEGIN SSH2 PUBLIC KEY ----";
const SSH2_END: &str = "---- END SSH2 PUBLIC KEY ----";
/// RFC 4716's line length for the base64 body.
const SSH2_LINE: usize = 70;

/// An `ssh-rsa` public key that IAM accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshRsaKey {
    key: RsaKey,
    blob: Vec<u8>,
}

impl SshRsaKey {
    /// Reads `text` in any of the encodings this module names.
    ///
    /// # Errors
    /// [`PkiError::UnrecognizedEncoding`] for text in none of them (an X.509 certificate, a
    /// private key, another algorithm); [`PkiError::InvalidPublicKey`] for a malformed key;
    /// [`PkiError::ShortKey`] below 2,048 bits.
    pub fn parse(text: &str) -> Result<Self, PkiError> {
        let text = text.trim();
        let key = if text.starts_with(SSH2_BEGIN) {
            from_blob(&ssh2_body(text)?)?
        } else if text.starts_with("-----BEGIN ") {
            from_pem(text)?
        } else {
            from_openssh(text)?
        };
        if key.bits() < MIN_BITS {
            return Err(PkiError::ShortKey(MIN_BITS));
        }
        let blob = to_blob(&key);
        Ok(Self { key, blob })
    }

    /// The key's size in bits.
    pub fn bits(&self) -> usize {
        self.key.bits()
    }

    /// The MD5 fingerprint of the wire form: 16 bytes as colon-separated lowercase hex.
    pub fn fingerprint(&self) -> String {
        let digest = Md5::digest(&self.blob);
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":")
    }

    /// The OpenSSH encoding, `ssh-rsa BASE64` (no comment).
    pub fn openssh(&self) -> String {
        format!("{ALGORITHM} {}", STANDARD.encode(&self.blob))
    }

    /// The PEM encoding (RFC 4716): the armour lines around the base64 wire form, 70 characters
    /// a line.
    pub fn ssh2(&self) -> String {
        let body = STANDARD.encode(&self.blob);
        let mut out = String::with_capacity(body.len() + 80);
        out.push_str(SSH2_BEGIN);
        out.push('\n');
        for chunk in body.as_bytes().chunks(SSH2_LINE) {
            out.push_str(&String::from_utf8_lossy(chunk));
            out.push('\n');
        }
        out.push_str(SSH2_END);
        out
    }
}

fn from_openssh(text: &str) -> Result<RsaKey, PkiError> {
    let mut fields = text.split_whitespace();
    let algorithm = fields.next().ok_or(PkiError::UnrecognizedEncoding)?;
    let Some(body) = fields.next() else {
        return Err(PkiError::UnrecognizedEncoding);
    };
    if algorithm != ALGORITHM {
        return Err(PkiError::UnrecognizedEncoding);
    }
    let blob = STANDARD
        .decode(body)
        .map_err(|_| PkiError::InvalidPublicKey)?;
    from_blob(&blob)
}

/// The base64 body of an RFC 4716 key, its headers (`Name: value`, continued by a trailing
/// `\`) skipped.
fn ssh2_body(text: &str) -> Result<Vec<u8>, PkiError> {
    let inner = text
        .strip_prefix(SSH2_BEGIN)
        .and_then(|t| t.trim_end().strip_suffix(SSH2_END))
        .ok_or(PkiError::InvalidPublicKey)?;
    let mut body = String::new();
    let mut continued = false;
    for line in inner.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if continued || line.contains(':') {
            continued = line.ends_with('\\');
            continue;
        }
        body.push_str(line);
    }
    STANDARD
        .decode(body)
        .map_err(|_| PkiError::InvalidPublicKey)
}

fn from_pem(text: &str) -> Result<RsaKey, PkiError> {
    let (label, der) =
        pkcs1::der::pem::decode_vec(text.as_bytes()).map_err(|_| PkiError::UnrecognizedEncoding)?;
    let key = match label {
        "PUBLIC KEY" => {
            use pkcs1::der::Decode;
            let spki = pkcs8::SubjectPublicKeyInfoRef::from_der(&der)
                .map_err(|_| PkiError::InvalidPublicKey)?;
            RsaKey::from_spki(&spki)
        }
        "RSA PUBLIC KEY" => RsaKey::from_pkcs1(&der),
        _ => return Err(PkiError::UnrecognizedEncoding),
    };
    key.ok_or(PkiError::InvalidPublicKey)
}

/// Reads the wire form: `string "ssh-rsa"`, `mpint e`, `mpint n`, nothing after.
fn from_blob(blob: &[u8]) -> Result<RsaKey, PkiError> {
    let mut rest = blob;
    let algorithm = field(&mut rest)?;
    if algorithm != ALGORITHM.as_bytes() {
        return Err(PkiError::InvalidPublicKey);
    }
    let e = field(&mut rest)?;
    let n = field(&mut rest)?;
    // A positive mpint has no sign bit set; `e` and `n` are positive.
    let negative = |m: &[u8]| m.first().is_some_and(|b| b & 0x80 != 0);
    if !rest.is_empty() || e.is_empty() || n.is_empty() || negative(e) || negative(n) {
        return Err(PkiError::InvalidPublicKey);
    }
    Ok(RsaKey::new(n, e))
}

/// One `uint32` length-prefixed field of the wire form.
fn field<'a>(rest: &mut &'a [u8]) -> Result<&'a [u8], PkiError> {
    let (len, tail) = rest
        .split_first_chunk::<4>()
        .ok_or(PkiError::InvalidPublicKey)?;
    let len = usize::try_from(u32::from_be_bytes(*len)).map_err(|_| PkiError::InvalidPublicKey)?;
    let value = tail.get(..len).ok_or(PkiError::InvalidPublicKey)?;
    *rest = tail.get(len..).unwrap_or_default();
    Ok(value)
}

fn to_blob(key: &RsaKey) -> Vec<u8> {
    let mut out = Vec::with_capacity(key.modulus.len() + 32);
    put(&mut out, ALGORITHM.as_bytes(), false);
    put(&mut out, &key.exponent, true);
    put(&mut out, &key.modulus, true);
    out
}

/// Appends a `string` (or, `mpint`, a positive `mpint`: a zero byte before a set top bit).
fn put(out: &mut Vec<u8>, value: &[u8], mpint: bool) {
    let pad = mpint && value.first().is_some_and(|b| b & 0x80 != 0);
    let len = value.len() + usize::from(pad);
    out.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes());
    if pad {
        out.push(0);
    }
    out.extend_from_slice(value);
}
