//! Keyturn's SAML 2.0 identity provider: the verifier behind AssumeRoleWithSAML, usable as a
//! library ([`verify`], [`verify_response`]) and as a plugin loaded through the C ABI
//! ([`SamlPlugin`]).
//!
//! The request names the SAML provider (`principal_arn`) among the account's providers, each with
//! settings `{"name", "metadata", "assertion_encryption_mode"?, "private_keys"?, "allow_sha1"?,
//! "recipients"?, "audiences"?}`; the metadata's
//! `entityID` and signing certificates are what the response must match. The XML signature is
//! verified with `xml-sec` (exclusive c14n; RSA-SHA256/384/512, RSA-SHA1 only when allowed) and
//! only what it covers is read: exactly one assertion, references by ID, no duplicate IDs, no
//! DTD. An `EncryptedAssertion` is decrypted with the provider's `private_keys` (XML Encryption:
//! RSA-OAEP, AES-CBC/GCM) and verified as a plain one; `assertion_encryption_mode` `Required`
//! refuses plain assertions. Then: Destination/Recipient, Audience, times with skew, bearer
//! subject confirmation, status, issuer, and AWS's attributes (see docs/federation.md).

mod decrypt;
mod der;
pub mod response;

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use keyturn_plugin::{
    IdentityProvider, Plugin, PluginFailure, RolePair, SecretString, SessionTag, VerifyRequest,
    VerifyResult,
};
use roxmltree::{Document, ParsingOptions};
use serde_json::Value;
use sha1::{Digest, Sha1};
use time::OffsetDateTime;

pub use response::{Expectations, VerifiedAssertion, verify_response};

/// The largest `SAMLAssertion` accepted (base64 characters): the API parameter's maximum.
pub const MAX_ASSERTION_CHARS: usize = 100_000;

/// AWS's sign-in endpoints: the default `Recipient`/`Destination` values.
pub const DEFAULT_RECIPIENTS: [&str; 2] = [
    "https://signin.aws.amazon.com/saml",
    "https://signin.aws.amazon.com/static/saml",
];

/// The default `Audience` values.
pub const DEFAULT_AUDIENCES: [&str; 2] = [
    "https://signin.aws.amazon.com/saml",
    "urn:amazon:webservices",
];

/// The default clock skew, in seconds.
pub const DEFAULT_SKEW_SECONDS: i64 = 300;

const ATTRIBUTES: &str = "https://aws.amazon.com/SAML/Attributes/";
const METADATA_NS: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
const NAMEID_PREFIX: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:";

/// Why a response was refused. `Display` is the message for the caller; [`code`](Self::code)
/// the AWS error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SamlError {
    /// Longer than [`MAX_ASSERTION_CHARS`].
    #[error(
        "1 validation error detected: Value at 'SAMLAssertion' failed to satisfy constraint: Member must have length less than or equal to 100000"
    )]
    TooLarge,
    /// Not base64, not XML, not a SAML 2.0 Response, or a required element missing.
    #[error("Invalid SAML response: {0}")]
    Malformed(String),
    /// The `PrincipalArn` names no SAML provider of the account, or its metadata is unusable.
    #[error("Specified provider doesn't exist")]
    UnknownProvider,
    /// No signature at all.
    #[error("Response signature invalid")]
    Unsigned,
    /// The signature does not verify with the provider's certificates, or does not cover what it
    /// must.
    #[error("Response signature invalid")]
    BadSignature,
    /// A signature or digest algorithm that is not accepted.
    #[error("Response signature invalid")]
    Algorithm(String),
    /// Two elements with the same ID.
    #[error("Invalid SAML response: duplicate IDs")]
    DuplicateId,
    /// Zero or several assertions, or one not directly in the Response.
    #[error("Invalid SAML response: exactly one assertion is required")]
    AssertionCount,
    /// Encrypted identifiers or attributes (an encrypted assertion is decrypted).
    #[error("Invalid SAML response: {0} are not supported")]
    Unsupported(&'static str),
    /// A plain assertion to a provider whose `AssertionEncryptionMode` is `Required`.
    #[error("Invalid SAML response: the SAML provider requires encrypted assertions")]
    EncryptionRequired,
    /// An encrypted assertion to a provider without a private key.
    #[error("Invalid SAML response: the SAML provider has no private key to decrypt the assertion")]
    NoDecryptionKey,
    /// None of the provider's private keys decrypts the assertion, or what it decrypts to is not
    /// one assertion (one message for every cause: no decryption oracle).
    #[error(
        "Invalid SAML response: the assertion cannot be decrypted with the SAML provider's private keys"
    )]
    Undecryptable,
    /// A key-transport or content-encryption algorithm that is not accepted.
    #[error("Invalid SAML response: unsupported encryption algorithm {0}")]
    EncryptionAlgorithm(String),
    /// The status is not Success.
    #[error("Invalid SAML response: the status is not Success")]
    Status,
    /// The issuer is not the provider's entity id.
    #[error("Issuer not present in specified provider")]
    Issuer,
    /// Destination or Recipient is not the expected endpoint.
    #[error("Invalid SAML response: the Recipient or Destination is not the expected endpoint")]
    Recipient,
    /// No audience, or not the expected one.
    #[error("Invalid SAML response: the Audience is not the expected one")]
    Audience,
    /// Past `NotOnOrAfter`.
    #[error("Token expired")]
    Expired,
    /// Before `NotBefore`.
    #[error("Invalid SAML response: the assertion is not yet valid")]
    NotYetValid,
    /// An attribute appears twice.
    #[error("Invalid SAML response: duplicate attribute {0}")]
    DuplicateAttribute(String),
    /// An AWS attribute is missing or malformed.
    #[error("{0}")]
    Attribute(String),
}

impl SamlError {
    /// The AWS error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Expired => "ExpiredTokenException",
            Self::Recipient | Self::Audience => "IDPRejectedClaim",
            _ => "InvalidIdentityToken",
        }
    }
}

impl From<SamlError> for PluginFailure {
    fn from(error: SamlError) -> Self {
        PluginFailure::rejected(error.code(), error.to_string())
    }
}

/// Options that apply to every provider unless its settings say otherwise.
#[derive(Debug, Clone)]
pub struct Defaults {
    /// Accepted `Recipient`/`Destination` values.
    pub recipients: Vec<String>,
    /// Accepted `Audience` values.
    pub audiences: Vec<String>,
    /// Accept RSA-SHA1 (off unless configured).
    pub allow_sha1: bool,
    /// Clock skew, seconds.
    pub skew_seconds: i64,
    /// The smallest RSA key accepted, in bits.
    pub min_rsa_bits: usize,
}

impl Default for Defaults {
    fn default() -> Self {
        Self {
            recipients: DEFAULT_RECIPIENTS.iter().map(|s| (*s).to_owned()).collect(),
            audiences: DEFAULT_AUDIENCES.iter().map(|s| (*s).to_owned()).collect(),
            allow_sha1: false,
            skew_seconds: DEFAULT_SKEW_SECONDS,
            min_rsa_bits: 2048,
        }
    }
}

impl Defaults {
    /// Reads `{"recipients", "audiences", "allow_sha1", "clock_skew_seconds", "min_rsa_bits"}` over
    /// `self`.
    pub fn overridden_by(&self, settings: &Value) -> Result<Self, String> {
        let mut out = self.clone();
        let list = |key: &str| -> Result<Option<Vec<String>>, String> {
            match settings.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .map(Some)
                    .ok_or_else(|| format!("{key}: expected a list of strings")),
                Some(_) => Err(format!("{key}: expected a list of strings")),
            }
        };
        if let Some(recipients) = list("recipients")? {
            out.recipients = recipients;
        }
        if let Some(audiences) = list("audiences")? {
            out.audiences = audiences;
        }
        match settings.get("allow_sha1") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(allow)) => out.allow_sha1 = *allow,
            Some(_) => return Err("allow_sha1: expected true or false".to_owned()),
        }
        match settings.get("clock_skew_seconds") {
            None | Some(Value::Null) => {}
            Some(value) => {
                out.skew_seconds = value
                    .as_i64()
                    .filter(|s| (0..=3600).contains(s))
                    .ok_or("clock_skew_seconds: expected 0 to 3600")?;
            }
        }
        match settings.get("min_rsa_bits") {
            None | Some(Value::Null) => {}
            Some(value) => {
                out.min_rsa_bits = value
                    .as_u64()
                    .filter(|bits| (1024..=8192).contains(bits))
                    .and_then(|bits| usize::try_from(bits).ok())
                    .ok_or("min_rsa_bits: expected 1024 to 8192")?;
            }
        }
        Ok(out)
    }
}

/// The IdP's entity id and signing certificates (DER) from its metadata XML.
pub fn parse_metadata(metadata: &str) -> Option<(Option<String>, Vec<Vec<u8>>)> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: 100_000,
        ..ParsingOptions::default()
    };
    let document = Document::parse_with_options(metadata, options).ok()?;
    let entity = document
        .descendants()
        .find(|n| n.has_tag_name((METADATA_NS, "EntityDescriptor")))
        .and_then(|n| n.attribute("entityID"))
        .map(str::to_owned);
    let mut certificates = Vec::new();
    for descriptor in document
        .descendants()
        .filter(|n| n.has_tag_name((METADATA_NS, "KeyDescriptor")))
    {
        if !matches!(descriptor.attribute("use"), None | Some("signing")) {
            continue;
        }
        let in_idp = descriptor
            .ancestors()
            .any(|a| a.has_tag_name((METADATA_NS, "IDPSSODescriptor")));
        if !in_idp {
            continue;
        }
        for certificate in descriptor
            .descendants()
            .filter(|n| n.has_tag_name((response::DSIG_NS, "X509Certificate")))
        {
            let text: String = certificate
                .text()
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if let Ok(der) = STANDARD.decode(text) {
                certificates.push(der);
            }
        }
    }
    (!certificates.is_empty()).then_some((entity, certificates))
}

/// `saml:namequalifier`: Base64 of SHA-1 of issuer + account id + "/" + provider name.
pub fn name_qualifier(issuer: &str, account_id: &str, provider_name: &str) -> String {
    let digest = Sha1::digest(format!("{issuer}{account_id}/{provider_name}").as_bytes());
    STANDARD.encode(digest)
}

/// The condition-key names AWS gives the eduPerson, eduOrg and X.500 attributes, by their OID
/// attribute name (`urn:oid:...`).
const OID_KEYS: [(&str, &str); 21] = [
    ("urn:oid:1.3.6.1.4.1.5923.1.1.1.1", "eduPersonAffiliation"),
    ("urn:oid:1.3.6.1.4.1.5923.1.1.1.2", "eduPersonNickname"),
    ("urn:oid:1.3.6.1.4.1.5923.1.1.1.3", "eduPersonOrgDN"),
    ("urn:oid:1.3.6.1.4.1.5923.1.1.1.4", "eduPersonOrgUnitDN"),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.5",
        "eduPersonPrimaryAffiliation",
    ),
    ("urn:oid:1.3.6.1.4.1.5923.1.1.1.6", "eduPersonPrincipalName"),
    ("urn:oid:1.3.6.1.4.1.5923.1.1.1.7", "eduPersonEntitlement"),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.8",
        "eduPersonPrimaryOrgUnitDN",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.9",
        "eduPersonScopedAffiliation",
    ),
    ("urn:oid:1.3.6.1.4.1.5923.1.1.1.10", "eduPersonTargetedID"),
    ("urn:oid:1.3.6.1.4.1.5923.1.1.1.11", "eduPersonAssurance"),
    ("urn:oid:1.3.6.1.4.1.5923.1.2.1.2", "eduOrgHomePageURI"),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.2.1.3",
        "eduOrgIdentityAuthNPolicyURI",
    ),
    ("urn:oid:1.3.6.1.4.1.5923.1.2.1.4", "eduOrgLegalName"),
    ("urn:oid:1.3.6.1.4.1.5923.1.2.1.5", "eduOrgSuperiorURI"),
    ("urn:oid:1.3.6.1.4.1.5923.1.2.1.6", "eduOrgWhitePagesURI"),
    ("urn:oid:2.5.4.3", "cn"),
    ("urn:oid:2.5.4.4", "surname"),
    ("urn:oid:2.5.4.42", "givenName"),
    ("urn:oid:0.9.2342.19200300.100.1.1", "uid"),
    ("urn:oid:0.9.2342.19200300.100.1.3", "mail"),
];

fn single(
    attributes: &BTreeMap<String, Vec<String>>,
    name: &str,
) -> Result<Option<String>, SamlError> {
    match attributes
        .get(&format!("{ATTRIBUTES}{name}"))
        .map(Vec::as_slice)
    {
        None => Ok(None),
        Some([value]) => Ok(Some(value.clone())),
        Some(_) => Err(SamlError::Attribute(format!(
            "The {name} attribute must have exactly one value"
        ))),
    }
}

/// The (role, provider) pairs of the Role attribute: "role_arn,provider_arn" in either order.
fn roles(attributes: &BTreeMap<String, Vec<String>>) -> Result<Vec<RolePair>, SamlError> {
    let values = attributes
        .get(&format!("{ATTRIBUTES}Role"))
        .map(Vec::as_slice)
        .unwrap_or_default();
    values
        .iter()
        .map(|value| {
            let (a, b) = value.split_once(',').ok_or_else(|| {
                SamlError::Attribute(format!("Invalid Role attribute value: {value}"))
            })?;
            let (a, b) = (a.trim(), b.trim());
            let is_role = |s: &str| s.starts_with("arn:") && s.contains(":role/");
            let is_provider = |s: &str| s.starts_with("arn:") && s.contains(":saml-provider/");
            if is_role(a) && is_provider(b) {
                Ok(RolePair {
                    role_arn: a.to_owned(),
                    provider_arn: b.to_owned(),
                })
            } else if is_provider(a) && is_role(b) {
                Ok(RolePair {
                    role_arn: b.to_owned(),
                    provider_arn: a.to_owned(),
                })
            } else {
                Err(SamlError::Attribute(format!(
                    "Invalid Role attribute value: {value}"
                )))
            }
        })
        .collect()
}

/// Verifies the request's `SAMLAssertion` (base64 of a SAML `Response`) against the provider the
/// request names, at the request's `now`.
pub fn verify(request: &VerifyRequest, defaults: &Defaults) -> Result<VerifyResult, SamlError> {
    let token: String = request
        .token
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if token.len() > MAX_ASSERTION_CHARS {
        return Err(SamlError::TooLarge);
    }
    let wanted = request
        .principal_arn
        .as_deref()
        .unwrap_or(request.provider_arn.as_str());
    let provider = request
        .providers
        .iter()
        .find(|p| p.arn == wanted)
        .ok_or(SamlError::UnknownProvider)?;
    let name = provider
        .settings
        .get("name")
        .and_then(Value::as_str)
        .or_else(|| provider.arn.rsplit_once('/').map(|(_, n)| n))
        .ok_or(SamlError::UnknownProvider)?;
    let metadata = provider
        .settings
        .get("metadata")
        .and_then(Value::as_str)
        .ok_or(SamlError::UnknownProvider)?;
    let (entity_id, certificates) = parse_metadata(metadata).ok_or(SamlError::UnknownProvider)?;
    let options = defaults
        .overridden_by(&provider.settings)
        .map_err(|_| SamlError::UnknownProvider)?;
    let (encryption_required, decryption_keys) = encryption(&provider.settings)?;
    let xml = STANDARD
        .decode(token.as_bytes())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| SamlError::Malformed("not base64 of UTF-8 XML".to_owned()))?;
    let now = OffsetDateTime::from_unix_timestamp(request.now)
        .map_err(|_| SamlError::Malformed("time".to_owned()))?;
    let expect = Expectations {
        certificates,
        issuer: entity_id,
        recipients: options.recipients,
        audiences: options.audiences,
        allow_sha1: options.allow_sha1,
        skew_seconds: options.skew_seconds,
        min_rsa_bits: options.min_rsa_bits,
        encryption_required,
        decryption_keys,
    };
    let assertion = verify_response(&xml, &expect, now)?;
    result(&assertion, &provider.arn, &provider.account_id, name)
}

/// A provider's `assertion_encryption_mode` (`Required` or `Allowed`, absent: allowed) and
/// `private_keys` (PEM texts) from its settings; anything else there makes the provider unusable.
fn encryption(settings: &Value) -> Result<(bool, Vec<SecretString>), SamlError> {
    let required = match settings.get("assertion_encryption_mode") {
        None | Some(Value::Null) => false,
        Some(Value::String(mode)) if mode == "Allowed" => false,
        Some(Value::String(mode)) if mode == "Required" => true,
        Some(_) => return Err(SamlError::UnknownProvider),
    };
    let keys = match settings.get("private_keys") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(keys)) => keys
            .iter()
            .map(|key| key.as_str().map(SecretString::from))
            .collect::<Option<Vec<_>>>()
            .ok_or(SamlError::UnknownProvider)?,
        Some(_) => return Err(SamlError::UnknownProvider),
    };
    Ok((required, keys))
}

/// The wire result for a verified assertion of the provider `provider_arn` (named `name` in
/// `account_id`).
pub fn result(
    assertion: &VerifiedAssertion,
    provider_arn: &str,
    account_id: &str,
    name: &str,
) -> Result<VerifyResult, SamlError> {
    let attributes = &assertion.attributes;
    let roles = roles(attributes)?;
    if roles.is_empty() {
        return Err(SamlError::Attribute(
            "The SAML assertion does not contain a Role attribute".to_owned(),
        ));
    }
    let role_session_name = single(attributes, "RoleSessionName")?;
    let session_duration = single(attributes, "SessionDuration")?
        .map(|value| {
            value.trim().parse::<u32>().map_err(|_| {
                SamlError::Attribute(
                    "The SessionDuration attribute must be a number of seconds".to_owned(),
                )
            })
        })
        .transpose()?;
    let source_identity = single(attributes, "SourceIdentity")?;
    let mut session_tags = Vec::new();
    for (attribute, values) in attributes {
        if let Some(key) = attribute.strip_prefix(&format!("{ATTRIBUTES}PrincipalTag:")) {
            let [value] = values.as_slice() else {
                return Err(SamlError::Attribute(format!(
                    "The PrincipalTag:{key} attribute must have exactly one value"
                )));
            };
            session_tags.push(SessionTag {
                key: key.to_owned(),
                value: value.clone(),
            });
        }
    }
    let transitive_tag_keys = attributes
        .get(&format!("{ATTRIBUTES}TransitiveTagKeys"))
        .cloned()
        .unwrap_or_default();
    let subject_type = assertion.name_id_format.as_deref().map(|format| {
        format
            .strip_prefix(NAMEID_PREFIX)
            .filter(|short| matches!(*short, "persistent" | "transient"))
            .unwrap_or(format)
            .to_owned()
    });

    let mut keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    keys.insert("saml:aud".to_owned(), vec![assertion.recipient.clone()]);
    keys.insert("saml:iss".to_owned(), vec![assertion.issuer.clone()]);
    keys.insert("saml:sub".to_owned(), vec![assertion.name_id.clone()]);
    if let Some(sub_type) = &subject_type {
        keys.insert("saml:sub_type".to_owned(), vec![sub_type.clone()]);
    }
    keys.insert(
        "saml:namequalifier".to_owned(),
        vec![name_qualifier(&assertion.issuer, account_id, name)],
    );
    keys.insert("saml:doc".to_owned(), vec![format!("{account_id}/{name}")]);
    for (oid, key) in OID_KEYS {
        if let Some(values) = attributes.get(oid) {
            keys.insert(format!("saml:{key}"), values.clone());
        }
    }

    Ok(VerifyResult {
        subject: assertion.name_id.clone(),
        audience: Some(assertion.recipient.clone()),
        issuer: Some(assertion.issuer.clone()),
        condition_keys: keys,
        session_tags,
        transitive_tag_keys,
        source_identity,
        expires_at: assertion
            .session_not_on_or_after
            .map(OffsetDateTime::unix_timestamp),
        provider_arn: Some(provider_arn.to_owned()),
        subject_type,
        role_session_name,
        session_duration,
        roles,
        claims: attributes.clone(),
        key_hash: Some(hex_sha256(&assertion.signing_key)),
        assertion_encrypted: assertion.encrypted,
    })
}

/// Lowercase hex of the SHA-256 of `bytes`.
fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The plugin. Configuration (all optional): `{"recipients": [...], "audiences": [...],
/// "allow_sha1": false, "clock_skew_seconds": 300}`, the defaults for every provider; a
/// provider's settings may override each.
#[derive(Debug)]
pub struct SamlPlugin {
    defaults: Defaults,
}

impl Plugin for SamlPlugin {
    const NAME: &'static str = "keyturn-saml";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");

    fn create(config: Value) -> Result<Self, PluginFailure> {
        let defaults = Defaults::default()
            .overridden_by(&config)
            .map_err(PluginFailure::InvalidInput)?;
        Ok(Self { defaults })
    }
}

impl IdentityProvider for SamlPlugin {
    fn verify(&self, request: VerifyRequest) -> Result<VerifyResult, PluginFailure> {
        verify(&request, &self.defaults).map_err(PluginFailure::from)
    }
}

keyturn_plugin::export_plugin!(SamlPlugin, identity_provider);
