//! The OIDC plugin's verifier (AssumeRoleWithWebIdentity): JWT structure, JOSE header, JWKS
//! parsing, key choice, signature and claims. The fuzzer cannot forge a signature, so one mode
//! signs its claims with a P-256 key whose JWK the provider lists (ES256): the claim checks run
//! on arbitrary claims, and what verifies has an expiry a timestamp can hold (issue 16's 500).
//!
//! Input: the first byte picks the mode. Token: the rest is the token. Key set: the rest is
//! the provider's JWKS text, checked against a token signed with the P-256 key. Claims: the
//! header (the usual one, or a chunk of the input), then the claims JSON, signed ES256.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keyturn_plugin::{ProviderInfo, VerifyRequest};
use keyturn_sigv4::{SigningSecret, V4aSigningKey};
use serde_json::{Value, json};

use crate::bytes::Bytes;
use crate::check;

/// The request's time: 2027-01-15T08:00:00Z.
pub const NOW: i64 = 1_800_000_000;
/// The issuer of the fuzz provider.
pub const ISSUER: &str = "https://idp.fuzz.test/tenant";
const ARN: &str = "arn:aws:iam::123456789012:oidc-provider/idp.fuzz.test/tenant";
const HEADER: &str = r#"{"alg":"ES256","kid":"fz","typ":"JWT"}"#;

fn key() -> Option<V4aSigningKey> {
    V4aSigningKey::derive("fuzz-oidc", &SigningSecret::new("a fixed P-256 key"))
}

/// The P-256 key's JWK, and the fixture's RSA keys (plugins/oidc/tests/fixtures).
fn jwks(key: &V4aSigningKey) -> Value {
    let (x, y) = key.verifying_key().coordinates();
    let mut keys: Vec<Value> =
        serde_json::from_str::<Value>(include_str!("../data/oidc-jwks.json"))
            .ok()
            .and_then(|v| v.get("keys").and_then(Value::as_array).cloned())
            .unwrap_or_default();
    keys.push(
        json!({"kty": "EC", "crv": "P-256", "kid": "fz", "alg": "ES256", "use": "sig",
                     "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y)}),
    );
    json!({ "keys": keys })
}

/// `r ‖ s`, 32 bytes each, from a DER `SEQUENCE { INTEGER r, INTEGER s }`.
fn raw_signature(der: &[u8]) -> Option<[u8; 64]> {
    let body = der.strip_prefix(&[0x30])?;
    let (&len, body) = body.split_first()?;
    let body = body.get(..usize::from(len))?;
    let mut out = [0u8; 64];
    let mut rest = body;
    for half in out.chunks_mut(32) {
        let r = rest.strip_prefix(&[0x02])?;
        let (&n, r) = r.split_first()?;
        let (int, after) = r.split_at_checked(usize::from(n))?;
        let int = int.get(int.len().saturating_sub(32)..)?;
        half.get_mut(32 - int.len()..)?.copy_from_slice(int);
        rest = after;
    }
    Some(out)
}

/// `header.payload.signature`, ES256 under the fuzz key.
pub fn sign(key: &V4aSigningKey, header: &[u8], payload: &[u8]) -> Option<String> {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = raw_signature(&key.sign(input.as_bytes()).ok()?)?;
    Some(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

fn request(token: String, jwks: Value) -> VerifyRequest {
    VerifyRequest {
        token,
        role_arn: "arn:aws:iam::123456789012:role/web".to_owned(),
        now: NOW,
        kind: Some("web_identity".to_owned()),
        providers: vec![ProviderInfo {
            arn: ARN.to_owned(),
            account_id: "123456789012".to_owned(),
            settings: json!({"url": ISSUER, "client_ids": ["client-1", "client-2"],
                             "thumbprints": [], "jwks": jwks}),
        }],
        ..VerifyRequest::default()
    }
}

fn verify(request: &VerifyRequest) {
    match keyturn_oidc::verify(request) {
        Ok(result) => {
            let exp = result.expires_at;
            check::holds(
                exp.is_some_and(|t| time::OffsetDateTime::from_unix_timestamp(t).is_ok()),
                || format!("a verified token's expiry is not a time: {exp:?}"),
            );
        }
        Err(e) => {
            let code = e.code();
            check::holds(
                matches!(code, "InvalidIdentityToken" | "ExpiredTokenException"),
                || format!("an unexpected code {code}: {e}"),
            );
        }
    }
}

/// The target.
pub fn oidc(data: &[u8]) {
    let Some(key) = key() else {
        return;
    };
    let mut input = Bytes::new(data);
    match input.byte() % 3 {
        0 => verify(&request(input.rest_text(), jwks(&key))),
        1 => {
            let claims = format!(
                r#"{{"iss":"{ISSUER}","sub":"u-1","aud":"client-1","iat":{},"exp":{}}}"#,
                NOW - 10,
                NOW + 3600
            );
            let Some(token) = sign(&key, HEADER.as_bytes(), claims.as_bytes()) else {
                return;
            };
            verify(&request(token, Value::String(input.rest_text())));
        }
        _ => {
            let header = if input.flag() {
                HEADER.as_bytes()
            } else {
                input.chunk(120)
            };
            let Some(token) = sign(&key, header, input.rest()) else {
                return;
            };
            verify(&request(token, jwks(&key)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_signed_with_the_fuzz_key_verifies() {
        let key = key();
        assert!(key.is_some());
        let Some(key) = key else { return };
        let claims = format!(
            r#"{{"iss":"{ISSUER}","sub":"u-1","aud":"client-1","exp":{}}}"#,
            NOW + 60
        );
        let token = sign(&key, HEADER.as_bytes(), claims.as_bytes()).unwrap_or_default();
        let result = keyturn_oidc::verify(&request(token, jwks(&key)));
        assert_eq!(result.map(|r| r.subject), Ok("u-1".to_owned()));
    }
}
