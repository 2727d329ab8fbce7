//! Identity providers for federation: the backends of AssumeRoleWithWebIdentity (OIDC) and
//! AssumeRoleWithSAML.
//!
//! The engine finds the providers declared in the role's account and hands them, with the token,
//! to the [`IdentityProvider`] registered for that kind of federation. The provider verifies the
//! token (signature, issuer, audience, times) and returns what it proves: a
//! [`FederatedIdentity`]. The engine then does what is common to every kind: the trust policy,
//! durations, session tags, minting.
//!
//! Every type here is plain data with serde, because a provider may live in a C-ABI plugin
//! (`keyturn-plugin`), where requests and results cross as JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::Error;

/// Which federation action a provider serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FederationKind {
    /// AssumeRoleWithWebIdentity: an OpenID Connect ID token (a JWT).
    WebIdentity,
    /// AssumeRoleWithSAML: a base64-encoded SAML 2.0 `Response`.
    Saml,
}

/// One identity provider declared in the IAM model, as the verifier needs it. The secret members
/// of its settings (a SAML provider's `private_keys`) never show in `Debug` and are wiped when it
/// is dropped.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderInfo {
    /// The provider's ARN: `arn:aws:iam::ACCT:oidc-provider/HOST/PATH` or
    /// `arn:aws:iam::ACCT:saml-provider/NAME`.
    pub arn: String,
    /// The account that declares it.
    pub account_id: String,
    /// The provider's settings, with every file already read: for OIDC
    /// `{"url", "client_ids", "thumbprints", "jwks"}`, for SAML `{"name", "metadata",
    /// "assertion_encryption_mode", "private_keys"}` (the PEM texts of its private keys).
    pub settings: serde_json::Value,
}

keyturn_api::provider_with_secret_settings!(ProviderInfo);

/// What the engine asks a provider to verify.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FederationRequest {
    /// The kind of token.
    pub kind: FederationKind,
    /// The token as the caller sent it: a JWT, or a base64 SAML `Response`.
    pub token: String,
    /// The role the caller asks for.
    pub role_arn: String,
    /// The `PrincipalArn` parameter of AssumeRoleWithSAML; `None` for web identity, where the
    /// provider is found from the token's issuer.
    pub principal_arn: Option<String>,
    /// The providers of this kind declared in the role's account.
    pub providers: Vec<ProviderInfo>,
    /// The time of the request.
    #[serde(with = "time::serde::rfc3339")]
    pub now: OffsetDateTime,
}

/// What a verified token proves.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FederatedIdentity {
    /// The ARN of the provider that vouched for the token.
    pub provider_arn: String,
    /// The subject: the JWT's `sub`, or the SAML NameID.
    pub subject: String,
    /// SAML only: the NameID format without the `urn:oasis:names:tc:SAML:2.0:nameid-format:`
    /// prefix (`persistent`, `transient`, …).
    #[serde(default)]
    pub subject_type: Option<String>,
    /// The issuer: the JWT's `iss`, or the SAML `Issuer`.
    pub issuer: String,
    /// The audience: the JWT's `aud` (or `azp`), or the SAML Recipient.
    pub audience: String,
    /// Condition keys that the trust policy sees, e.g. `accounts.google.com:sub`, `saml:aud`.
    /// Keys as AWS spells them; the engine lowercases them for the evaluator.
    #[serde(default)]
    pub condition_keys: BTreeMap<String, Vec<String>>,
    /// Session tags carried by the token (key, value).
    #[serde(default)]
    pub session_tags: Vec<(String, String)>,
    /// Which of the session tags are transitive.
    #[serde(default)]
    pub transitive_tag_keys: Vec<String>,
    /// The source identity carried by the token.
    #[serde(default)]
    pub source_identity: Option<String>,
    /// SAML only: the `RoleSessionName` attribute (web identity takes it as a parameter).
    #[serde(default)]
    pub role_session_name: Option<String>,
    /// SAML only: the `SessionDuration` attribute, in seconds.
    #[serde(default)]
    pub session_duration: Option<u32>,
    /// SAML only: the (role ARN, provider ARN) pairs of the `Role` attribute.
    #[serde(default)]
    pub roles: Vec<(String, String)>,
    /// When the assertion stops vouching for the session (SAML `SessionNotOnOrAfter`); the
    /// session may not outlive it.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub session_not_on_or_after: Option<OffsetDateTime>,
    /// The verified token's claims, or the verified assertion's attributes by `Name`, as text:
    /// what the provider's context provider maps into the session's trusted identity
    /// propagation keys.
    #[serde(default)]
    pub claims: BTreeMap<String, Vec<String>>,
    /// SAML only: a hash of the key that signed the assertion (`aws:OriginIdentity/Issuer`).
    #[serde(default)]
    pub key_hash: Option<String>,
    /// SAML only: whether the assertion arrived encrypted.
    #[serde(default)]
    pub assertion_encrypted: bool,
}

/// A verifier of identity tokens for one kind of federation. Implemented in-process or by a
/// plugin loaded through the C ABI; the engine cannot tell them apart.
///
/// Errors are [`Error`] variants with AWS's codes: `InvalidIdentityToken` (bad signature,
/// malformed token, unknown provider), `ExpiredTokenException`, `IDPRejectedClaim` (a claim the
/// provider does not accept, e.g. the audience), `IDPCommunicationError`.
pub trait IdentityProvider: Send + Sync + std::fmt::Debug {
    /// The federation action this provider serves.
    fn kind(&self) -> FederationKind;

    /// Verifies the request's token against the declared providers.
    fn verify(&self, request: &FederationRequest) -> Result<FederatedIdentity, Error>;
}
