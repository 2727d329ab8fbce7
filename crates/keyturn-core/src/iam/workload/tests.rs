//! The signer status from times, CA key derivation and the stand-in CA certificates.

use time::{Duration, OffsetDateTime};
use x509_cert::Certificate;
use x509_cert::der::{DecodePem as _, Encode as _};

use super::*;
use crate::iam::workload_ca::{self, CaSigningKey};
use crate::keyring::Keyring;

fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_795_867_200).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn signer(start: OffsetDateTime) -> X509Signer {
    X509Signer {
        ca_id: "ca".to_owned(),
        ca_account: "111111111111".to_owned(),
        key_algorithm: CaKeyAlgorithm::EcPrime256v1,
        keyring_key: 1,
        certificate: String::new(),
        start_signing_time: crate::clock::iso8601(start),
        end_signing_time: None,
        discovery_expiration_time: None,
        stop: None,
        sequence: 0,
    }
}

#[test]
fn status_follows_the_times_with_start_inside_and_end_outside() {
    let now = t0();
    let mut s = signer(now + Duration::hours(1));
    assert_eq!(s.status_at(now), SignerStatus::InTransition);
    assert_eq!(s.status_at(now + Duration::hours(1)), SignerStatus::Active);
    s.end_signing_time = Some(crate::clock::iso8601(now + Duration::hours(2)));
    s.discovery_expiration_time = Some(crate::clock::iso8601(now + Duration::hours(14)));
    assert_eq!(
        s.status_at(now + Duration::hours(2) - Duration::seconds(1)),
        SignerStatus::Active
    );
    assert_eq!(
        s.status_at(now + Duration::hours(2)),
        SignerStatus::Validating
    );
    assert_eq!(
        s.status_at(now + Duration::hours(14)),
        SignerStatus::Inactive
    );
    assert!(!SignerStatus::Inactive.is_published());
    // Stopped before it ever signed (disabled in transition): validating at once.
    let mut early = signer(now + Duration::hours(5));
    early.end_signing_time = Some(crate::clock::iso8601(now));
    early.discovery_expiration_time = Some(crate::clock::iso8601(now + Duration::hours(12)));
    assert_eq!(early.status_at(now), SignerStatus::Validating);
}

#[test]
fn the_active_signer_is_the_first_slot_s_active_entry() {
    let now = t0();
    let mut p = WorkloadIdentityProvider {
        name: "P".to_owned(),
        id: "AWPAAAAAAAAAAAAAAAAAA".to_owned(),
        scope: WorkloadScope::Account,
        organization_id: None,
        scheme: WorkloadScheme::Spiffe,
        domain: Some("example.org".to_owned()),
        description: None,
        tags: Tags::new(),
        resource_policy: None,
        create_date: crate::clock::iso8601(now),
        x509_signers: vec![signer(now + Duration::hours(1))],
        next_sequence: 1,
    };
    assert!(p.active_x509_signer(now).is_none());
    assert_eq!(p.published_x509_signers(now).count(), 1);
    let mut p384 = signer(now - Duration::hours(1));
    p384.key_algorithm = CaKeyAlgorithm::EcSecp384r1;
    p.x509_signers.push(p384);
    assert_eq!(
        p.active_x509_signer(now).map(|s| s.key_algorithm),
        Some(CaKeyAlgorithm::EcSecp384r1)
    );
    assert_eq!(
        p.active_x509_signer(now + Duration::hours(1))
            .map(|s| s.key_algorithm),
        Some(CaKeyAlgorithm::EcPrime256v1)
    );
    assert_eq!(
        p.arn("111111111111"),
        "arn:aws:iam::111111111111:workload-identity-provider/P"
    );
    p.organization_id = Some("o-abcdef1234".to_owned());
    assert_eq!(
        p.arn("111111111111"),
        "arn:aws:iam::o-abcdef1234:workload-identity-provider/P"
    );
}

#[test]
fn algorithm_names_round_trip() {
    for alg in CaKeyAlgorithm::ALL {
        assert_eq!(CaKeyAlgorithm::parse(alg.as_str()), Some(alg));
    }
    assert_eq!(CaKeyAlgorithm::parse("ML_DSA_44"), None);
    assert_eq!(
        CaKeyAlgorithm::Rsa4096.signing_algorithm(),
        "RSASSA_PKCS1_V1_5_SHA_384"
    );
}

fn ca(id: &str, alg: CaKeyAlgorithm) -> PrivateCertificateAuthority {
    PrivateCertificateAuthority {
        id: id.to_owned(),
        key_algorithm: alg,
        status: CaStatus::Active,
    }
}

#[test]
fn ca_keys_derive_deterministically_per_ca_and_keyring() {
    let ring = Keyring::generate().unwrap_or_else(|e| panic!("{e:?}"));
    let other = Keyring::generate().unwrap_or_else(|e| panic!("{e:?}"));
    let id = ring.active_id();
    for alg in [
        CaKeyAlgorithm::EcPrime256v1,
        CaKeyAlgorithm::EcSecp384r1,
        CaKeyAlgorithm::EcSecp521r1,
    ] {
        let der = |ring: &Keyring, ca: &str| {
            workload_ca::derive_ca_key(ring, ring.active_id(), "111111111111", ca, alg)
                .and_then(|k| k.public_key_der())
                .unwrap_or_else(|e| panic!("{e:?}"))
        };
        assert_eq!(der(&ring, "a"), der(&ring, "a"), "{alg:?}");
        assert_ne!(der(&ring, "a"), der(&ring, "b"), "{alg:?}");
        assert_ne!(der(&ring, "a"), der(&other, "a"), "{alg:?}");
    }
    assert!(
        workload_ca::derive_ca_key(
            &ring,
            id + 7,
            "111111111111",
            "a",
            CaKeyAlgorithm::EcPrime256v1
        )
        .is_err()
    );
}

#[test]
fn a_stand_in_ca_certificate_is_a_self_signed_root_that_verifies() {
    use p256::ecdsa::signature::Verifier as _;
    let ring = Keyring::generate().unwrap_or_else(|e| panic!("{e:?}"));
    let authority = ca("ca-1", CaKeyAlgorithm::EcPrime256v1);
    let key = workload_ca::derive_ca_key(
        &ring,
        ring.active_id(),
        "111111111111",
        "ca-1",
        authority.key_algorithm,
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let pem = workload_ca::ca_certificate(&key, "111111111111", &authority, t0())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let cert = Certificate::from_pem(pem.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    let tbs = cert.tbs_certificate();
    assert_eq!(tbs.issuer(), tbs.subject());
    assert!(
        tbs.subject()
            .to_string()
            .contains("CN=Keyturn workload identity CA ca-1")
    );
    let CaSigningKey::P256(signing) = &key else {
        panic!("not a P-256 key");
    };
    let message = tbs.to_der().unwrap_or_else(|e| panic!("{e:?}"));
    let sig = p256::ecdsa::DerSignature::from_bytes(cert.signature().raw_bytes())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(signing.verifying_key().verify(&message, &sig).is_ok());
    let basic = tbs
        .extensions()
        .into_iter()
        .flatten()
        .any(|e| e.extn_id == <x509_cert::ext::pkix::BasicConstraints as x509_cert::der::oid::AssociatedOid>::OID);
    assert!(basic, "no basicConstraints");
    assert_eq!(
        workload_ca::certificate_public_key(&pem).ok(),
        key.public_key_der().ok()
    );
}
