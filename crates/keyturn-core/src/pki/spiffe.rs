//! SPIFFE formats: the SPIFFE ID of a workload, the trust bundle that GetTrustBundles returns
//! (a JWK Set with `spiffe_refresh_hint`, the SPIFFE Trust Domain and Bundle specification) and
//! the JWK of a public key.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use pkcs8::der::{Decode as _, Encode as _};
use pkcs8::spki::SubjectPublicKeyInfoRef;
use serde_json::{Map, Value, json};

use super::RSA_ENCRYPTION;
use super::svid::{EC_PUBLIC_KEY, P256_CURVE, P384_CURVE, SvidError};

/// How often, in seconds, a relying party should get the bundle again (`spiffe_refresh_hint`):
/// five minutes, well inside the hour a new signer's key is published before it signs.
pub const REFRESH_HINT_SECONDS: u64 = 300;

/// The longest workload identifier STS issues (IssueWorkloadIdentityContext's `Subject`).
pub const MAX_SUBJECT_LEN: usize = 256;

const P521_CURVE: pkcs8::ObjectIdentifier = pkcs8::ObjectIdentifier::new_unwrap("1.3.132.0.35");

/// Whether `domain` is a SPIFFE trust domain: lowercase letters, digits, `.`, `-` and `_`,
/// not empty, at most 255 characters.
pub fn is_trust_domain(domain: &str) -> bool {
    !domain.is_empty()
        && domain.len() <= 255
        && domain
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_'))
}

/// Whether `segment` is a SPIFFE ID path segment: letters, digits, `.`, `-` and `_`, not
/// empty, and not `.` or `..`.
pub fn is_path_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment != "."
        && segment != ".."
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// The SPIFFE ID `spiffe://{domain}/{path}`, when the domain is a trust domain and every
/// segment of the path a path segment.
pub fn spiffe_id(domain: &str, path: &str) -> Option<String> {
    (is_trust_domain(domain) && path.split('/').all(is_path_segment))
        .then(|| format!("spiffe://{domain}/{path}"))
}

/// The JWK of a DER SubjectPublicKeyInfo: `kty` `EC` (P-256, P-384, P-521) or `RSA` with its
/// parameters; `None` for another key type.
pub fn jwk_of_spki(spki_der: &[u8]) -> Option<Map<String, Value>> {
    let spki = SubjectPublicKeyInfoRef::from_der(spki_der).ok()?;
    let key = spki.subject_public_key.as_bytes()?;
    let mut jwk = Map::new();
    if spki.algorithm.oid == EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters
            .and_then(|p| p.decode_as::<pkcs8::ObjectIdentifier>().ok())?;
        let (crv, len) = match curve {
            c if c == P256_CURVE => ("P-256", 32),
            c if c == P384_CURVE => ("P-384", 48),
            c if c == P521_CURVE => ("P-521", 66),
            _ => return None,
        };
        // An uncompressed point: 0x04 ‖ x ‖ y.
        if key.len() != 1 + 2 * len || key[0] != 4 {
            return None;
        }
        jwk.insert("kty".into(), json!("EC"));
        jwk.insert("crv".into(), json!(crv));
        jwk.insert("x".into(), json!(URL_SAFE_NO_PAD.encode(&key[1..=len])));
        jwk.insert("y".into(), json!(URL_SAFE_NO_PAD.encode(&key[1 + len..])));
    } else if spki.algorithm.oid == RSA_ENCRYPTION {
        let rsa = pkcs1::RsaPublicKeyRef::from_der(key).ok()?;
        jwk.insert("kty".into(), json!("RSA"));
        jwk.insert(
            "n".into(),
            json!(URL_SAFE_NO_PAD.encode(rsa.modulus.as_bytes())),
        );
        jwk.insert(
            "e".into(),
            json!(URL_SAFE_NO_PAD.encode(rsa.public_exponent.as_bytes())),
        );
    } else {
        return None;
    }
    Some(jwk)
}

/// The bundle entry of an X.509 authority: the JWK of its certificate's key, `use`
/// `x509-svid`, and the certificate (DER, standard base64) as the only member of `x5c`.
///
/// # Errors
/// [`SvidError::Build`] when the PEM is not a certificate with a key a JWK can carry.
pub fn x509_authority(ca_cert_pem: &str) -> Result<Value, SvidError> {
    let der =
        crate::iam::workload_ca::certificate_der(ca_cert_pem).map_err(|_| SvidError::Build)?;
    let cert = x509_cert::Certificate::from_der(&der).map_err(|_| SvidError::Build)?;
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|_| SvidError::Build)?;
    let mut jwk = jwk_of_spki(&spki).ok_or(SvidError::Build)?;
    jwk.insert("use".into(), json!("x509-svid"));
    jwk.insert("x5c".into(), json!([STANDARD.encode(&der)]));
    Ok(Value::Object(jwk))
}

/// The bundle entry of a JWT authority: its public JWK (with its `kid`, which JWT-SVID
/// headers name) with `use` `jwt-svid`.
pub fn jwt_authority(mut jwk: Map<String, Value>) -> Value {
    jwk.insert("use".into(), json!("jwt-svid"));
    Value::Object(jwk)
}

/// The SPIFFE bundle document of `authorities` (X.509 and JWT entries), with the refresh hint
/// and `spiffe_sequence`.
pub fn bundle(authorities: Vec<Value>, sequence: u64) -> Value {
    json!({
        "keys": authorities,
        "spiffe_refresh_hint": REFRESH_HINT_SECONDS,
        "spiffe_sequence": sequence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spiffe_ids_take_trust_domains_and_path_segments_only() {
        assert_eq!(
            spiffe_id("example.org", "payments/checkout").as_deref(),
            Some("spiffe://example.org/payments/checkout")
        );
        for (domain, path) in [
            ("Example.org", "a"),
            ("", "a"),
            ("ex ample", "a"),
            ("example.org", ""),
            ("example.org", "a//b"),
            ("example.org", "a/../b"),
            ("example.org", "./a"),
            ("example.org", "a/b%20c"),
            ("example.org", "a/"),
        ] {
            assert_eq!(spiffe_id(domain, path), None, "{domain} {path}");
        }
        assert!(is_trust_domain(&"a".repeat(255)));
        assert!(!is_trust_domain(&"a".repeat(256)));
    }

    /// The DER SubjectPublicKeyInfo of a PKCS #8 private key (P-256 or RSA).
    fn public_key_der(pem: &str) -> Vec<u8> {
        use pkcs8::{DecodePrivateKey as _, EncodePublicKey as _};
        let der = match p256::SecretKey::from_pkcs8_pem(pem) {
            Ok(k) => k.public_key().to_public_key_der(),
            Err(_) => rsa::PrivateKey::from_pkcs8_pem(pem)
                .unwrap_or_else(|e| panic!("{e}"))
                .to_public_key()
                .to_public_key_der(),
        };
        der.unwrap_or_else(|e| panic!("{e}")).as_bytes().to_vec()
    }

    #[test]
    fn a_jwk_carries_the_public_key_of_each_supported_type() {
        let p256 = data!("ca_p256.pk8");
        let spki = public_key_der(p256);
        let jwk = jwk_of_spki(&spki).unwrap_or_else(|| panic!("no JWK"));
        assert_eq!(jwk["kty"], "EC");
        assert_eq!(jwk["crv"], "P-256");
        assert_eq!(jwk["x"].as_str().map(str::len), Some(43));
        let rsa = data!("ca_rsa3072.pk8");
        let spki = public_key_der(rsa);
        let jwk = jwk_of_spki(&spki).unwrap_or_else(|| panic!("no JWK"));
        assert_eq!(jwk["kty"], "RSA");
        assert_eq!(jwk["e"], "AQAB");
        // 3,072 bits: 384 bytes, 512 base64url characters.
        assert_eq!(jwk["n"].as_str().map(str::len), Some(512));
        assert_eq!(jwk_of_spki(b"junk"), None);
        let mut jwk = jwk;
        jwk.insert("kid".into(), json!("k1"));
        let entry = jwt_authority(jwk);
        assert_eq!(
            (&entry["use"], &entry["kid"]),
            (&json!("jwt-svid"), &json!("k1"))
        );
        let doc = bundle(vec![entry], 7);
        assert_eq!(doc["spiffe_refresh_hint"], REFRESH_HINT_SECONDS);
        assert_eq!(doc["spiffe_sequence"], 7);
        assert_eq!(doc["keys"].as_array().map(Vec::len), Some(1));
    }
}
