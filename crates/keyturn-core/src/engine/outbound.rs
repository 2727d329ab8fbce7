//! Outbound web identity federation: the engine as an OpenID Connect issuer.
//!
//! Each account whose federation is enabled is an issuer at `{public URL}/outbound/{account}`.
//! Its signing keys are derived from the keyring, one pair per keyring key (so they rotate with
//! it, and every node that holds the keyring signs alike):
//!
//! - ES384: a P-384 scalar derived with HMAC-SHA256 from the keyring key, the algorithm and the
//!   account id;
//! - RS256: a 2048-bit RSA key generated from a ChaCha20 stream seeded the same way (the same
//!   crate version on every node derives the same key).
//!
//! The active keyring key signs; every key of the keyring is published in the JWKS, so a token
//! stays verifiable until its key is retired (tokens live an hour at most). Keys are derived on
//! first use and cached per (keyring key, account): the RSA generation costs tens of
//! milliseconds, paid once per key and account, never on the request path of other operations.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng as _;
use rsa::signature::{SignatureEncoding as _, Signer as _};
use rsa::traits::PublicKeyParts as _;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::Engine;
use crate::keyring::{KeyId, Keyring};
use crate::{Error, ErrorCode};

/// The public URL the issuers live under when none was set ([`Engine::set_public_url`]): the
/// default listen address.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8787";

/// The path under the public URL where the issuer of an account lives: `/outbound/{account}`.
pub const ISSUER_PATH: &str = "/outbound/";

/// The discovery document's path under an issuer.
pub const DISCOVERY_PATH: &str = "/.well-known/openid-configuration";

/// The key set's path under an issuer.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";

/// The JWT signing algorithms GetWebIdentityToken accepts (`SigningAlgorithm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256, 2048-bit keys.
    Rs256,
    /// ECDSA on P-384 with SHA-384.
    Es384,
}

impl JwtAlgorithm {
    /// The algorithm named `name` as JOSE names it (`RS256`, `ES384`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "RS256" => Some(Self::Rs256),
            "ES384" => Some(Self::Es384),
            _ => None,
        }
    }

    /// The JOSE name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::Es384 => "ES384",
        }
    }
}

/// One account's signing keys under one keyring key.
struct AccountKeys {
    rsa: rsa::pkcs1v15::SigningKey<Sha256>,
    rsa_kid: String,
    rsa_jwk: Value,
    ec: p384::ecdsa::SigningKey,
    ec_kid: String,
    ec_jwk: Value,
}

/// The engine's outbound issuer state: the public URL and the derived keys.
#[derive(Default)]
pub(crate) struct Outbound {
    public_url: OnceLock<String>,
    keys: Mutex<HashMap<(KeyId, String), Arc<AccountKeys>>>,
}

fn internal(what: &str) -> Error {
    Error::new(
        ErrorCode::InternalFailure,
        format!("outbound signing key: {what}"),
    )
}

fn kid(alg: JwtAlgorithm, public: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(alg.name().as_bytes());
    h.update([0]);
    h.update(public);
    hex::encode(&h.finalize()[..12])
}

fn derive(keyring: &Keyring, id: KeyId, account: &str) -> Result<AccountKeys, Error> {
    let seed = keyring
        .outbound_seed(id, account, b"RS256")
        .ok_or_else(|| internal("no such keyring key"))?;
    let mut rng = ChaCha20Rng::from_seed(*seed);
    let private = rsa::PrivateKey::new(&mut rng, 2048).map_err(|_| internal("RSA"))?;
    let n = private.n_bytes();
    let e = private.e_bytes();
    let rsa_kid = kid(JwtAlgorithm::Rs256, &n);
    let rsa_jwk = json!({
        "kty": "RSA",
        "use": "sig",
        "alg": "RS256",
        "kid": rsa_kid,
        "n": URL_SAFE_NO_PAD.encode(&n),
        "e": URL_SAFE_NO_PAD.encode(&e),
    });
    let rsa = rsa::pkcs1v15::SigningKey::<Sha256>::new(private);

    // A P-384 scalar from 48 derived bytes; a value outside [1, n) (probability ~2^-190) takes
    // the next counter.
    let mut ec = None;
    for counter in 0u8..4 {
        let label = [b'E', b'S', b'3', b'8', b'4', counter];
        let a = keyring
            .outbound_seed(id, account, &label)
            .ok_or_else(|| internal("no such keyring key"))?;
        let b = keyring
            .outbound_seed(id, account, &[&label[..], b"+"].concat())
            .ok_or_else(|| internal("no such keyring key"))?;
        let mut scalar = zeroize::Zeroizing::new([0u8; 48]);
        scalar[..32].copy_from_slice(&a[..]);
        scalar[32..].copy_from_slice(&b[..16]);
        if let Ok(key) = p384::ecdsa::SigningKey::from_slice(&scalar[..]) {
            ec = Some(key);
            break;
        }
    }
    let ec = ec.ok_or_else(|| internal("P-384"))?;
    let point = ec.verifying_key().to_sec1_point(false);
    let bytes = point.as_bytes();
    if bytes.len() != 97 {
        return Err(internal("P-384 point"));
    }
    let ec_kid = kid(JwtAlgorithm::Es384, bytes);
    let ec_jwk = json!({
        "kty": "EC",
        "use": "sig",
        "alg": "ES384",
        "kid": ec_kid,
        "crv": "P-384",
        "x": URL_SAFE_NO_PAD.encode(&bytes[1..49]),
        "y": URL_SAFE_NO_PAD.encode(&bytes[49..97]),
    });
    Ok(AccountKeys {
        rsa,
        rsa_kid,
        rsa_jwk,
        ec,
        ec_kid,
        ec_jwk,
    })
}

impl Outbound {
    fn keys(&self, keyring: &Keyring, id: KeyId, account: &str) -> Result<Arc<AccountKeys>, Error> {
        let cache_key = (id, account.to_owned());
        if let Some(k) = self
            .keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&cache_key)
        {
            return Ok(Arc::clone(k));
        }
        // Derived outside the lock: two first uses may both derive (the same key).
        let derived = Arc::new(derive(keyring, id, account)?);
        let mut map = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        // Keys of retired keyring keys are dropped with the next insertion.
        let live = keyring.key_ids();
        map.retain(|(k, _), _| live.contains(k));
        Ok(Arc::clone(map.entry(cache_key).or_insert(derived)))
    }

    /// [`Engine::sign_jwt`] with `keyring`.
    fn sign(
        &self,
        keyring: &Keyring,
        account: &str,
        alg: JwtAlgorithm,
        claims: &Value,
        payload_limit: usize,
    ) -> Result<Option<String>, Error> {
        let payload = serde_json::to_vec(claims).map_err(|_| internal("claims"))?;
        if payload.len() > payload_limit {
            return Ok(None);
        }
        let keys = self.keys(keyring, keyring.active_id(), account)?;
        let kid = match alg {
            JwtAlgorithm::Rs256 => &keys.rsa_kid,
            JwtAlgorithm::Es384 => &keys.ec_kid,
        };
        let header = json!({"alg": alg.name(), "kid": kid, "typ": "JWT"});
        let header = serde_json::to_vec(&header).map_err(|_| internal("header"))?;
        let mut token = URL_SAFE_NO_PAD.encode(&header);
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(&payload));
        let signature = match alg {
            JwtAlgorithm::Rs256 => keys.rsa.try_sign(token.as_bytes()).map(|s| s.to_vec()),
            JwtAlgorithm::Es384 => {
                p384::ecdsa::signature::Signer::<p384::ecdsa::Signature>::try_sign(
                    &keys.ec,
                    token.as_bytes(),
                )
                .map(|s| s.to_bytes().to_vec())
            }
        }
        .map_err(|_| internal("signing"))?;
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(&signature));
        Ok(Some(token))
    }

    /// [`Engine::jwks`] with `keyring`.
    fn jwks(&self, keyring: &Keyring, account: &str) -> Result<Value, Error> {
        let active = keyring.active_id();
        let mut ids = keyring.key_ids();
        ids.sort_by_key(|id| (*id != active, std::cmp::Reverse(*id)));
        let mut keys = Vec::with_capacity(ids.len() * 2);
        for id in ids {
            let k = self.keys(keyring, id, account)?;
            keys.push(k.rsa_jwk.clone());
            keys.push(k.ec_jwk.clone());
        }
        Ok(json!({ "keys": keys }))
    }
}

impl Engine {
    /// Sets the public base URL of the engine's OIDC issuers (`server.public_url`, or the
    /// address the server bound). The first call wins; without one, [`DEFAULT_PUBLIC_URL`].
    pub fn set_public_url(&self, url: &str) {
        let _ = self
            .outbound
            .public_url
            .set(url.trim_end_matches('/').to_owned());
    }

    /// The public base URL of the engine's OIDC issuers.
    pub fn public_url(&self) -> &str {
        self.outbound
            .public_url
            .get()
            .map_or(DEFAULT_PUBLIC_URL, String::as_str)
    }

    /// The issuer URL of `account`'s outbound web identity federation.
    pub fn issuer_url(&self, account: &str) -> String {
        format!("{}{ISSUER_PATH}{account}", self.public_url())
    }

    /// Signs `claims` as a compact JWS with `account`'s key for `alg` under the active keyring
    /// key: `header.payload.signature`. `payload_limit` bounds the encoded claims' length
    /// (`None`: returned when they are longer).
    ///
    /// # Errors
    /// `InternalFailure` when the key cannot be derived.
    pub fn sign_jwt(
        &self,
        account: &str,
        alg: JwtAlgorithm,
        claims: &Value,
        payload_limit: usize,
    ) -> Result<Option<String>, Error> {
        self.outbound
            .sign(&self.keyring, account, alg, claims, payload_limit)
    }

    /// The JSON Web Key Set of `account`'s issuer: both algorithms' public keys under every
    /// key of the keyring (the active one first).
    ///
    /// # Errors
    /// `InternalFailure` when a key cannot be derived.
    pub fn jwks(&self, account: &str) -> Result<Value, Error> {
        self.outbound.jwks(&self.keyring, account)
    }

    /// The OpenID Connect discovery document of `account`'s issuer.
    pub fn openid_configuration(&self, account: &str) -> Value {
        discovery(self.issuer_url(account))
    }

    /// The discovery document or key set of a workload identity provider's JWT-SVID issuer, or
    /// its SPIFFE bundle (`rest` is the path after [`super::workload::WORKLOAD_ISSUER_PATH`]:
    /// `{provider id}/.well-known/…` or `{provider id}/bundle`).
    fn workload_well_known(&self, rest: &str) -> Option<Value> {
        let (id, doc) = rest.split_once('/')?;
        let snapshot = self.snapshot().ok()?;
        let provider = snapshot
            .data
            .accounts
            .iter()
            .flat_map(|a| &a.workload_identity_providers)
            .find(|p| p.id == id)?;
        match format!("/{doc}").as_str() {
            DISCOVERY_PATH => Some(discovery(self.workload_issuer_url(provider))),
            JWKS_PATH => self.workload_jwks(provider).ok(),
            // The SPIFFE bundle the provider's `BundleEndpointUrl` names: GetTrustBundles' document.
            super::workload::BUNDLE_PATH => {
                crate::ops::sts::workload::provider_bundle(self, provider).ok()
            }
            _ => None,
        }
    }
}

/// The OpenID Connect discovery document of the issuer at `issuer`.
fn discovery(issuer: String) -> Value {
    json!({
        "issuer": issuer,
        "jwks_uri": format!("{issuer}{JWKS_PATH}"),
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256", "ES384"],
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "jti", "scope", "https://sts.amazonaws.com/"],
    })
}

impl Engine {
    /// The document a `GET` of `path` asks for, when `path` is an issuer's discovery document or
    /// key set and that account's federation is enabled: the JSON text. `None` otherwise.
    pub fn well_known(&self, path: &str) -> Option<String> {
        if let Some(rest) = path.strip_prefix(super::workload::WORKLOAD_ISSUER_PATH) {
            return serde_json::to_string(&self.workload_well_known(rest)?).ok();
        }
        let rest = path.strip_prefix(ISSUER_PATH)?;
        let (account, doc) = rest.split_once('/')?;
        let doc = format!("/{doc}");
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let snapshot = self.snapshot().ok()?;
        let enabled = snapshot
            .data
            .accounts
            .iter()
            .any(|a| a.id == account && a.outbound_web_identity_federation);
        if !enabled {
            return None;
        }
        let value = match doc.as_str() {
            DISCOVERY_PATH => self.openid_configuration(account),
            JWKS_PATH => self.jwks(account).ok()?,
            _ => return None,
        };
        serde_json::to_string(&value).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring() -> Keyring {
        Keyring::from_keys(vec![(1, [7u8; 32]), (2, [9u8; 32])], 2, [3u8; 32])
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn derivation_is_deterministic_and_per_account() {
        let r = ring();
        let a = derive(&r, 2, "111111111111").unwrap_or_else(|e| panic!("{e}"));
        let b = derive(&r, 2, "111111111111").unwrap_or_else(|e| panic!("{e}"));
        let c = derive(&r, 2, "222222222222").unwrap_or_else(|e| panic!("{e}"));
        let d = derive(&r, 1, "111111111111").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.rsa_jwk, b.rsa_jwk);
        assert_eq!(a.ec_jwk, b.ec_jwk);
        assert_ne!(a.rsa_kid, c.rsa_kid);
        assert_ne!(a.ec_kid, c.ec_kid);
        assert_ne!(a.ec_kid, d.ec_kid);
        assert_eq!(a.ec_jwk["crv"], "P-384");
        assert_eq!(a.rsa_jwk["e"], "AQAB");
        // 2048-bit modulus: 256 bytes, 342 base64url characters.
        assert_eq!(a.rsa_jwk["n"].as_str().map(str::len), Some(342));
        assert!(derive(&r, 5, "111111111111").is_err());
    }

    fn parts(token: &str) -> (Value, Value, Vec<u8>, String) {
        let mut it = token.split('.');
        let (Some(h), Some(p), Some(sig), None) = (it.next(), it.next(), it.next(), it.next())
        else {
            panic!("not a compact JWS: {token}")
        };
        let json = |s: &str| -> Value {
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(s).unwrap_or_else(|e| panic!("{e}")))
                .unwrap_or_else(|e| panic!("{e}"))
        };
        (
            json(h),
            json(p),
            URL_SAFE_NO_PAD
                .decode(sig)
                .unwrap_or_else(|e| panic!("{e}")),
            format!("{h}.{p}"),
        )
    }

    fn jwk_for<'a>(set: &'a Value, kid: &Value) -> &'a Value {
        set["keys"]
            .as_array()
            .and_then(|keys| keys.iter().find(|k| &k["kid"] == kid))
            .unwrap_or_else(|| panic!("kid {kid} not published in {set}"))
    }

    /// Verifies `token` against the published key its `kid` names.
    fn verifies(token: &str, set: &Value) -> bool {
        use rsa::signature::Verifier as _;
        let (header, _, sig, input) = parts(token);
        let jwk = jwk_for(set, &header["kid"]);
        let b64 = |v: &Value| {
            URL_SAFE_NO_PAD
                .decode(v.as_str().unwrap_or(""))
                .unwrap_or_else(|e| panic!("{e}"))
        };
        match header["alg"].as_str() {
            Some("ES384") => {
                let mut point = vec![4u8];
                point.extend(b64(&jwk["x"]));
                point.extend(b64(&jwk["y"]));
                let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(&point)
                    .unwrap_or_else(|e| panic!("{e}"));
                let Ok(sig) = p384::ecdsa::Signature::from_slice(&sig) else {
                    return false;
                };
                key.verify(input.as_bytes(), &sig).is_ok()
            }
            Some("RS256") => {
                let n = rsa::BoxedUint::from_be_slice_vartime(&b64(&jwk["n"]));
                let e = rsa::BoxedUint::from_be_slice_vartime(&b64(&jwk["e"]));
                let public = rsa::PublicKey::new(n, e).unwrap_or_else(|e| panic!("{e}"));
                let key = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(public);
                let Ok(sig) = rsa::pkcs1v15::Signature::try_from(sig.as_slice()) else {
                    return false;
                };
                key.verify(input.as_bytes(), &sig).is_ok()
            }
            other => panic!("alg {other:?}"),
        }
    }

    #[test]
    fn tokens_verify_and_old_keys_stay_published_after_rotation() {
        let account = "222222222222";
        let claims = json!({"iss": "x", "sub": "y"});
        let out = Outbound::default();
        let mut ring = Keyring::from_keys(vec![(1, [7u8; 32])], 1, [3u8; 32])
            .unwrap_or_else(|e| panic!("{e}"));
        let sign = |out: &Outbound, ring: &Keyring, alg| {
            out.sign(ring, account, alg, &claims, 1024)
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|| panic!("over the limit"))
        };
        let old_rs = sign(&out, &ring, JwtAlgorithm::Rs256);
        let old_es = sign(&out, &ring, JwtAlgorithm::Es384);
        let (header, payload, _, _) = parts(&old_es);
        assert_eq!(header["alg"], "ES384");
        assert_eq!(header["typ"], "JWT");
        assert_eq!(payload, claims);
        let set = out.jwks(&ring, account).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(set["keys"].as_array().map(Vec::len), Some(2));
        assert!(verifies(&old_rs, &set));
        assert!(verifies(&old_es, &set));

        // A tampered payload does not verify.
        let mut forged: Vec<&str> = old_es.split('.').collect();
        let other = URL_SAFE_NO_PAD.encode(br#"{"iss":"x","sub":"z"}"#);
        forged[1] = &other;
        assert!(!verifies(&forged.join("."), &set));

        // Rotation: the new key signs, the old one stays published (active first).
        ring.rotate().unwrap_or_else(|e| panic!("{e}"));
        let new_es = sign(&out, &ring, JwtAlgorithm::Es384);
        assert_ne!(parts(&new_es).0["kid"], parts(&old_es).0["kid"]);
        let set = out.jwks(&ring, account).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(set["keys"].as_array().map(Vec::len), Some(4));
        assert_eq!(set["keys"][1]["kid"], parts(&new_es).0["kid"]);
        assert!(verifies(&new_es, &set));
        assert!(verifies(&old_es, &set));
        assert!(verifies(&old_rs, &set));

        // Retired: its keys leave the set.
        ring.retire(1).unwrap_or_else(|e| panic!("{e}"));
        let set = out.jwks(&ring, account).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(set["keys"].as_array().map(Vec::len), Some(2));
        assert!(
            !set["keys"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k["kid"] == parts(&old_es).0["kid"]))
        );

        // Another account's keys do not verify this account's tokens.
        let other_set = out
            .jwks(&ring, "111111111111")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !other_set["keys"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k["kid"] == parts(&new_es).0["kid"]))
        );
    }

    #[test]
    fn the_payload_limit_is_enforced() {
        let out = Outbound::default();
        let ring = ring();
        let claims = json!({"pad": "x".repeat(100)});
        assert!(matches!(
            out.sign(&ring, "222222222222", JwtAlgorithm::Es384, &claims, 50),
            Ok(None)
        ));
        assert!(matches!(
            out.sign(&ring, "222222222222", JwtAlgorithm::Es384, &claims, 200),
            Ok(Some(_))
        ));
    }

    #[test]
    fn algorithm_names() {
        assert_eq!(JwtAlgorithm::from_name("RS256"), Some(JwtAlgorithm::Rs256));
        assert_eq!(JwtAlgorithm::from_name("ES384"), Some(JwtAlgorithm::Es384));
        assert_eq!(JwtAlgorithm::from_name("HS256"), None);
        assert_eq!(JwtAlgorithm::from_name("es384"), None);
    }
}
