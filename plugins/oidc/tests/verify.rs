//! The OIDC verifier against tokens made by PyJWT (tests/fixtures, made by make_tokens.py), the
//! RFC 7520 JWS examples, and attacks; directly and through the C ABI.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use keyturn_oidc::{OidcError, verify, verify_signature};
use keyturn_plugin::{PluginError, PluginLibrary, ProviderInfo, VerifyRequest};
use serde_json::{Value, json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const NOW: i64 = 1_800_000_000;
const ARN: &str = "arn:aws:iam::123456789012:oidc-provider/idp.example.com/tenant";

fn fixture(name: &str) -> Result<String, Box<dyn std::error::Error>> {
    Ok(std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )?)
}

fn tokens() -> Result<BTreeMap<String, String>, Box<dyn std::error::Error>> {
    Ok(serde_json::from_str(&fixture("tokens.json")?)?)
}

fn token(name: &str) -> Result<String, Box<dyn std::error::Error>> {
    tokens()?
        .remove(name)
        .ok_or_else(|| format!("no fixture token {name}").into())
}

fn request(token: &str) -> Result<VerifyRequest, Box<dyn std::error::Error>> {
    let jwks: Value = serde_json::from_str(&fixture("jwks.json")?)?;
    Ok(VerifyRequest {
        token: token.to_owned(),
        role_arn: "arn:aws:iam::123456789012:role/web".to_owned(),
        now: NOW,
        kind: Some("web_identity".to_owned()),
        providers: vec![
            ProviderInfo {
                arn: "arn:aws:iam::123456789012:oidc-provider/other.example.org".to_owned(),
                account_id: "123456789012".to_owned(),
                settings: json!({"url": "https://other.example.org", "client_ids": ["client-1"],
                                 "jwks": {"keys": []}}),
            },
            ProviderInfo {
                arn: ARN.to_owned(),
                account_id: "123456789012".to_owned(),
                // The JWKS as JSON text, as a jwks_file would give it.
                settings: json!({"url": "https://idp.example.com/tenant/",
                                 "client_ids": ["client-1", "client-2"],
                                 "thumbprints": [], "jwks": jwks.to_string()}),
            },
        ],
        ..VerifyRequest::default()
    })
}

fn check(name: &str) -> Result<keyturn_plugin::VerifyResult, OidcError> {
    let token = token(name).map_err(|_| OidcError::NotJwt)?;
    let request = request(&token).map_err(|_| OidcError::NotJwt)?;
    verify(&request)
}

#[test]
fn every_supported_algorithm_verifies() -> TestResult {
    for name in [
        "rs256", "rs384", "rs512", "ps256", "ps384", "ps512", "es256", "es384",
    ] {
        let result = check(name).map_err(|e| format!("{name}: {e}"))?;
        assert_eq!(result.subject, "user-123", "{name}");
        assert_eq!(result.provider_arn.as_deref(), Some(ARN));
        assert_eq!(
            result.issuer.as_deref(),
            Some("https://idp.example.com/tenant")
        );
        assert_eq!(result.audience.as_deref(), Some("client-1"));
        assert_eq!(result.expires_at, Some(NOW + 3600));
        assert_eq!(
            result.condition_keys.get("idp.example.com/tenant:sub"),
            Some(&vec!["user-123".to_owned()])
        );
        assert_eq!(
            result.condition_keys.get("idp.example.com/tenant:aud"),
            Some(&vec!["client-1".to_owned()])
        );
    }
    Ok(())
}

#[test]
fn a_token_without_kid_is_tried_against_every_fitting_key() -> TestResult {
    assert_eq!(check("rotated_no_kid")?.subject, "user-123");
    Ok(())
}

#[test]
fn azp_stands_for_the_audience_and_oaud_keeps_aud() -> TestResult {
    let result = check("azp")?;
    assert_eq!(result.audience.as_deref(), Some("client-1"));
    let keys = &result.condition_keys;
    assert_eq!(
        keys.get("idp.example.com/tenant:aud"),
        Some(&vec!["client-1".to_owned()])
    );
    assert_eq!(
        keys.get("idp.example.com/tenant:azp"),
        Some(&vec!["client-1".to_owned()])
    );
    assert_eq!(
        keys.get("idp.example.com/tenant:oaud"),
        Some(&vec!["other-audience".to_owned()])
    );
    Ok(())
}

#[test]
fn an_audience_list_and_amr() -> TestResult {
    let result = check("aud_list")?;
    assert_eq!(result.audience.as_deref(), Some("client-2"));
    assert_eq!(
        result.condition_keys.get("idp.example.com/tenant:amr"),
        Some(&vec!["authenticated".to_owned(), "mfa".to_owned()])
    );
    Ok(())
}

#[test]
fn session_tags_and_source_identity() -> TestResult {
    let result = check("tags")?;
    let mut tags: Vec<(String, String)> = result
        .session_tags
        .iter()
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect();
    tags.sort();
    assert_eq!(
        tags,
        vec![
            ("cost".to_owned(), "42".to_owned()),
            ("team".to_owned(), "blue".to_owned())
        ]
    );
    assert_eq!(result.transitive_tag_keys, vec!["team".to_owned()]);
    assert_eq!(result.source_identity.as_deref(), Some("alice"));
    assert_eq!(check("bad_tags"), Err(OidcError::BadTags));
    Ok(())
}

#[test]
fn times() -> TestResult {
    let expired = check("expired");
    assert_eq!(
        expired,
        Err(OidcError::Expired {
            now: NOW,
            exp: NOW - 3600
        })
    );
    let error = expired.err().ok_or("expired token accepted")?;
    assert_eq!(error.code(), "ExpiredTokenException");
    assert_eq!(
        error.to_string(),
        format!(
            "Token expired: current date/time {NOW} must be before the expiration date/time{}",
            NOW - 3600
        )
    );
    assert!(check("expired_within_skew").is_ok());
    assert_eq!(check("nbf_future"), Err(OidcError::NotYetValid));
    assert_eq!(check("iat_future"), Err(OidcError::NotYetValid));
    assert_eq!(check("no_exp"), Err(OidcError::MissingClaim("exp")));
    Ok(())
}

#[test]
fn issuer_and_audience() -> TestResult {
    assert_eq!(
        check("wrong_iss"),
        Err(OidcError::UnknownIssuer(
            "https://evil.example.com/tenant".to_owned()
        ))
    );
    assert_eq!(
        check("http_iss"),
        Err(OidcError::UnknownIssuer(
            "http://idp.example.com/tenant".to_owned()
        ))
    );
    let wrong_aud = check("wrong_aud");
    assert_eq!(wrong_aud, Err(OidcError::Audience));
    let error = wrong_aud.err().ok_or("wrong audience accepted")?;
    assert_eq!(error.code(), "InvalidIdentityToken");
    assert_eq!(error.to_string(), "Incorrect token audience");
    Ok(())
}

#[test]
fn key_selection_attacks() -> TestResult {
    let no_key = check("wrong_kid");
    assert_eq!(no_key, Err(OidcError::NoKey));
    assert_eq!(
        no_key.err().ok_or("accepted")?.to_string(),
        "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"
    );
    // An EC signature naming an RSA key; an ES384 signature naming the P-256 key.
    assert_eq!(check("ec_key_under_rsa_kid"), Err(OidcError::NoKey));
    assert_eq!(check("es256_with_p384_kid"), Err(OidcError::NoKey));
    assert_eq!(
        check("signed_by_other_key_with_kid_k1"),
        Err(OidcError::BadSignature)
    );
    Ok(())
}

#[test]
fn algorithm_attacks() -> TestResult {
    // `alg: none` comes with an empty signature: not a JWS we accept, whatever the header says.
    for name in ["alg_none", "alg_none_with_kid"] {
        assert_eq!(check(name), Err(OidcError::NotJwt), "{name}");
        let with_signature = format!("{}c2ln", token(name)?);
        assert_eq!(
            verify(&request(&with_signature)?),
            Err(OidcError::UnsupportedAlgorithm("none".to_owned())),
            "{name}"
        );
    }
    let hs = check("hs256_with_rsa_public_key");
    assert_eq!(hs, Err(OidcError::UnsupportedAlgorithm("HS256".to_owned())));
    assert_eq!(
        hs.err().ok_or("accepted")?.to_string(),
        "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"
    );
    Ok(())
}

#[test]
fn tampered_payload_and_signature() -> TestResult {
    let good = token("rs256")?;
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    let mut claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1])?)?;
    claims["sub"] = json!("admin");
    parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims)?);
    assert_eq!(
        verify(&request(&parts.join("."))?),
        Err(OidcError::BadSignature)
    );

    let mut flipped = good.clone().into_bytes();
    let last = flipped.len() - 2;
    flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
    assert_eq!(
        verify(&request(&String::from_utf8(flipped)?)?),
        Err(OidcError::BadSignature)
    );
    Ok(())
}

#[test]
fn malformed_and_oversized_tokens() -> TestResult {
    let oversized = token("oversized")?;
    assert!(oversized.len() > 20_000);
    let error = verify(&request(&oversized)?).err().ok_or("accepted")?;
    assert_eq!(error, OidcError::TooLarge);
    assert_eq!(error.code(), "InvalidIdentityToken");
    for bad in [
        "",
        "a.b",
        "a.b.c.d",
        "!!.??.**",
        "e30.e30.",
        "bm90IGpzb24.e30.c2ln",
    ] {
        assert_eq!(verify(&request(bad)?), Err(OidcError::NotJwt), "{bad:?}");
    }
    // A token of no declared provider is refused even with a valid signature.
    let mut req = request(&token("rs256")?)?;
    req.providers.truncate(1);
    assert!(matches!(verify(&req), Err(OidcError::UnknownIssuer(_))));
    Ok(())
}

/// The RFC 7520 JWS examples (../shared/vectors/jose/jws).
fn rfc7520_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/jose/jws")
}

fn rfc7520(name: &str) -> Result<(String, JwkSet), Box<dyn std::error::Error>> {
    let path = rfc7520_dir().join(name);
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let compact = case["output"]["compact"]
        .as_str()
        .ok_or("no compact output")?
        .to_owned();
    let set: JwkSet = serde_json::from_value(json!({"keys": [case["input"]["key"].clone()]}))?;
    Ok((compact, set))
}

#[test]
fn rfc7520_examples() -> TestResult {
    if !rfc7520_dir().is_dir() {
        eprintln!("skipped: ../shared/vectors/jose/jws not found");
        return Ok(());
    }
    let (rs256, key) = rfc7520("4_1.rsa_v15_signature.json")?;
    assert_eq!(
        verify_signature(&rs256, &key)?,
        jsonwebtoken::Algorithm::RS256
    );
    let (ps384, key) = rfc7520("4_2.rsa-pss_signature.json")?;
    assert_eq!(
        verify_signature(&ps384, &key)?,
        jsonwebtoken::Algorithm::PS384
    );
    // ES512 is not an algorithm AWS accepts for OIDC.
    let (es512, key) = rfc7520("4_3.ecdsa_signature.json")?;
    assert_eq!(
        verify_signature(&es512, &key),
        Err(OidcError::UnsupportedAlgorithm("ES512".to_owned()))
    );
    let (hs256, key) = rfc7520("4_4.hmac-sha2_integrity_protection.json")?;
    assert_eq!(
        verify_signature(&hs256, &key),
        Err(OidcError::UnsupportedAlgorithm("HS256".to_owned()))
    );
    // The RS256 example with its payload changed does not verify; through `verify` the examples
    // are not JWTs at all (their payload is prose, not claims).
    let (head, rest) = rs256.split_once('.').ok_or("no dot")?;
    let (_, sig) = rest.split_once('.').ok_or("no dot")?;
    let forged = format!("{head}.{}.{sig}", URL_SAFE_NO_PAD.encode(b"{}"));
    assert_eq!(
        verify_signature(&forged, &key_of("4_1.rsa_v15_signature.json")?),
        Err(OidcError::BadSignature)
    );
    assert_eq!(verify(&request(&rs256)?), Err(OidcError::NotJwt));
    Ok(())
}

fn key_of(name: &str) -> Result<JwkSet, Box<dyn std::error::Error>> {
    Ok(rfc7520(name)?.1)
}

/// The cdylib next to the test executable (cargo builds it before the integration tests).
fn library() -> Result<PathBuf, Box<dyn std::error::Error>> {
    let exe = std::env::current_exe()?;
    let file = format!(
        "{}keyturn_oidc{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    for dir in exe.ancestors().skip(1).take(3) {
        if dir.join(&file).exists() {
            return Ok(dir.join(&file));
        }
    }
    Err(format!("{file} not found near {}", exe.display()).into())
}

#[test]
fn through_the_c_abi() -> TestResult {
    let library = PluginLibrary::load_any(library()?)?;
    assert_eq!(library.name(), "keyturn-oidc");
    let plugin = library.identity_provider(&Value::Null)?;
    let result = plugin.verify(&request(&token("es384")?)?)?;
    assert_eq!(result.subject, "user-123");
    assert_eq!(result.provider_arn.as_deref(), Some(ARN));
    match plugin.verify(&request(&token("expired")?)?) {
        Err(PluginError::Rejected { code, message }) => {
            assert_eq!(code, "ExpiredTokenException");
            assert!(message.starts_with("Token expired: current date/time"));
        }
        other => return Err(format!("expected a rejection, got {other:?}").into()),
    }
    match plugin.verify(&request(&token("wrong_aud")?)?) {
        Err(PluginError::Rejected { code, message }) => {
            assert_eq!(code, "InvalidIdentityToken");
            assert_eq!(message, "Incorrect token audience");
        }
        other => return Err(format!("expected a rejection, got {other:?}").into()),
    }
    Ok(())
}

/// A provider created through IAM's API carries no key set: the plugin's `key_sets` give it, by
/// issuer URL, read from the file on every call; a provider's own key set wins.
#[test]
fn key_sets_from_the_configuration_serve_providers_without_their_own() -> TestResult {
    use keyturn_oidc::{KeySets, verify_with};
    use keyturn_plugin::Plugin;

    let token = token("rs256")?;
    let mut req = request(&token)?;
    for p in &mut req.providers {
        if let Some(settings) = p.settings.as_object_mut() {
            settings.remove("jwks");
        }
    }
    assert_eq!(verify(&req), Err(OidcError::NoKey));
    let jwks_file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jwks.json");
    let config = json!({"key_sets": {"https://idp.example.com/tenant/": {"jwks_file": jwks_file}}});
    let sets = KeySets::from_config(&config)?;
    assert_eq!(verify_with(&req, &sets)?.subject, "user-123");

    // The provider's own (empty) key set wins over the configured one.
    if let Some(p) = req.providers.iter_mut().find(|p| p.arn == ARN) {
        p.settings["jwks"] = json!({"keys": []});
    }
    assert_eq!(verify_with(&req, &sets), Err(OidcError::NoKey));

    // A configured file that cannot be read gives no key.
    let missing = json!({"key_sets": {"https://idp.example.com/tenant": {"jwks_file": "/nonexistent/jwks.json"}}});
    req.providers.retain(|p| p.arn == ARN);
    if let Some(settings) = req.providers[0].settings.as_object_mut() {
        settings.remove("jwks");
    }
    assert_eq!(
        verify_with(&req, &KeySets::from_config(&missing)?),
        Err(OidcError::NoKey)
    );

    // A malformed configuration is refused when the plugin is created.
    for bad in [
        json!({"key_sets": []}),
        json!({"key_sets": {"https://x": {"file": "/p"}}}),
    ] {
        assert!(KeySets::from_config(&bad).is_err(), "{bad}");
        assert!(keyturn_oidc::OidcPlugin::create(bad).is_err());
    }
    assert!(keyturn_oidc::OidcPlugin::create(json!({})).is_ok());
    Ok(())
}
