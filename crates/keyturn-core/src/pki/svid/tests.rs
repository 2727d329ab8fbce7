//! CSRs and CA keys made by Python's `cryptography` (`tests/data/pki/`), and the X.509-SVIDs
//! issued from them.

use time::macros::datetime;
use x509_cert::ext::pkix::name::GeneralName;

use super::*;
use crate::iam::workload::{CaKeyAlgorithm, CaStatus, PrivateCertificateAuthority};
use crate::iam::workload_ca::ca_certificate;

const NOW: OffsetDateTime = datetime!(2026-12-07 12:00 UTC);
const ID: &str = "spiffe://example.org/payments/checkout";

#[test]
fn supported_csrs_read_and_others_are_refused_for_what_they_are() {
    for (name, pem, rsa) in [
        ("p256", data!("csr_p256.pem"), false),
        ("p384", data!("csr_p384.pem"), false),
        ("rsa2048", data!("csr_rsa2048.pem"), true),
    ] {
        let key = read_csr(pem).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(key.rsa, rsa, "{name}");
    }
    for pem in [
        data!("csr_rsa1024.pem"),
        data!("csr_p521.pem"),
        data!("csr_ed25519.pem"),
    ] {
        assert_eq!(read_csr(pem), Err(SvidError::UnsupportedKey));
    }
    assert_eq!(
        read_csr(data!("csr_bad_signature.pem")),
        Err(SvidError::BadSignature)
    );
    let long = format!("{}{}", data!("csr_p256.pem"), " ".repeat(MAX_CSR_LEN));
    for pem in ["", "  \n", "not a csr", data!("server.crt"), &long] {
        assert_eq!(read_csr(pem), Err(SvidError::Unreadable), "{pem:.40}");
    }
    // A PEM whose base64 holds something else than a request.
    let cut = data!("csr_p256.pem").replacen("MII", "MIJ", 1);
    assert_eq!(read_csr(&cut), Err(SvidError::Unreadable));
}

/// A CA key from a PKCS #8 PEM (P-256 or RSA-3072).
fn load_ca_key(pem: &str) -> CaSigningKey {
    use pkcs8::DecodePrivateKey as _;
    match p256::ecdsa::SigningKey::from_pkcs8_pem(pem) {
        Ok(k) => CaSigningKey::P256(k),
        Err(_) => CaSigningKey::Rsa384(rsa::pkcs1v15::SigningKey::new(
            rsa::PrivateKey::from_pkcs8_pem(pem).unwrap_or_else(|e| panic!("{e}")),
        )),
    }
}

/// The self-signed certificate of a stand-in CA with `key`.
fn ca_pem(key: &CaSigningKey) -> String {
    let ca = PrivateCertificateAuthority {
        id: "test-ca".to_owned(),
        key_algorithm: CaKeyAlgorithm::EcPrime256v1,
        status: CaStatus::default(),
    };
    ca_certificate(key, "111122223333", &ca, NOW).unwrap_or_else(|e| panic!("{e}"))
}

/// Verifies `cert`'s signature with the CA key's public half.
fn signed_by(cert: &Certificate, ca: &CaSigningKey) -> bool {
    use p256::ecdsa::signature::Verifier as _;
    let tbs = cert
        .tbs_certificate()
        .to_der()
        .unwrap_or_else(|e| panic!("{e}"));
    let sig = cert.signature().raw_bytes();
    let spki = ca
        .public_key_info()
        .and_then(|k| k.to_der().map_err(|_| crate::Error::internal()))
        .unwrap_or_else(|e| panic!("{e}"));
    match ca {
        CaSigningKey::P256(_) => {
            let key = p256::ecdsa::VerifyingKey::from_public_key_der(&spki)
                .unwrap_or_else(|e| panic!("{e}"));
            p256::ecdsa::DerSignature::try_from(sig).is_ok_and(|sig| key.verify(&tbs, &sig).is_ok())
        }
        CaSigningKey::Rsa384(_) => {
            let key = rsa::PublicKey::from_public_key_der(&spki).unwrap_or_else(|e| panic!("{e}"));
            let key = rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(key);
            rsa::pkcs1v15::Signature::try_from(sig).is_ok_and(|sig| key.verify(&tbs, &sig).is_ok())
        }
        other => panic!("no verifier for {other:?}"),
    }
}

#[test]
fn an_svid_has_an_empty_subject_one_uri_san_and_is_signed_by_the_ca() {
    for (pem, expect_rsa) in [
        (data!("ca_p256.pk8"), false),
        (data!("ca_rsa3072.pk8"), true),
    ] {
        let ca_key = load_ca_key(pem);
        assert_eq!(matches!(ca_key, CaSigningKey::Rsa384(_)), expect_rsa);
        let ca = ca_pem(&ca_key);
        let ca_cert = Certificate::from_pem(ca.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert!(signed_by(&ca_cert, &ca_key), "the CA is self-signed");
        let bc = ca_cert
            .tbs_certificate()
            .get_extension::<BasicConstraints>()
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|(critical, bc)| (critical, bc.ca));
        assert_eq!(bc, Some((true, true)));

        let csr = read_csr(data!("csr_rsa2048.pem")).unwrap_or_else(|e| panic!("{e}"));
        let nb = NOW - time::Duration::minutes(5);
        let na = NOW + time::Duration::hours(12);
        let issued = issue_svid(&ca_key, &ca, &csr, ID, nb, na).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((issued.not_before, issued.not_after), (nb, na));
        let cert = Certificate::from_pem(issued.pem.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let tbs = cert.tbs_certificate();
        assert!(tbs.subject().is_empty());
        assert_eq!(tbs.issuer(), ca_cert.tbs_certificate().subject());
        assert_eq!(
            tbs.validity().not_before.to_unix_duration().as_secs(),
            nb.unix_timestamp() as u64
        );
        assert_eq!(
            tbs.validity().not_after.to_unix_duration().as_secs(),
            na.unix_timestamp() as u64
        );
        assert_eq!(tbs.subject_public_key_info(), &csr.spki);
        let (critical, san) = tbs
            .get_extension::<SubjectAltName>()
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("no SAN"));
        assert!(critical);
        assert_eq!(san.0.len(), 1);
        assert!(matches!(&san.0[0], GeneralName::UniformResourceIdentifier(u) if u.as_str() == ID));
        let (_, bc) = tbs
            .get_extension::<BasicConstraints>()
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("no basic constraints"));
        assert!(!bc.ca);
        let (_, ku) = tbs
            .get_extension::<KeyUsage>()
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("no key usage"));
        assert!(ku.digital_signature() && ku.key_encipherment() && !ku.key_cert_sign());
        let (_, eku) = tbs
            .get_extension::<ExtendedKeyUsage>()
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("no EKU"));
        assert_eq!(eku.0, vec![SERVER_AUTH, CLIENT_AUTH]);
        assert!(signed_by(&cert, &ca_key));
        // Another CA's key does not verify it.
        let other = load_ca_key(if expect_rsa {
            data!("ca_p256.pk8")
        } else {
            data!("ca_rsa3072.pk8")
        });
        assert!(!signed_by(&cert, &other));
    }
}

#[test]
fn an_ec_csr_gets_no_key_encipherment_and_serials_differ() {
    let ca_key = load_ca_key(data!("ca_p256.pk8"));
    let ca = ca_pem(&ca_key);
    let csr = read_csr(data!("csr_p384.pem")).unwrap_or_else(|e| panic!("{e}"));
    let issue = || {
        let pem = issue_svid(&ca_key, &ca, &csr, ID, NOW, NOW + time::Duration::hours(1))
            .unwrap_or_else(|e| panic!("{e}"))
            .pem;
        Certificate::from_pem(pem.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    };
    let (a, b) = (issue(), issue());
    assert_ne!(
        a.tbs_certificate().serial_number(),
        b.tbs_certificate().serial_number()
    );
    let (critical, ku) = a
        .tbs_certificate()
        .get_extension::<KeyUsage>()
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no key usage"));
    assert!(critical && ku.digital_signature() && !ku.key_encipherment());
    // A CA certificate that does not read, a SPIFFE ID that is not IA5.
    assert_eq!(
        issue_svid(&ca_key, "junk", &csr, ID, NOW, NOW).map(|_| ()),
        Err(SvidError::Build)
    );
    assert_eq!(
        issue_svid(&ca_key, &ca, &csr, "spiffe://é", NOW, NOW).map(|_| ()),
        Err(SvidError::Build)
    );
}
