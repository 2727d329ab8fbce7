//! The JSON shapes that cross the ABI (JSON layer version 1): one set of serde structs shared by the host, Rust
//! plugins and (as documented text) C plugins.
//!
//! Both sides ignore fields they do not know, so new optional fields can be added within ABI 1.x. Times are Unix
//! seconds (`i64`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A string that must never appear in logs (`Debug` prints `***`; zeroized on drop): the
/// project's one secret type, from the API layer. Serialised as a plain JSON string.
pub use keyturn_api::SecretString;

/// The body of a `KT_STATUS_REJECTED` result: an AWS error code and its message, as they go on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectionBody {
    /// The AWS error code, e.g. `InvalidIdentityToken`.
    pub code: String,
    /// The AWS error message.
    pub message: String,
}

/// One session tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTag {
    /// Tag key.
    pub key: String,
    /// Tag value.
    pub value: String,
}

/// Identity provider input: what `verify` receives.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyRequest {
    /// The provider's ARN, e.g. `arn:aws:iam::123456789012:oidc-provider/idp.example.com`.
    pub provider_arn: String,
    /// The identity token or assertion, as the caller sent it.
    pub token: String,
    /// The role the caller wants to assume.
    pub role_arn: String,
    /// The time of the request (Unix seconds).
    pub now: i64,
    /// ABI 1.0 additions for federation (all optional on the wire). The federation action: `web_identity`
    /// (AssumeRoleWithWebIdentity) or `saml` (AssumeRoleWithSAML); `None` from an older host.
    #[serde(default)]
    pub kind: Option<String>,
    /// The `PrincipalArn` parameter of AssumeRoleWithSAML (the SAML provider the caller names); `None` for web
    /// identity, where the provider is found from the token's issuer.
    #[serde(default)]
    pub principal_arn: Option<String>,
    /// The providers of this kind declared in the role's account, with their settings (files already read).
    /// When set, `provider_arn` is the requested one (SAML) or empty (web identity).
    #[serde(default)]
    pub providers: Vec<ProviderInfo>,
}

/// One identity provider declared in the IAM model (same JSON shape as keyturn-core's `ProviderInfo`).
/// The secret members of its settings (a SAML provider's `private_keys`) never show in `Debug`
/// and are wiped when it is dropped.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderInfo {
    /// `arn:aws:iam::ACCT:oidc-provider/HOST/PATH` or `arn:aws:iam::ACCT:saml-provider/NAME`.
    pub arn: String,
    /// The account that declares it.
    pub account_id: String,
    /// The provider's settings: for OIDC `{"url", "client_ids", "thumbprints", "jwks"}`, for SAML
    /// `{"name", "metadata", "assertion_encryption_mode", "private_keys"}` (see docs/federation.md).
    #[serde(default)]
    pub settings: serde_json::Value,
}

keyturn_api::provider_with_secret_settings!(ProviderInfo);

/// Identity provider output: the verified identity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyResult {
    /// The verified subject (`sub`, NameID, ...).
    pub subject: String,
    /// The audience the token was issued for.
    #[serde(default)]
    pub audience: Option<String>,
    /// The issuer of the token.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Condition keys for the trust policy, e.g. `{"idp.example.com:sub": ["alice"]}`.
    #[serde(default)]
    pub condition_keys: BTreeMap<String, Vec<String>>,
    /// Session tags carried by the identity.
    #[serde(default)]
    pub session_tags: Vec<SessionTag>,
    /// Tag keys that are transitive.
    #[serde(default)]
    pub transitive_tag_keys: Vec<String>,
    /// The source identity carried by the identity.
    #[serde(default)]
    pub source_identity: Option<String>,
    /// When the verified identity stops being valid (Unix seconds). For SAML this is the assertion's
    /// `SessionNotOnOrAfter`: the session may not outlive it.
    #[serde(default)]
    pub expires_at: Option<i64>,
    /// ABI 1.0 additions for federation (all optional on the wire). The ARN of the provider that vouched for
    /// the token (the one found among `VerifyRequest::providers`).
    #[serde(default)]
    pub provider_arn: Option<String>,
    /// SAML: the NameID format without the `urn:oasis:names:tc:SAML:2.0:nameid-format:` prefix.
    #[serde(default)]
    pub subject_type: Option<String>,
    /// SAML: the `RoleSessionName` attribute.
    #[serde(default)]
    pub role_session_name: Option<String>,
    /// SAML: the `SessionDuration` attribute, in seconds.
    #[serde(default)]
    pub session_duration: Option<u32>,
    /// SAML: the (role ARN, provider ARN) pairs of the `Role` attribute.
    #[serde(default)]
    pub roles: Vec<RolePair>,
    /// Additions for trusted identity propagation (optional; absent from older plugins, whose
    /// identities then have no claims to map). The verified token's claims (web identity: each
    /// claim that is a string, number or boolean, or an array of them, as text) or the verified
    /// assertion's attributes by `Name` (SAML): what a provider's context provider maps.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub claims: BTreeMap<String, Vec<String>>,
    /// SAML: a hash of the key that signed the assertion (lowercase hex SHA-256 of its
    /// `SubjectPublicKeyInfo`), the session's `aws:OriginIdentity/Issuer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_hash: Option<String>,
    /// SAML: whether the assertion arrived encrypted (STS then does not return the trusted
    /// identity propagation context, though the session carries it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assertion_encrypted: bool,
}

/// One (role, provider) pair of a SAML `Role` attribute.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolePair {
    /// The role's ARN.
    pub role_arn: String,
    /// The SAML provider's ARN.
    pub provider_arn: String,
}

/// Credential signer input to `mint`: the session to seal. Fields beyond the fixed ones are kept in `extra` and
/// must come back unchanged from `open`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionClaims {
    /// The access key id of the session (`ASIA...`).
    pub access_key_id: String,
    /// The account the session belongs to.
    pub account_id: String,
    /// The session's principal, e.g. `arn:aws:sts::123456789012:assumed-role/R/s`.
    pub principal_arn: String,
    /// Issue time (Unix seconds).
    pub issued_at: i64,
    /// Expiry (Unix seconds).
    pub expires_at: i64,
    /// Everything else the engine puts in a session (tags, MFA state, session policies, ...).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Credential signer output of `mint`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintedToken {
    /// The session token to hand to the caller.
    pub session_token: String,
    /// The secret access key that goes with it.
    pub secret_access_key: SecretString,
}

/// Credential signer output of `open`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenedToken {
    /// The claims sealed in the token.
    pub claims: SessionClaims,
    /// The secret access key the token implies.
    pub secret_access_key: SecretString,
}

/// Policy evaluator input.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EvaluationRequest {
    /// The calling principal's ARN.
    pub principal_arn: String,
    /// The action, e.g. `sts:AssumeRole`.
    pub action: String,
    /// The resource ARN.
    pub resource: String,
    /// The request context: condition keys to their values.
    #[serde(default)]
    pub context: BTreeMap<String, Vec<String>>,
    /// The policy documents that apply (identity, resource, session, boundary), as JSON.
    #[serde(default)]
    pub policies: Vec<serde_json::Value>,
    /// The SCPs of the principal's account, one list per level of its organization path (root
    /// first); at each level one must allow. Informative: the host applies them itself after
    /// the plugin's decision, so a plugin that ignores them cannot allow what they deny.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scps: Vec<Vec<serde_json::Value>>,
    /// The RCPs of the resource's account, by level as `scps`; applied by the host likewise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rcps: Vec<Vec<serde_json::Value>>,
}

/// A decision, named as IAM's policy simulator names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    /// An Allow applies and no Deny does.
    #[serde(rename = "allowed")]
    Allowed,
    /// A Deny applies.
    #[serde(rename = "explicitDeny")]
    ExplicitDeny,
    /// Nothing applies.
    #[serde(rename = "implicitDeny")]
    ImplicitDeny,
}

/// Policy evaluator output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationDecision {
    /// The decision.
    pub decision: Decision,
    /// Why, for audit logs (statement ids, a rule name, ...).
    #[serde(default)]
    pub reason: Option<String>,
}
