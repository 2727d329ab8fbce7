//! The key material of workload identity's certificate authorities.
//!
//! Keyturn stands in for AWS Private CA: a certificate authority is declared by id and key
//! algorithm ([`PrivateCertificateAuthority`]), its private key is derived from the keyring
//! (HMAC-SHA256 of a keyring key, the CA's account, id and algorithm; RSA keys are generated
//! from a ChaCha20 stream seeded the same way), and its certificate is a self-signed root
//! (CA:TRUE, keyCertSign and cRLSign) made when a signer attaches it. The key is therefore
//! never stored, exported or sent: every node that holds the keyring derives the same key.
//!
//! [`CaSigningKey::sign`] signs any certificate builder with the key, under the signature
//! algorithm IAM documents for the key algorithm (ECDSA with SHA-256/384/512, RSASSA-PKCS1-v1_5
//! with SHA-256 or SHA-384).

use std::str::FromStr as _;
use std::time::SystemTime;

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng as _;
use sha2::{Sha256, Sha384};
use x509_cert::Certificate;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder as _, CertificateBuilder};
use x509_cert::certificate::TbsCertificate;
use x509_cert::der::{self, Encode as _, EncodePem as _};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::ext::{Extension, ToExtension as _};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{EncodePublicKey as _, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::time::{Time, Validity};

use super::workload::{CaKeyAlgorithm, PrivateCertificateAuthority};
use crate::keyring::{KeyId, Keyring};
use crate::{Error, ErrorCode};

/// How long a stand-in CA's certificate is valid: ten years.
pub const CA_VALIDITY_DAYS: i64 = 3650;

/// A certificate authority's private key.
pub enum CaSigningKey {
    /// EC_prime256v1 (ECDSA_SHA_256).
    P256(p256::ecdsa::SigningKey),
    /// EC_secp384r1 (ECDSA_SHA_384).
    P384(p384::ecdsa::SigningKey),
    /// EC_secp521r1 (ECDSA_SHA_512).
    P521(p521::ecdsa::SigningKey),
    /// RSA_2048 (RSASSA_PKCS1_V1_5_SHA_256).
    Rsa256(rsa::pkcs1v15::SigningKey<Sha256>),
    /// RSA_3072 and RSA_4096 (RSASSA_PKCS1_V1_5_SHA_384).
    Rsa384(rsa::pkcs1v15::SigningKey<Sha384>),
}

impl std::fmt::Debug for CaSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CaSigningKey(***)")
    }
}

fn internal(what: &str) -> Error {
    Error::new(
        ErrorCode::ServiceFailure,
        format!("workload identity certificate authority: {what}"),
    )
}

impl CaSigningKey {
    /// The public key, as a certificate carries it.
    ///
    /// # Errors
    /// `ServiceFailure` when the key cannot be encoded (not expected).
    pub fn public_key_info(&self) -> Result<SubjectPublicKeyInfoOwned, Error> {
        let der = match self {
            Self::P256(k) => k.verifying_key().to_public_key_der(),
            Self::P384(k) => k.verifying_key().to_public_key_der(),
            Self::P521(k) => k.verifying_key().to_public_key_der(),
            Self::Rsa256(k) => k.as_ref().to_public_key().to_public_key_der(),
            Self::Rsa384(k) => k.as_ref().to_public_key().to_public_key_der(),
        }
        .map_err(|_| internal("public key"))?;
        SubjectPublicKeyInfoOwned::try_from(der.as_bytes()).map_err(|_| internal("public key"))
    }

    /// The public key as DER `SubjectPublicKeyInfo` bytes.
    ///
    /// # Errors
    /// `ServiceFailure` when the key cannot be encoded (not expected).
    pub fn public_key_der(&self) -> Result<Vec<u8>, Error> {
        self.public_key_info()?
            .to_der()
            .map_err(|_| internal("public key"))
    }

    /// Signs the certificate of `builder` with this key.
    ///
    /// # Errors
    /// `ServiceFailure` when the certificate cannot be encoded or signed.
    pub fn sign<P: BuilderProfile>(
        &self,
        builder: CertificateBuilder<P>,
    ) -> Result<Certificate, Error> {
        match self {
            Self::P256(k) => builder.build::<_, p256::ecdsa::DerSignature>(k),
            Self::P384(k) => builder.build::<_, p384::ecdsa::DerSignature>(k),
            Self::P521(k) => builder.build::<_, p521::ecdsa::DerSignature>(k),
            Self::Rsa256(k) => builder.build::<_, rsa::pkcs1v15::Signature>(k),
            Self::Rsa384(k) => builder.build::<_, rsa::pkcs1v15::Signature>(k),
        }
        .map_err(|e| internal(&format!("signing: {e}")))
    }
}

/// The label of a CA key's derivation: `private-ca/ACCOUNT/ID`.
fn subject(ca_account: &str, ca_id: &str) -> String {
    format!("private-ca/{ca_account}/{ca_id}")
}

/// `len` bytes derived from the keyring key `id` for `(subject, label, counter)`.
fn derived(
    keyring: &Keyring,
    id: KeyId,
    subject: &str,
    label: &str,
    len: usize,
) -> Result<zeroize::Zeroizing<Vec<u8>>, Error> {
    let mut out = zeroize::Zeroizing::new(Vec::with_capacity(len + 32));
    let mut block = 0u8;
    while out.len() < len {
        let seed = keyring
            .outbound_seed(id, subject, format!("{label}#{block}").as_bytes())
            .ok_or_else(|| internal("the keyring key of the signer is no longer in the keyring"))?;
        out.extend_from_slice(&seed[..]);
        block = block.wrapping_add(1);
    }
    out.truncate(len);
    Ok(out)
}

/// An EC key of `curve` from derived bytes; a value outside `[1, n)` (negligible) takes the next
/// counter.
fn ec_key<K>(
    keyring: &Keyring,
    id: KeyId,
    subject: &str,
    alg: CaKeyAlgorithm,
    len: usize,
    mask: u8,
    from_slice: impl Fn(&[u8]) -> Option<K>,
) -> Result<K, Error> {
    for counter in 0u8..4 {
        let mut bytes = derived(
            keyring,
            id,
            subject,
            &format!("{}/{counter}", alg.as_str()),
            len,
        )?;
        if let Some(first) = bytes.first_mut() {
            *first &= mask;
        }
        if let Some(key) = from_slice(&bytes) {
            return Ok(key);
        }
    }
    Err(internal("EC key"))
}

/// The private key of the CA `ca_id` of `ca_account` with algorithm `alg`, derived from keyring
/// key `id`. RSA keys take tens of milliseconds (seconds in a debug build): callers cache them
/// ([`crate::engine::Engine::workload_ca_key`]).
///
/// # Errors
/// `ServiceFailure` when `id` is not in the keyring.
pub fn derive_ca_key(
    keyring: &Keyring,
    id: KeyId,
    ca_account: &str,
    ca_id: &str,
    alg: CaKeyAlgorithm,
) -> Result<CaSigningKey, Error> {
    let s = subject(ca_account, ca_id);
    let rsa = |bits: usize| -> Result<rsa::PrivateKey, Error> {
        let seed = derived(keyring, id, &s, alg.as_str(), 32)?;
        let mut array = [0u8; 32];
        array.copy_from_slice(&seed);
        let mut rng = ChaCha20Rng::from_seed(array);
        zeroize::Zeroize::zeroize(&mut array);
        rsa::PrivateKey::new(&mut rng, bits).map_err(|_| internal("RSA key"))
    };
    Ok(match alg {
        CaKeyAlgorithm::EcPrime256v1 => {
            CaSigningKey::P256(ec_key(keyring, id, &s, alg, 32, 0xff, |b| {
                p256::ecdsa::SigningKey::from_slice(b).ok()
            })?)
        }
        CaKeyAlgorithm::EcSecp384r1 => {
            CaSigningKey::P384(ec_key(keyring, id, &s, alg, 48, 0xff, |b| {
                p384::ecdsa::SigningKey::from_slice(b).ok()
            })?)
        }
        // A P-521 scalar is 521 bits in 66 bytes: the first byte keeps its lowest bit.
        CaKeyAlgorithm::EcSecp521r1 => {
            CaSigningKey::P521(ec_key(keyring, id, &s, alg, 66, 0x01, |b| {
                p521::ecdsa::SigningKey::from_slice(b).ok()
            })?)
        }
        CaKeyAlgorithm::Rsa2048 => CaSigningKey::Rsa256(rsa::pkcs1v15::SigningKey::new(rsa(2048)?)),
        CaKeyAlgorithm::Rsa3072 => CaSigningKey::Rsa384(rsa::pkcs1v15::SigningKey::new(rsa(3072)?)),
        CaKeyAlgorithm::Rsa4096 => CaSigningKey::Rsa384(rsa::pkcs1v15::SigningKey::new(rsa(4096)?)),
    })
}

/// The certificate profile of a stand-in CA: a self-signed root with CA:TRUE, keyCertSign and
/// cRLSign, and key identifiers.
struct RootProfile {
    subject: Name,
}

impl BuilderProfile for RootProfile {
    fn get_issuer(&self, subject: &Name) -> Name {
        subject.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let ski = SubjectKeyIdentifier::try_from(spk)?;
        let mut out: Vec<Extension> = Vec::with_capacity(4);
        // Each extension is made knowing the ones before it.
        let basic = BasicConstraints {
            ca: true,
            path_len_constraint: None,
        }
        .to_extension(tbs.subject(), &out)?;
        out.push(basic);
        out.push(
            KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)
                .to_extension(tbs.subject(), &out)?,
        );
        out.push(
            AuthorityKeyIdentifier {
                key_identifier: Some(ski.0.clone()),
                ..Default::default()
            }
            .to_extension(tbs.subject(), &out)?,
        );
        out.push(ski.to_extension(tbs.subject(), &out)?);
        Ok(out)
    }
}

/// The subject of the stand-in CA `ca`'s certificate:
/// `CN=Keyturn workload identity CA <id>,O=<account>`.
pub fn ca_subject(ca_account: &str, ca: &PrivateCertificateAuthority) -> String {
    format!("CN=Keyturn workload identity CA {},O={ca_account}", ca.id)
}

/// A new self-signed certificate (PEM) of the CA `ca` of `ca_account` with key `key`, valid from
/// `now` for [`CA_VALIDITY_DAYS`]; its serial number is random.
///
/// # Errors
/// `ServiceFailure` when the certificate cannot be built.
pub fn ca_certificate(
    key: &CaSigningKey,
    ca_account: &str,
    ca: &PrivateCertificateAuthority,
    now: time::OffsetDateTime,
) -> Result<String, Error> {
    let subject =
        Name::from_str(&ca_subject(ca_account, ca)).map_err(|_| internal("subject name"))?;
    let from = SystemTime::from(now);
    let until = SystemTime::from(now + time::Duration::days(CA_VALIDITY_DAYS));
    let validity = Validity::new(
        Time::try_from(from).map_err(|_| internal("validity"))?,
        Time::try_from(until).map_err(|_| internal("validity"))?,
    );
    let mut serial = [0u8; 16];
    getrandom::fill(&mut serial).map_err(|_| internal("serial number"))?;
    // A positive serial of at most 20 octets whose first octet is not zero.
    serial[0] = (serial[0] & 0x7f) | 0x40;
    let serial = SerialNumber::new(&serial).map_err(|_| internal("serial number"))?;
    let builder = CertificateBuilder::new(
        RootProfile { subject },
        serial,
        validity,
        key.public_key_info()?,
    )
    .map_err(|_| internal("certificate"))?;
    let cert = key.sign(builder)?;
    cert.to_pem(der::pem::LineEnding::LF)
        .map_err(|_| internal("PEM"))
}

/// The DER bytes of a certificate in PEM text (a CA certificate of the model).
///
/// # Errors
/// `ServiceFailure` when the text is not one PEM certificate.
pub fn certificate_der(pem: &str) -> Result<Vec<u8>, Error> {
    use x509_cert::der::DecodePem as _;
    let cert = Certificate::from_pem(pem.as_bytes()).map_err(|_| internal("stored certificate"))?;
    cert.to_der().map_err(|_| internal("stored certificate"))
}

/// The DER `SubjectPublicKeyInfo` of the certificate in PEM text.
///
/// # Errors
/// `ServiceFailure` when the text is not one PEM certificate.
pub fn certificate_public_key(pem: &str) -> Result<Vec<u8>, Error> {
    use x509_cert::der::DecodePem as _;
    let cert = Certificate::from_pem(pem.as_bytes()).map_err(|_| internal("stored certificate"))?;
    cert.tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|_| internal("stored certificate"))
}
