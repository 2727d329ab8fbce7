//! Keyturn's OpenID Connect identity provider: the verifier behind AssumeRoleWithWebIdentity,
//! usable as a library ([`verify`]) and as a plugin loaded through the C ABI ([`OidcPlugin`]).
//!
//! The request carries the OIDC providers declared in the role's account, each with its settings
//! `{"url", "client_ids", "thumbprints", "jwks"}` (the JWKS as a JSON object or JSON text). The
//! token's `iss` picks the provider; its `kid` picks the key. Checks, in order: size (20000
//! bytes, the API's limit), structure, algorithm (RS256/384/512, PS256/384/512, ES256/384 only),
//! issuer, key (`kid`, key type against `alg`, curve), signature, `exp`/`nbf`/`iat` with a skew
//! of [`CLOCK_SKEW_SECONDS`], audience. Keys come from the settings, or from discovery where the
//! configuration asks for it.
//!
//! A provider created through IAM's API (CreateOpenIDConnectProvider) carries no key set: AWS
//! would fetch it from the issuer's discovery document. Here the plugin's configuration names
//! the key sets of the issuers it may meet, `{"key_sets": {"https://issuer/path": {"jwks_file":
//! "/path/jwks.json"} | {"jwks": {...}}}}` ([`KeySets`]); a provider without a `jwks` of its own
//! uses the one configured for its URL, read on every call (a rotated file takes effect at once).
//! `{"discovery": true}` or `{"discovery": "http://127.0.0.1:port/path"}` fetches it through OIDC
//! discovery instead, from the issuer or a loopback mirror of it, cached and fetched again for
//! an unknown `kid` ([`discovery`]).
//!
//! Errors carry AWS's codes and texts ([`OidcError::code`], its `Display`).

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey};
use keyturn_plugin::{
    IdentityProvider, Plugin, PluginFailure, SessionTag, VerifyRequest, VerifyResult,
};
use serde_json::Value;

pub mod discovery;

/// The largest token accepted: the `WebIdentityToken` parameter's maximum length.
pub const MAX_TOKEN_BYTES: usize = 20_000;

/// How far the token's times may be off our clock, in seconds.
pub const CLOCK_SKEW_SECONDS: i64 = 60;

/// The claim that carries session tags.
pub const TAGS_CLAIM: &str = "https://aws.amazon.com/tags";

/// The claim that carries a source identity.
pub const SOURCE_IDENTITY_CLAIM: &str = "https://aws.amazon.com/source_identity";

const KEY_TEXT: &str = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";
const NOT_JWT_TEXT: &str = "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)";
const INVALID_TEXT: &str = "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.";

/// Why a token was refused. `Display` is AWS's message; [`code`](Self::code) AWS's error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidcError {
    /// Longer than [`MAX_TOKEN_BYTES`].
    #[error(
        "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length less than or equal to 20000"
    )]
    TooLarge,
    /// Not three base64url segments of JSON, or a claim of the wrong type.
    #[error("{NOT_JWT_TEXT}")]
    NotJwt,
    /// An algorithm AWS does not accept (`none`, HMAC, EdDSA, ES512, ...).
    #[error("{NOT_JWT_TEXT}")]
    UnsupportedAlgorithm(String),
    /// No provider of the account has the token's issuer as its URL.
    #[error("No OpenIDConnect provider found in your account for {0}")]
    UnknownIssuer(String),
    /// No key of the provider's JWKS fits the token (`kid`, key type, curve), or the JWKS is
    /// missing or malformed.
    #[error("{KEY_TEXT}")]
    NoKey,
    /// The signature does not verify.
    #[error("{INVALID_TEXT}")]
    BadSignature,
    /// `exp` is past.
    #[error("Token expired: current date/time {now} must be before the expiration date/time{exp}")]
    Expired {
        /// The request's time (Unix seconds).
        now: i64,
        /// The token's `exp`.
        exp: i64,
    },
    /// `nbf` or `iat` is in the future.
    #[error("{INVALID_TEXT}")]
    NotYetValid,
    /// A required claim is missing (`iss`, `sub`, `aud`, `exp`).
    #[error("{INVALID_TEXT}")]
    MissingClaim(&'static str),
    /// Neither `aud` nor `azp` is one of the provider's client ids.
    #[error("Incorrect token audience")]
    Audience,
    /// The session-tags claim is not of AWS's shape.
    #[error("{INVALID_TEXT}")]
    BadTags,
}

impl OidcError {
    /// The AWS error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Expired { .. } => "ExpiredTokenException",
            // AWS answers a foreign audience with InvalidIdentityToken "Incorrect token audience".
            _ => "InvalidIdentityToken",
        }
    }
}

impl From<OidcError> for PluginFailure {
    fn from(error: OidcError) -> Self {
        PluginFailure::rejected(error.code(), error.to_string())
    }
}

/// One declared OIDC provider, from its settings.
#[derive(Debug)]
struct Provider<'a> {
    arn: &'a str,
    /// The URL without `https://` and without a trailing `/`: `host/path`.
    key: String,
    client_ids: Vec<&'a str>,
    settings: &'a Value,
}

fn strip_url(url: &str) -> String {
    let url = url.strip_prefix("https://").unwrap_or(url);
    url.trim_end_matches('/').to_owned()
}

fn providers(request: &VerifyRequest) -> Vec<Provider<'_>> {
    request
        .providers
        .iter()
        .filter_map(|p| {
            let url = p.settings.get("url")?.as_str()?;
            let client_ids = p
                .settings
                .get("client_ids")
                .and_then(Value::as_array)
                .map(|ids| ids.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            Some(Provider {
                arn: &p.arn,
                key: strip_url(url),
                client_ids,
                settings: &p.settings,
            })
        })
        .collect()
}

fn segment_json(segment: &str) -> Result<serde_json::Map<String, Value>, OidcError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|_| OidcError::NotJwt)?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(OidcError::NotJwt),
    }
}

fn algorithm(name: &str) -> Result<Algorithm, OidcError> {
    Ok(match name {
        "RS256" => Algorithm::RS256,
        "RS384" => Algorithm::RS384,
        "RS512" => Algorithm::RS512,
        "PS256" => Algorithm::PS256,
        "PS384" => Algorithm::PS384,
        "PS512" => Algorithm::PS512,
        "ES256" => Algorithm::ES256,
        "ES384" => Algorithm::ES384,
        other => return Err(OidcError::UnsupportedAlgorithm(other.to_owned())),
    })
}

/// Whether `jwk` may verify `alg`: RSA keys for RS*/PS*, P-256 for ES256, P-384 for ES384, and a
/// key's own `alg`, if it declares one, equal to the token's.
fn key_fits(jwk: &Jwk, alg: Algorithm) -> bool {
    if let Some(key_alg) = jwk.common.key_algorithm
        && format!("{key_alg:?}") != format!("{alg:?}")
    {
        return false;
    }
    match (&jwk.algorithm, alg) {
        (
            AlgorithmParameters::RSA(_),
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512,
        ) => true,
        (AlgorithmParameters::EllipticCurve(ec), Algorithm::ES256) => {
            ec.curve == EllipticCurve::P256
        }
        (AlgorithmParameters::EllipticCurve(ec), Algorithm::ES384) => {
            ec.curve == EllipticCurve::P384
        }
        _ => false,
    }
}

/// The key sets configured for issuers, by issuer URL without `https://` and trailing `/`:
/// each the JWKS itself, the file that holds it, or OIDC discovery (see the crate
/// documentation and [`discovery`]).
#[derive(Debug, Clone, Default)]
pub struct KeySets(BTreeMap<String, Value>, discovery::Cache);

impl KeySets {
    /// The key sets of a plugin configuration's `key_sets` member (none when absent).
    ///
    /// # Errors
    /// A message when `key_sets` is not an object of `{"jwks": …}` or `{"jwks_file": "…"}`.
    pub fn from_config(config: &Value) -> Result<Self, String> {
        let Some(sets) = config.get("key_sets") else {
            return Ok(Self::default());
        };
        let sets = sets
            .as_object()
            .ok_or("`key_sets` must map issuer URLs to key sets")?;
        let mut out = BTreeMap::new();
        for (url, source) in sets {
            let ok = source.get("jwks").is_some()
                || source.get("jwks_file").is_some_and(Value::is_string)
                || source
                    .get("discovery")
                    .is_some_and(|d| d.is_string() || d == &Value::Bool(true));
            if !ok {
                return Err(format!(
                    "key_sets.{url}: give `jwks` (a JWKS), `jwks_file` (its path) or \
                     `discovery` (true, or the base URL to fetch the issuer's documents from)"
                ));
            }
            let mut source = source.clone();
            if source.get("discovery") == Some(&Value::Bool(true)) {
                source["discovery"] = Value::String(url.trim_end_matches('/').to_owned());
            }
            out.insert(strip_url(url), source);
        }
        Ok(Self(out, discovery::Cache::default()))
    }

    /// Whether `key`'s keys come from discovery (and can be fetched again).
    fn discovered(&self, key: &str) -> bool {
        self.0
            .get(key)
            .is_some_and(|s| s.get("discovery").is_some())
    }

    /// The key set configured for the issuer `key` (`host/path`), read now.
    fn get(&self, key: &str) -> Option<Value> {
        self.get_fresh(key, false)
    }

    /// As `get`; `refresh`: the set lacked the token's key, fetch a discovered set again.
    fn get_fresh(&self, key: &str, refresh: bool) -> Option<Value> {
        let source = self.0.get(key)?;
        if let Some(base) = source.get("discovery").and_then(Value::as_str) {
            let issuer = format!("https://{key}");
            return self
                .1
                .get(key, refresh, || discovery::discover(&issuer, base))
                .ok();
        }
        if let Some(jwks) = source.get("jwks") {
            return Some(jwks.clone());
        }
        let file = source.get("jwks_file")?.as_str()?;
        std::fs::read_to_string(file).ok().map(Value::String)
    }
}

fn jwks(settings: &Value, fallback: Option<Value>) -> Result<JwkSet, OidcError> {
    let own = settings.get("jwks").filter(|v| !v.is_null()).cloned();
    let value = own.or(fallback).ok_or(OidcError::NoKey)?;
    let parsed = match &value {
        Value::String(text) => serde_json::from_str(text),
        other => serde_json::from_value(other.clone()),
    };
    parsed.map_err(|_| OidcError::NoKey)
}

/// The range of times a token's `exp`, `nbf` and `iat` may name, in Unix seconds: years 1 to
/// 9999, what a timestamp holds (0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z). A time outside it
/// (`2^63`, `1e308`) is the sender's malformed token, refused like any other.
const TOKEN_TIMES: std::ops::RangeInclusive<i64> = -62_135_596_800..=253_402_300_799;

fn numeric(claims: &serde_json::Map<String, Value>, name: &str) -> Result<Option<i64>, OidcError> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f.floor() as i64))
            .filter(|t| TOKEN_TIMES.contains(t))
            .map(Some)
            .ok_or(OidcError::NotJwt),
        Some(_) => Err(OidcError::NotJwt),
    }
}

fn strings(value: Option<&Value>) -> Result<Vec<String>, OidcError> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned).ok_or(OidcError::NotJwt))
            .collect(),
        Some(_) => Err(OidcError::NotJwt),
    }
}

/// The token's claims as text, for a provider's context provider: a string, number or boolean
/// claim as its one value, an array of them as its values; objects, nulls and arrays holding
/// anything else are left out (a context provider cannot map them).
fn claim_texts(claims: &serde_json::Map<String, Value>) -> BTreeMap<String, Vec<String>> {
    fn text(value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
    claims
        .iter()
        .filter_map(|(name, value)| {
            let values = match value {
                Value::Array(items) => items.iter().map(text).collect::<Option<Vec<_>>>()?,
                other => vec![text(other)?],
            };
            Some((name.clone(), values))
        })
        .collect()
}

/// Session tags and transitive keys from the `https://aws.amazon.com/tags` claim:
/// `{"principal_tags": {"key": ["value"]}, "transitive_tag_keys": ["key"]}`.
fn tags(claim: Option<&Value>) -> Result<(Vec<SessionTag>, Vec<String>), OidcError> {
    let Some(claim) = claim else {
        return Ok((Vec::new(), Vec::new()));
    };
    let object = claim.as_object().ok_or(OidcError::BadTags)?;
    let mut session_tags = Vec::new();
    if let Some(principal) = object.get("principal_tags") {
        for (key, values) in principal.as_object().ok_or(OidcError::BadTags)? {
            let value = match values {
                Value::Array(items) if items.len() == 1 => items.first().and_then(Value::as_str),
                Value::String(s) => Some(s.as_str()),
                _ => None,
            }
            .ok_or(OidcError::BadTags)?;
            session_tags.push(SessionTag {
                key: key.clone(),
                value: value.to_owned(),
            });
        }
    }
    let transitive = strings(object.get("transitive_tag_keys")).map_err(|_| OidcError::BadTags)?;
    if transitive
        .iter()
        .any(|key| !session_tags.iter().any(|tag| &tag.key == key))
    {
        return Err(OidcError::BadTags);
    }
    Ok((session_tags, transitive))
}

/// Verifies a compact JWS's signature (not its claims) against a JWKS: the header's `alg` must be
/// one AWS accepts; the `kid` picks the key (without a `kid`, every key that fits is tried, which
/// is how a rotated key set works); the key's type and curve must fit the algorithm. Returns the
/// algorithm.
pub fn verify_signature(token: &str, set: &JwkSet) -> Result<Algorithm, OidcError> {
    let Some((signing_input, signature)) = token.rsplit_once('.') else {
        return Err(OidcError::NotJwt);
    };
    let Some((header, _payload)) = signing_input.split_once('.') else {
        return Err(OidcError::NotJwt);
    };
    if signature.is_empty() || signature.contains('.') {
        return Err(OidcError::NotJwt);
    }
    let header = segment_json(header)?;
    let alg = algorithm(
        header
            .get("alg")
            .and_then(Value::as_str)
            .ok_or(OidcError::NotJwt)?,
    )?;
    let kid = header.get("kid").and_then(Value::as_str);
    let candidates: Vec<&Jwk> = set
        .keys
        .iter()
        .filter(|jwk| kid.is_none() || jwk.common.key_id.as_deref() == kid)
        .filter(|jwk| key_fits(jwk, alg))
        .collect();
    if candidates.is_empty() {
        return Err(OidcError::NoKey);
    }
    let verified = candidates.iter().any(|jwk| {
        DecodingKey::from_jwk(jwk)
            .and_then(|key| {
                jsonwebtoken::crypto::verify(signature, signing_input.as_bytes(), &key, alg)
            })
            .unwrap_or(false)
    });
    if verified {
        Ok(alg)
    } else {
        Err(OidcError::BadSignature)
    }
}

/// Verifies the request's token against the request's providers at the request's `now`.
pub fn verify(request: &VerifyRequest) -> Result<VerifyResult, OidcError> {
    verify_with(request, &KeySets::default())
}

/// As [`verify`], with `key_sets` for the providers that carry no key set of their own.
pub fn verify_with(request: &VerifyRequest, key_sets: &KeySets) -> Result<VerifyResult, OidcError> {
    let token = request.token.trim();
    if token.len() > MAX_TOKEN_BYTES {
        return Err(OidcError::TooLarge);
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(OidcError::NotJwt);
    };
    if signature.is_empty() {
        return Err(OidcError::NotJwt);
    }
    let header = segment_json(header)?;
    let claims = segment_json(payload)?;
    let alg_name = header
        .get("alg")
        .and_then(Value::as_str)
        .ok_or(OidcError::NotJwt)?;
    algorithm(alg_name)?;
    if header.contains_key("crit") {
        return Err(OidcError::NotJwt);
    }

    // The issuer picks the provider.
    let iss = claims
        .get("iss")
        .and_then(Value::as_str)
        .ok_or(OidcError::MissingClaim("iss"))?;
    let wanted = iss
        .strip_prefix("https://")
        .map(|rest| rest.trim_end_matches('/'))
        .ok_or_else(|| OidcError::UnknownIssuer(iss.to_owned()))?;
    let all = providers(request);
    let provider = all
        .iter()
        .find(|p| p.key == wanted)
        .ok_or_else(|| OidcError::UnknownIssuer(iss.to_owned()))?;

    match verify_signature(
        token,
        &jwks(provider.settings, key_sets.get(&provider.key))?,
    ) {
        // A discovered key set may have rotated: fetch it again for an unknown key.
        Err(OidcError::NoKey)
            if provider.settings.get("jwks").is_none_or(Value::is_null)
                && key_sets.discovered(&provider.key) =>
        {
            verify_signature(
                token,
                &jwks(provider.settings, key_sets.get_fresh(&provider.key, true))?,
            )?;
        }
        other => {
            other?;
        }
    }

    // Times, with skew.
    let now = request.now;
    let exp = numeric(&claims, "exp")?.ok_or(OidcError::MissingClaim("exp"))?;
    if now > exp.saturating_add(CLOCK_SKEW_SECONDS) {
        return Err(OidcError::Expired { now, exp });
    }
    for name in ["nbf", "iat"] {
        if let Some(t) = numeric(&claims, name)?
            && t > now.saturating_add(CLOCK_SKEW_SECONDS)
        {
            return Err(OidcError::NotYetValid);
        }
    }

    // Subject and audience.
    let sub = claims
        .get("sub")
        .and_then(Value::as_str)
        .ok_or(OidcError::MissingClaim("sub"))?;
    let aud = strings(claims.get("aud"))?;
    if aud.is_empty() {
        return Err(OidcError::MissingClaim("aud"));
    }
    let azp = match claims.get("azp") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => return Err(OidcError::NotJwt),
    };
    let accepted = |id: &str| provider.client_ids.contains(&id);
    let audience = aud
        .iter()
        .map(String::as_str)
        .find(|id| accepted(id))
        .or(azp.filter(|id| accepted(id)))
        .ok_or(OidcError::Audience)?
        .to_owned();

    // Condition keys, as AWS names them: `<host/path>:aud` is `azp` when the token has one (and
    // then `:oaud` is the original `aud`), `:sub`, `:amr` when present.
    let prefix = &provider.key;
    let mut condition_keys = BTreeMap::new();
    match azp {
        Some(azp) => {
            condition_keys.insert(format!("{prefix}:aud"), vec![azp.to_owned()]);
            condition_keys.insert(format!("{prefix}:azp"), vec![azp.to_owned()]);
            condition_keys.insert(format!("{prefix}:oaud"), aud.clone());
        }
        None => {
            condition_keys.insert(format!("{prefix}:aud"), aud.clone());
        }
    }
    condition_keys.insert(format!("{prefix}:sub"), vec![sub.to_owned()]);
    let amr = strings(claims.get("amr"))?;
    if !amr.is_empty() {
        condition_keys.insert(format!("{prefix}:amr"), amr);
    }

    let (session_tags, transitive_tag_keys) = tags(claims.get(TAGS_CLAIM))?;
    let source_identity = match claims.get(SOURCE_IDENTITY_CLAIM) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(OidcError::NotJwt),
    };

    Ok(VerifyResult {
        subject: sub.to_owned(),
        audience: Some(audience),
        issuer: Some(iss.to_owned()),
        condition_keys,
        session_tags,
        transitive_tag_keys,
        source_identity,
        expires_at: Some(exp),
        provider_arn: Some(provider.arn.to_owned()),
        claims: claim_texts(&claims),
        ..VerifyResult::default()
    })
}

/// The plugin: every provider comes with the request, as the engine's newest model has it (a
/// provider created or deleted through IAM's API is seen on the very next call). Configuration:
/// optional `key_sets` ([`KeySets`]); anything else is ignored.
#[derive(Debug)]
pub struct OidcPlugin {
    key_sets: KeySets,
}

impl Plugin for OidcPlugin {
    const NAME: &'static str = "keyturn-oidc";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");

    fn create(config: Value) -> Result<Self, PluginFailure> {
        let key_sets = KeySets::from_config(&config).map_err(PluginFailure::InvalidInput)?;
        Ok(Self { key_sets })
    }
}

impl IdentityProvider for OidcPlugin {
    fn verify(&self, request: VerifyRequest) -> Result<VerifyResult, PluginFailure> {
        verify_with(&request, &self.key_sets).map_err(PluginFailure::from)
    }
}

keyturn_plugin::export_plugin!(OidcPlugin, identity_provider);

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{OidcError, numeric};

    fn exp_of(value: Value) -> Result<Option<i64>, OidcError> {
        let claims = json!({ "exp": value });
        let map = claims.as_object().cloned().unwrap_or_default();
        numeric(&map, "exp")
    }

    #[test]
    fn times_beyond_what_a_timestamp_holds_are_a_malformed_token() {
        // Signed by the trusted provider, such a token got a 500 (the host could not represent
        // the session's end); it is the sender's error, InvalidIdentityToken.
        for huge in [
            json!(9_223_372_036_854_775_808_u64),
            json!(1e308),
            json!(-1e308),
        ] {
            let refused = exp_of(huge.clone());
            assert_eq!(refused, Err(OidcError::NotJwt), "{huge}");
            assert_eq!(OidcError::NotJwt.code(), "InvalidIdentityToken");
        }
        assert_eq!(exp_of(json!(253_402_300_800_i64)), Err(OidcError::NotJwt));
        assert_eq!(
            exp_of(json!(253_402_300_799_i64)),
            Ok(Some(253_402_300_799))
        );
        assert_eq!(exp_of(json!(1_800_000_000.75)), Ok(Some(1_800_000_000)));
        assert_eq!(exp_of(Value::Null), Ok(None));
    }
}
