//! X.509-SVIDs: the certificates GetCertificate issues.
//!
//! [`read_csr`] reads a PEM PKCS#10 request and verifies its signature with the key it carries
//! (STS takes only that public key from it); [`issue_svid`] signs a leaf for a SPIFFE ID with
//! a provider's CA key ([`CaSigningKey`]): an empty subject DN, one critical URI SAN, `cA`
//! false, digital signature (and key encipherment for an RSA key), client and server
//! authentication, the subject and authority key identifiers.
//!
//! RustCrypto throughout: `x509-cert`'s builder (its `builder` feature adds no crate to the
//! graph: `sha1` and `signature` are already in it), `p256`, `p384` and `rsa` for the keys.

use std::time::{Duration, SystemTime};

use pkcs8::der::asn1::Ia5String;
use pkcs8::der::{DecodePem as _, Encode as _, EncodePem as _};
use pkcs8::spki::{SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use pkcs8::{DecodePublicKey as _, LineEnding};
use sha2::Digest as _;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::builder::{CertificateBuilder, Profile};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::ext::{Extension, ToExtension as _};
use x509_cert::name::Name;
use x509_cert::request::CertReq;
use x509_cert::serial_number::SerialNumber;

use super::RSA_ENCRYPTION;
use crate::iam::workload_ca::CaSigningKey;
use x509_cert::time::{Time, Validity};

/// The longest CSR GetCertificate takes (the model's `certificateSigningRequestType`).
pub const MAX_CSR_LEN: usize = 32_768;

/// `id-ecPublicKey`, the algorithm of EC keys in SPKI.
pub(crate) const EC_PUBLIC_KEY: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// The named curve P-256 (`prime256v1`).
pub(crate) const P256_CURVE: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// The named curve P-384 (`secp384r1`).
pub(crate) const P384_CURVE: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.3.132.0.34");
const ECDSA_SHA256: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_SHA512: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
const RSA_SHA256: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const RSA_SHA384: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const RSA_SHA512: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const SERVER_AUTH: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
const CLIENT_AUTH: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");

/// Why a CSR or a certificate is refused or cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SvidError {
    /// The CSR is blank, too long, or not one PEM-encoded PKCS#10 request.
    #[error("the certificate signing request is not a PEM-encoded PKCS #10 request")]
    Unreadable,
    /// The CSR's signature does not verify with its own public key.
    #[error("the signature of the certificate signing request doesn't verify")]
    BadSignature,
    /// The CSR's key is not P-256, P-384 or RSA of 2,048 to 4,096 bits, or its signature
    /// algorithm is not one of ECDSA/RSA PKCS #1 v1.5 with SHA-256/384/512.
    #[error("the key type or key size of the certificate signing request isn't supported")]
    UnsupportedKey,
    /// The CA certificate does not read, or the SPIFFE ID, a date or the encoding failed.
    #[error("the certificate could not be built")]
    Build,
}

/// The CSR's key, after its signature verified: what the issued certificate certifies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsrKey {
    spki: SubjectPublicKeyInfoOwned,
    rsa: bool,
}

/// A hash function over a message, giving its digest.
type DigestFn = fn(&[u8]) -> Vec<u8>;

/// The digest of the signature algorithm `alg` (ECDSA or RSA PKCS #1 v1.5 with SHA-2).
fn digest_for(alg: &pkcs8::ObjectIdentifier) -> Option<DigestFn> {
    let f: DigestFn = match *alg {
        a if a == ECDSA_SHA256 || a == RSA_SHA256 => |m| sha2::Sha256::digest(m).to_vec(),
        a if a == ECDSA_SHA384 || a == RSA_SHA384 => |m| sha2::Sha384::digest(m).to_vec(),
        a if a == ECDSA_SHA512 || a == RSA_SHA512 => |m| sha2::Sha512::digest(m).to_vec(),
        _ => return None,
    };
    Some(f)
}

/// Reads a PEM PKCS#10 request and verifies its self-signature. Its subject, SANs and requested
/// extensions are ignored: only the public key is used.
///
/// # Errors
/// [`SvidError::Unreadable`], [`SvidError::UnsupportedKey`] or [`SvidError::BadSignature`].
pub fn read_csr(pem: &str) -> Result<CsrKey, SvidError> {
    if pem.len() > MAX_CSR_LEN {
        return Err(SvidError::Unreadable);
    }
    let pem = pem.trim();
    if pem.is_empty() {
        return Err(SvidError::Unreadable);
    }
    let req = CertReq::from_pem(pem.as_bytes()).map_err(|_| SvidError::Unreadable)?;
    let signed = req.info.to_der().map_err(|_| SvidError::Unreadable)?;
    let signature = req.signature.as_bytes().ok_or(SvidError::Unreadable)?;
    let spki = req.info.public_key;
    let spki_der = spki.to_der().map_err(|_| SvidError::Unreadable)?;
    let alg = req.algorithm.oid;
    let digest = digest_for(&alg).ok_or(SvidError::UnsupportedKey)?;
    let is_ecdsa = [ECDSA_SHA256, ECDSA_SHA384, ECDSA_SHA512].contains(&alg);
    let prehash = digest(&signed);
    let key_alg = spki.algorithm.oid;
    let verified = if key_alg == EC_PUBLIC_KEY && is_ecdsa {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<pkcs8::ObjectIdentifier>().ok());
        use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
        match curve {
            Some(c) if c == P256_CURVE => {
                let key = p256::ecdsa::VerifyingKey::from_public_key_der(&spki_der)
                    .map_err(|_| SvidError::UnsupportedKey)?;
                let sig = p256::ecdsa::Signature::from_der(signature)
                    .map_err(|_| SvidError::BadSignature)?;
                key.verify_prehash(&prehash, &sig).is_ok()
            }
            Some(c) if c == P384_CURVE => {
                let key = p384::ecdsa::VerifyingKey::from_public_key_der(&spki_der)
                    .map_err(|_| SvidError::UnsupportedKey)?;
                let sig = p384::ecdsa::Signature::from_der(signature)
                    .map_err(|_| SvidError::BadSignature)?;
                key.verify_prehash(&prehash, &sig).is_ok()
            }
            _ => return Err(SvidError::UnsupportedKey),
        }
    } else if key_alg == RSA_ENCRYPTION && !is_ecdsa {
        use rsa::traits::PublicKeyParts as _;
        let key = rsa::PublicKey::from_public_key_der(&spki_der)
            .map_err(|_| SvidError::UnsupportedKey)?;
        let bits = key.n().bit_width();
        if !(2048..=4096).contains(&bits) {
            return Err(SvidError::UnsupportedKey);
        }
        let scheme = match alg {
            a if a == RSA_SHA256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
            a if a == RSA_SHA384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
            _ => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        };
        key.verify(scheme, &prehash, signature).is_ok()
    } else {
        return Err(SvidError::UnsupportedKey);
    };
    if !verified {
        return Err(SvidError::BadSignature);
    }
    Ok(CsrKey {
        spki,
        rsa: key_alg == RSA_ENCRYPTION,
    })
}

/// The builder profile of an X.509-SVID: issued by the CA's subject, an empty subject, one URI
/// SAN; `rsa` when the certified key is RSA (key encipherment too).
struct SvidProfile {
    issuer: Name,
    uri: Ia5String,
    rsa: bool,
}

impl Profile for SvidProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        Name::default()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let subject = tbs.subject();
        let mut out: Vec<Extension> = Vec::with_capacity(6);
        let ski = SubjectKeyIdentifier::try_from(spk)?;
        let aki = SubjectKeyIdentifier::try_from(issuer_spk)?;
        let usage = if self.rsa {
            KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment
        } else {
            KeyUsages::DigitalSignature.into()
        };
        let leaf = BasicConstraints {
            ca: false,
            path_len_constraint: None,
        };
        out.push((true, &leaf).to_extension(subject, &out)?);
        out.push((true, &KeyUsage(usage)).to_extension(subject, &out)?);
        out.push((&ExtendedKeyUsage(vec![SERVER_AUTH, CLIENT_AUTH])).to_extension(subject, &out)?);
        // Critical: the subject is empty (RFC 5280 4.2.1.6; the x509-cert criticality).
        let san = SubjectAltName(vec![GeneralName::UniformResourceIdentifier(
            self.uri.clone(),
        )]);
        out.push((&san).to_extension(subject, &out)?);
        out.push((&ski).to_extension(subject, &out)?);
        let aki = AuthorityKeyIdentifier {
            key_identifier: Some(aki.0),
            ..Default::default()
        };
        out.push((&aki).to_extension(subject, &out)?);
        Ok(out)
    }
}

fn time_of(t: OffsetDateTime) -> Result<Time, SvidError> {
    let secs = u64::try_from(t.unix_timestamp()).map_err(|_| SvidError::Build)?;
    Time::try_from(SystemTime::UNIX_EPOCH + Duration::from_secs(secs)).map_err(|_| SvidError::Build)
}

fn validity(not_before: OffsetDateTime, not_after: OffsetDateTime) -> Result<Validity, SvidError> {
    Ok(Validity::new(time_of(not_before)?, time_of(not_after)?))
}

/// A fresh positive serial number of 16 random bytes.
fn serial() -> Result<SerialNumber, SvidError> {
    let mut bytes = crate::ids::rng::array::<16>().map_err(|_| SvidError::Build)?;
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    SerialNumber::new(&bytes).map_err(|_| SvidError::Build)
}

/// An issued certificate in PEM, with its validity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCertificate {
    /// The certificate, PEM-encoded.
    pub pem: String,
    /// Its `notBefore`.
    pub not_before: OffsetDateTime,
    /// Its `notAfter`.
    pub not_after: OffsetDateTime,
}

/// Signs an X.509-SVID for `spiffe_id` over the CSR's key with `ca_key`, whose certificate is
/// `ca_cert_pem` (its subject is the issuer): valid from `not_before` to `not_after`.
///
/// # Errors
/// [`SvidError::Build`] when the CA certificate does not read, the SPIFFE ID is not an IA5
/// string, or the certificate cannot be signed.
pub fn issue_svid(
    ca_key: &CaSigningKey,
    ca_cert_pem: &str,
    csr: &CsrKey,
    spiffe_id: &str,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
) -> Result<IssuedCertificate, SvidError> {
    let ca = Certificate::from_pem(ca_cert_pem.trim().as_bytes()).map_err(|_| SvidError::Build)?;
    let profile = SvidProfile {
        issuer: ca.tbs_certificate().subject().clone(),
        uri: Ia5String::new(spiffe_id).map_err(|_| SvidError::Build)?,
        rsa: csr.rsa,
    };
    let builder = CertificateBuilder::new(
        profile,
        serial()?,
        validity(not_before, not_after)?,
        csr.spki.clone(),
    )
    .map_err(|_| SvidError::Build)?;
    let cert = ca_key.sign(builder).map_err(|_| SvidError::Build)?;
    Ok(IssuedCertificate {
        pem: cert.to_pem(LineEnding::LF).map_err(|_| SvidError::Build)?,
        not_before,
        not_after,
    })
}

#[cfg(test)]
mod tests;
