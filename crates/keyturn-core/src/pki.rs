//! Certificates and public keys as IAM reads them: PEM X.509 certificates and chains (server
//! and signing certificates), RSA private keys (PKCS#1 and PKCS#8) checked against a
//! certificate's public key, and SSH public keys ([`ssh`]).
//!
//! Parsing is RustCrypto's (`x509-cert`, `pkcs1`, `pkcs8`, on `der`/`spki`); this module only
//! decides what IAM accepts. Errors say what was wrong and never carry the key material.

/// The text of a file of `tests/data/pki/` (the certificates, keys and CSRs the tests read).
#[cfg(test)]
macro_rules! data {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/pki/",
            $name
        ))
    };
}

pub mod spiffe;
pub mod ssh;
pub mod svid;

use pkcs1::der::{Decode, DecodePem, Encode};
use time::OffsetDateTime;
use x509_cert::Certificate;

/// The OID of `rsaEncryption` (PKCS#1), the algorithm of RSA keys in SPKI and PKCS#8.
const RSA_ENCRYPTION: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// Why a certificate or key is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PkiError {
    /// The certificate is not one PEM-encoded X.509 certificate.
    #[error("the certificate is not a PEM-encoded X.509 certificate")]
    Certificate,
    /// The chain is not a list of PEM-encoded X.509 certificates.
    #[error("the certificate chain is not a list of PEM-encoded X.509 certificates")]
    Chain,
    /// The certificate's `notAfter` has passed.
    #[error("the certificate has expired")]
    Expired,
    /// The private key is not an unencrypted PEM RSA private key.
    #[error("the private key is not an unencrypted PEM-encoded RSA private key")]
    PrivateKey,
    /// The private key is not the one of the certificate's public key.
    #[error("the private key does not match the certificate's public key")]
    Mismatch,
    /// The text is in no SSH public key encoding IAM reads.
    #[error("the public key encoding is not recognized")]
    UnrecognizedEncoding,
    /// The SSH public key is malformed or not an RSA key.
    #[error("the public key is malformed")]
    InvalidPublicKey,
    /// The RSA key is shorter than IAM's minimum.
    #[error("the public key is shorter than {0} bits")]
    ShortKey(usize),
}

/// An RSA public key: modulus and exponent, big-endian without leading zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaKey {
    /// The modulus `n`.
    pub modulus: Vec<u8>,
    /// The public exponent `e`.
    pub exponent: Vec<u8>,
}

impl RsaKey {
    fn new(modulus: &[u8], exponent: &[u8]) -> Self {
        Self {
            modulus: strip(modulus).to_vec(),
            exponent: strip(exponent).to_vec(),
        }
    }

    /// The key's size in bits (of the modulus).
    pub fn bits(&self) -> usize {
        self.modulus.first().map_or(0, |top| {
            (self.modulus.len() - 1) * 8 + (8 - top.leading_zeros() as usize)
        })
    }

    /// Reads a DER `RSAPublicKey` (PKCS#1).
    fn from_pkcs1(der: &[u8]) -> Option<Self> {
        let k = pkcs1::RsaPublicKeyRef::from_der(der).ok()?;
        Some(Self::new(
            k.modulus.as_bytes(),
            k.public_exponent.as_bytes(),
        ))
    }

    /// Reads a DER `SubjectPublicKeyInfo` holding an RSA key.
    fn from_spki(spki: &pkcs8::SubjectPublicKeyInfoRef<'_>) -> Option<Self> {
        if spki.algorithm.oid != RSA_ENCRYPTION {
            return None;
        }
        Self::from_pkcs1(spki.subject_public_key.as_bytes()?)
    }
}

fn strip(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    bytes.get(zeros..).unwrap_or_default()
}

/// A certificate that parsed, with what IAM reads from it.
#[derive(Debug, Clone)]
pub struct ParsedCertificate {
    /// The DER encoding.
    pub der: Vec<u8>,
    /// `notAfter`.
    pub not_after: OffsetDateTime,
    /// The subject's RSA public key, when it is one.
    pub rsa: Option<RsaKey>,
}

fn read_certificate(cert: &Certificate) -> Option<ParsedCertificate> {
    let tbs = cert.tbs_certificate();
    let secs = tbs.validity().not_after.to_unix_duration().as_secs();
    let not_after = OffsetDateTime::from_unix_timestamp(i64::try_from(secs).ok()?).ok()?;
    let spki_der = tbs.subject_public_key_info().to_der().ok()?;
    let spki = pkcs8::SubjectPublicKeyInfoRef::from_der(&spki_der).ok()?;
    Some(ParsedCertificate {
        der: cert.to_der().ok()?,
        not_after,
        rsa: RsaKey::from_spki(&spki),
    })
}

impl ParsedCertificate {
    /// Checks that the certificate has not expired at `now`.
    ///
    /// # Errors
    /// [`PkiError::Expired`].
    pub fn check_current(&self, now: OffsetDateTime) -> Result<(), PkiError> {
        if self.not_after < now {
            Err(PkiError::Expired)
        } else {
            Ok(())
        }
    }
}

/// Parses one PEM certificate (surrounding whitespace ignored).
///
/// # Errors
/// [`PkiError::Certificate`] for anything but one PEM X.509 certificate.
pub fn parse_certificate(pem: &str) -> Result<ParsedCertificate, PkiError> {
    let cert = Certificate::from_pem(pem.trim().as_bytes()).map_err(|_| PkiError::Certificate)?;
    read_certificate(&cert).ok_or(PkiError::Certificate)
}

/// Parses one PEM certificate, as [`parse_certificate`], and checks that it has not expired at
/// `now`: what an upload accepts.
///
/// # Errors
/// As [`parse_certificate`]; [`PkiError::Expired`].
pub fn parse_current_certificate(
    pem: &str,
    now: OffsetDateTime,
) -> Result<ParsedCertificate, PkiError> {
    let parsed = parse_certificate(pem)?;
    parsed.check_current(now)?;
    Ok(parsed)
}

/// Parses a PEM chain: one or more certificates one after the other, with nothing but
/// whitespace around them; returns how many.
///
/// # Errors
/// [`PkiError::Chain`].
pub fn parse_chain(pem: &str) -> Result<usize, PkiError> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut rest = pem.trim();
    let mut count = 0;
    while !rest.is_empty() {
        if !rest.starts_with(BEGIN) {
            return Err(PkiError::Chain);
        }
        let end = rest.find(END).ok_or(PkiError::Chain)? + END.len();
        let block = rest.get(..end).ok_or(PkiError::Chain)?;
        let cert = Certificate::from_pem(block.as_bytes()).map_err(|_| PkiError::Chain)?;
        read_certificate(&cert).ok_or(PkiError::Chain)?;
        count += 1;
        rest = rest.get(end..).unwrap_or_default().trim_start();
    }
    if count == 0 {
        return Err(PkiError::Chain);
    }
    Ok(count)
}

/// Reads an unencrypted PEM RSA private key, `RSA PRIVATE KEY` (PKCS#1) or `PRIVATE KEY`
/// (PKCS#8), and returns its public half.
///
/// # Errors
/// [`PkiError::PrivateKey`].
pub fn private_key_public_half(pem: &str) -> Result<RsaKey, PkiError> {
    let (label, der) =
        pkcs1::der::pem::decode_vec(pem.trim().as_bytes()).map_err(|_| PkiError::PrivateKey)?;
    let pkcs1_der = match label {
        "RSA PRIVATE KEY" => der.clone(),
        "PRIVATE KEY" => {
            let info =
                pkcs8::PrivateKeyInfoRef::from_der(&der).map_err(|_| PkiError::PrivateKey)?;
            if info.algorithm.oid != RSA_ENCRYPTION {
                return Err(PkiError::PrivateKey);
            }
            info.private_key.as_bytes().to_vec()
        }
        _ => return Err(PkiError::PrivateKey),
    };
    let key = pkcs1::RsaPrivateKeyRef::from_der(&pkcs1_der).map_err(|_| PkiError::PrivateKey)?;
    Ok(RsaKey::new(
        key.modulus.as_bytes(),
        key.public_exponent.as_bytes(),
    ))
}

/// Checks that the PEM private key `pem` is the one of `cert`'s public key.
///
/// # Errors
/// [`PkiError::PrivateKey`] for a key that does not parse; [`PkiError::Mismatch`].
pub fn check_key_pair(cert: &ParsedCertificate, pem: &str) -> Result<(), PkiError> {
    let public = private_key_public_half(pem)?;
    match &cert.rsa {
        Some(rsa) if *rsa == public => Ok(()),
        _ => Err(PkiError::Mismatch),
    }
}

#[cfg(test)]
mod tests;
