//! X.509-SVIDs: the certificates GetCertificate issues.
//!
//! [`read_csr`] reads a PEM PKCS#10 request and verifies its signature with the key it carries
//! (STS takes only that public key from it); [`CaKey`] is a workload identity provider's X.509
//! signing key; [`issue_svid`] signs a leaf for a SPIFFE ID: an empty subject DN, one critical
//! URI SAN, `cA` false, digital signature (and key encipherment for an RSA key), client and
//! server authentication, the subject and authority key identifiers. [`self_signed_ca`] makes
//! a root CA certificate for a key (a provider's own CA, and tests).
//!
//! RustCrypto throughout: `x509-cert`'s builder (its `builder` feature adds no crate to the
//! graph: `sha1` and `signature` are already in it), `p256`, `p384` and `rsa` for the keys.

use std::str::FromStr as _;
use std::time::{Duration, SystemTime};

use pkcs8::der::asn1::Ia5String;
use pkcs8::der::{Decode as _, DecodePem as _, Encode as _, EncodePem as _};
use pkcs8::spki::{SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use pkcs8::{DecodePrivateKey as _, DecodePublicKey as _, LineEnding};
use sha2::Digest as _;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::builder::{Builder as _, CertificateBuilder, Profile};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::ext::{Extension, ToExtension as _};
use x509_cert::name::Name;
use x509_cert::request::CertReq;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

/// The longest CSR GetCertificate takes (the model's `certificateSigningRequestType`).
pub const MAX_CSR_LEN: usize = 32_768;

const EC_PUBLIC_KEY: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const P256_CURVE: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384_CURVE: pkcs8::ObjectIdentifier = pkcs8::ObjectIdentifier::new_unwrap("1.3.132.0.34");
const RSA_ENCRYPTION: pkcs8::ObjectIdentifier =
    pkcs8::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
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
    /// The CA key is not an unencrypted PKCS #8 P-256, P-384 or RSA private key.
    #[error("the signing key is not a supported PKCS #8 private key")]
    SigningKey,
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

fn digest_for(alg: &pkcs8::ObjectIdentifier) -> Option<fn(&[u8]) -> Vec<u8>> {
    let f: fn(&[u8]) -> Vec<u8> = match *alg {
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

/// A workload identity provider's X.509 signing key. The signature algorithm follows the key,
/// as IAM chooses it: P-256 signs with ECDSA SHA-256, P-384 with ECDSA SHA-384, RSA-2048 with
/// PKCS #1 v1.5 SHA-256 and larger RSA keys with SHA-384.
pub enum CaKey {
    /// A P-256 key.
    P256(p256::ecdsa::SigningKey),
    /// A P-384 key.
    P384(p384::ecdsa::SigningKey),
    /// An RSA key of 2,048 bits.
    Rsa2048(rsa::pkcs1v15::SigningKey<sha2::Sha256>),
    /// An RSA key of 3,072 or 4,096 bits.
    RsaLarge(rsa::pkcs1v15::SigningKey<sha2::Sha384>),
}

impl std::fmt::Debug for CaKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            Self::P256(_) => "P256",
            Self::P384(_) => "P384",
            Self::Rsa2048(_) => "Rsa2048",
            Self::RsaLarge(_) => "RsaLarge",
        };
        write!(f, "CaKey::{kind}(***)")
    }
}

impl CaKey {
    /// Reads an unencrypted PKCS #8 private key (DER).
    ///
    /// # Errors
    /// [`SvidError::SigningKey`] for anything else.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, SvidError> {
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(Self::P256(k));
        }
        if let Ok(k) = p384::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(Self::P384(k));
        }
        let key = rsa::PrivateKey::from_pkcs8_der(der).map_err(|_| SvidError::SigningKey)?;
        Self::from_rsa(key)
    }

    /// Reads an unencrypted PKCS #8 private key (PEM, `PRIVATE KEY`).
    ///
    /// # Errors
    /// [`SvidError::SigningKey`] for anything else.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, SvidError> {
        let (label, doc) =
            pkcs8::SecretDocument::from_pem(pem.trim()).map_err(|_| SvidError::SigningKey)?;
        if label != "PRIVATE KEY" {
            return Err(SvidError::SigningKey);
        }
        Self::from_pkcs8_der(doc.as_bytes())
    }

    /// The key of an RSA private key of 2,048, 3,072 or 4,096 bits.
    ///
    /// # Errors
    /// [`SvidError::SigningKey`] for another size.
    pub fn from_rsa(key: rsa::PrivateKey) -> Result<Self, SvidError> {
        use rsa::traits::PublicKeyParts as _;
        match key.n().bit_width() {
            2048 => Ok(Self::Rsa2048(rsa::pkcs1v15::SigningKey::new(key))),
            3072 | 4096 => Ok(Self::RsaLarge(rsa::pkcs1v15::SigningKey::new(key))),
            _ => Err(SvidError::SigningKey),
        }
    }

    /// The public key, as a DER SubjectPublicKeyInfo.
    ///
    /// # Errors
    /// [`SvidError::Build`] if it does not encode.
    pub fn public_key_der(&self) -> Result<Vec<u8>, SvidError> {
        use pkcs8::EncodePublicKey as _;
        use rsa::signature::Keypair as _;
        let doc = match self {
            Self::P256(k) => k.verifying_key().to_public_key_der(),
            Self::P384(k) => k.verifying_key().to_public_key_der(),
            Self::Rsa2048(k) => k.verifying_key().to_public_key_der(),
            Self::RsaLarge(k) => k.verifying_key().to_public_key_der(),
        };
        doc.map(|d| d.as_bytes().to_vec())
            .map_err(|_| SvidError::Build)
    }

    /// Builds and signs the certificate of `profile`.
    fn sign(
        &self,
        profile: SvidProfile,
        serial: SerialNumber,
        validity: Validity,
        spki: SubjectPublicKeyInfoOwned,
    ) -> Result<Certificate, SvidError> {
        let builder = CertificateBuilder::new(profile, serial, validity, spki)
            .map_err(|_| SvidError::Build)?;
        let cert = match self {
            Self::P256(k) => builder.build::<_, p256::ecdsa::DerSignature>(k),
            Self::P384(k) => builder.build::<_, p384::ecdsa::DerSignature>(k),
            Self::Rsa2048(k) => builder.build::<_, rsa::pkcs1v15::Signature>(k),
            Self::RsaLarge(k) => builder.build::<_, rsa::pkcs1v15::Signature>(k),
        };
        cert.map_err(|_| SvidError::Build)
    }
}

/// What the profile puts in a certificate.
enum Kind {
    /// A root CA.
    Ca,
    /// An X.509-SVID with this URI SAN; `rsa` when its key is RSA (key encipherment too).
    Svid { uri: Ia5String, rsa: bool },
}

/// The builder profile of both kinds of certificate.
struct SvidProfile {
    issuer: Name,
    subject: Name,
    kind: Kind,
}

impl Profile for SvidProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
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
        let (ca, usage) = match &self.kind {
            Kind::Ca => (true, KeyUsages::KeyCertSign | KeyUsages::CRLSign),
            Kind::Svid { rsa: true, .. } => (
                false,
                KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment,
            ),
            Kind::Svid { rsa: false, .. } => (false, KeyUsages::DigitalSignature.into()),
        };
        out.push(
            (
                true,
                &BasicConstraints {
                    ca,
                    path_len_constraint: None,
                },
            )
                .to_extension(subject, &out)?,
        );
        out.push((true, &KeyUsage(usage)).to_extension(subject, &out)?);
        if let Kind::Svid { uri, .. } = &self.kind {
            out.push(
                (&ExtendedKeyUsage(vec![SERVER_AUTH, CLIENT_AUTH])).to_extension(subject, &out)?,
            );
            // Critical: the subject is empty (RFC 5280 4.2.1.6; the x509-cert criticality).
            out.push(
                (&SubjectAltName(vec![GeneralName::UniformResourceIdentifier(
                    uri.clone(),
                )]))
                    .to_extension(subject, &out)?,
            );
        }
        out.push((&ski).to_extension(subject, &out)?);
        if matches!(self.kind, Kind::Svid { .. }) {
            out.push(
                (&AuthorityKeyIdentifier {
                    key_identifier: Some(aki.0),
                    ..Default::default()
                })
                    .to_extension(subject, &out)?,
            );
        }
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

fn to_pem(cert: &Certificate) -> Result<String, SvidError> {
    cert.to_pem(LineEnding::LF).map_err(|_| SvidError::Build)
}

/// Signs an X.509-SVID for `spiffe_id` over the CSR's key with `ca_key`, whose certificate is
/// `ca_cert_pem` (its subject is the issuer): valid from `not_before` to `not_after`.
///
/// # Errors
/// [`SvidError::Build`] when the CA certificate does not read or the SPIFFE ID is not an
/// IA5 string.
pub fn issue_svid(
    ca_key: &CaKey,
    ca_cert_pem: &str,
    csr: &CsrKey,
    spiffe_id: &str,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
) -> Result<IssuedCertificate, SvidError> {
    let ca = Certificate::from_pem(ca_cert_pem.trim().as_bytes()).map_err(|_| SvidError::Build)?;
    let uri = Ia5String::new(spiffe_id).map_err(|_| SvidError::Build)?;
    let profile = SvidProfile {
        issuer: ca.tbs_certificate().subject().clone(),
        subject: Name::default(),
        kind: Kind::Svid { uri, rsa: csr.rsa },
    };
    let cert = ca_key.sign(
        profile,
        serial()?,
        validity(not_before, not_after)?,
        csr.spki.clone(),
    )?;
    Ok(IssuedCertificate {
        pem: to_pem(&cert)?,
        not_before,
        not_after,
    })
}

/// A self-signed root CA certificate for `key`, named `common_name` (`CN=…`), valid from
/// `not_before` to `not_after`.
///
/// # Errors
/// [`SvidError::Build`] when the name or the dates do not encode.
pub fn self_signed_ca(
    key: &CaKey,
    common_name: &str,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
) -> Result<IssuedCertificate, SvidError> {
    let escaped: String = common_name
        .chars()
        .flat_map(|c| {
            let esc = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=');
            [esc.then_some('\\'), Some(c)].into_iter().flatten()
        })
        .collect();
    let name = Name::from_str(&format!("CN={escaped}")).map_err(|_| SvidError::Build)?;
    let spki_der = key.public_key_der()?;
    let spki = SubjectPublicKeyInfoOwned::from_der(&spki_der).map_err(|_| SvidError::Build)?;
    let profile = SvidProfile {
        issuer: name.clone(),
        subject: name,
        kind: Kind::Ca,
    };
    let cert = key.sign(profile, serial()?, validity(not_before, not_after)?, spki)?;
    Ok(IssuedCertificate {
        pem: to_pem(&cert)?,
        not_before,
        not_after,
    })
}

/// The DER bytes of the first certificate of a PEM text (for a JWK's `x5c`).
///
/// # Errors
/// [`SvidError::Build`] when it is not a PEM certificate.
pub fn certificate_der(pem: &str) -> Result<Vec<u8>, SvidError> {
    let cert = Certificate::from_pem(pem.trim().as_bytes()).map_err(|_| SvidError::Build)?;
    cert.to_der().map_err(|_| SvidError::Build)
}


#[cfg(test)]
mod tests;
