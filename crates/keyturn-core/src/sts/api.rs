//! The STS API (and IAM's policy simulation) as typed requests and responses.
//!
//! Requests carry plain Rust values, already decoded from the wire by the server's Query
//! protocol layer; [`ApiRequest::validate`] checks them against the service model's constraints
//! (the table in [`constraints`]) and yields AWS's exact `ValidationError` text. Responses use
//! [`time::OffsetDateTime`] for timestamps; secrets are [`SecretString`]s whose `Debug` prints `***`.

pub mod constraints;
mod validate;

pub use validate::{lower_camel, null_member_error};

#[cfg(test)]
mod tests;

use std::fmt;

use time::OffsetDateTime;

/// A secret string (secret access key, session token, SAML assertion, web identity token, MFA code).
///
/// Its `Debug` prints `***`; the value is only reachable through [`SecretString::expose`].
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself: for the wire and for the engine, never for logs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// A session tag (`Tags.member.N.Key` / `.Value`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tag {
    /// The tag key (1–128 characters).
    pub key: String,
    /// The tag value (0–256 characters).
    pub value: String,
}

/// A managed policy reference (`PolicyArns.member.N.arn`, `TaskPolicyArn.arn`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyDescriptor {
    /// The policy's ARN.
    pub arn: Option<String>,
}

/// A context assertion from a trusted context provider (`ProvidedContexts.member.N.*`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProvidedContext {
    /// The context provider's ARN.
    pub provider_arn: Option<String>,
    /// The signed context assertion.
    pub context_assertion: Option<String>,
}

/// `AssumeRole`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssumeRoleRequest {
    /// The role to assume.
    pub role_arn: String,
    /// The session's name.
    pub role_session_name: String,
    /// Managed session policies.
    pub policy_arns: Vec<PolicyDescriptor>,
    /// An inline session policy (JSON).
    pub policy: Option<String>,
    /// The session's lifetime in seconds.
    pub duration_seconds: Option<i32>,
    /// Session tags.
    pub tags: Vec<Tag>,
    /// Tag keys that persist along a role chain.
    pub transitive_tag_keys: Vec<String>,
    /// The external id the trust policy may require.
    pub external_id: Option<String>,
    /// The MFA device's serial number or ARN.
    pub serial_number: Option<String>,
    /// The MFA code.
    pub token_code: Option<SecretString>,
    /// The source identity.
    pub source_identity: Option<String>,
    /// Context assertions.
    pub provided_contexts: Vec<ProvidedContext>,
}

/// `AssumeRoleWithSAML`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssumeRoleWithSamlRequest {
    /// The role to assume.
    pub role_arn: String,
    /// The SAML provider's ARN.
    pub principal_arn: String,
    /// The base64 SAML response.
    pub saml_assertion: SecretString,
    /// Managed session policies.
    pub policy_arns: Vec<PolicyDescriptor>,
    /// An inline session policy (JSON).
    pub policy: Option<String>,
    /// The session's lifetime in seconds.
    pub duration_seconds: Option<i32>,
}

/// `AssumeRoleWithWebIdentity`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssumeRoleWithWebIdentityRequest {
    /// The role to assume.
    pub role_arn: String,
    /// The session's name.
    pub role_session_name: String,
    /// The OIDC token (a JWT) or OAuth 2.0 access token.
    pub web_identity_token: SecretString,
    /// `www.amazon.com` or `graph.facebook.com` for OAuth 2.0 tokens.
    pub provider_id: Option<String>,
    /// Managed session policies.
    pub policy_arns: Vec<PolicyDescriptor>,
    /// An inline session policy (JSON).
    pub policy: Option<String>,
    /// The session's lifetime in seconds.
    pub duration_seconds: Option<i32>,
}

/// `AssumeRoot`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssumeRootRequest {
    /// The member account id or ARN.
    pub target_principal: String,
    /// The root task policy.
    pub task_policy_arn: PolicyDescriptor,
    /// The session's lifetime in seconds (0–900).
    pub duration_seconds: Option<i32>,
}

/// `DecodeAuthorizationMessage`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DecodeAuthorizationMessageRequest {
    /// The encoded message from a denial.
    pub encoded_message: String,
}

/// `GetAccessKeyInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetAccessKeyInfoRequest {
    /// The access key id to look up.
    pub access_key_id: String,
}

/// `GetDelegatedAccessToken`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetDelegatedAccessTokenRequest {
    /// The trade-in token.
    pub trade_in_token: SecretString,
}

/// `GetFederationToken`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetFederationTokenRequest {
    /// The federated user's name.
    pub name: String,
    /// An inline session policy (JSON).
    pub policy: Option<String>,
    /// Managed session policies.
    pub policy_arns: Vec<PolicyDescriptor>,
    /// The session's lifetime in seconds.
    pub duration_seconds: Option<i32>,
    /// Session tags.
    pub tags: Vec<Tag>,
}

/// `GetSessionToken`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetSessionTokenRequest {
    /// The session's lifetime in seconds.
    pub duration_seconds: Option<i32>,
    /// The MFA device's serial number or ARN.
    pub serial_number: Option<String>,
    /// The MFA code.
    pub token_code: Option<SecretString>,
}

/// `GetWebIdentityToken`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetWebIdentityTokenRequest {
    /// The audiences (`aud`) of the token.
    pub audience: Vec<String>,
    /// The token's lifetime in seconds (60–3600).
    pub duration_seconds: Option<i32>,
    /// `RS256` or `ES384`.
    pub signing_algorithm: String,
    /// Tags, as custom claims.
    pub tags: Vec<Tag>,
}

/// A context key for a policy simulation (`ContextEntries.member.N.*`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContextEntry {
    /// The key, for example `aws:SourceIp`.
    pub context_key_name: Option<String>,
    /// Its values.
    pub context_key_values: Vec<String>,
    /// `string`, `stringList`, `numeric`, …, as on the wire.
    pub context_key_type: Option<String>,
}

/// IAM `SimulatePrincipalPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimulatePrincipalPolicyRequest {
    /// The user, group or role whose policies are simulated.
    pub policy_source_arn: String,
    /// Extra identity policies (JSON) to include.
    pub policy_input_list: Vec<String>,
    /// Permissions boundaries (JSON) that replace the entity's.
    pub permissions_boundary_policy_input_list: Vec<String>,
    /// The actions to simulate, for example `s3:GetObject`.
    pub action_names: Vec<String>,
    /// The resources to simulate; none means `*`.
    pub resource_arns: Vec<String>,
    /// A resource-based policy (JSON).
    pub resource_policy: Option<String>,
    /// The resource's owner (an account ARN).
    pub resource_owner: Option<String>,
    /// The caller, when a resource policy is simulated.
    pub caller_arn: Option<String>,
    /// Context keys.
    pub context_entries: Vec<ContextEntry>,
    /// The scenario for EC2 resources.
    pub resource_handling_option: Option<String>,
    /// Page size.
    pub max_items: Option<i32>,
    /// Pagination marker.
    pub marker: Option<String>,
}

/// IAM `SimulateCustomPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimulateCustomPolicyRequest {
    /// The identity policies (JSON) to simulate.
    pub policy_input_list: Vec<String>,
    /// Permissions boundaries (JSON).
    pub permissions_boundary_policy_input_list: Vec<String>,
    /// The actions to simulate.
    pub action_names: Vec<String>,
    /// The resources to simulate; none means `*`.
    pub resource_arns: Vec<String>,
    /// A resource-based policy (JSON).
    pub resource_policy: Option<String>,
    /// The resource's owner (an account ARN).
    pub resource_owner: Option<String>,
    /// The caller's ARN.
    pub caller_arn: Option<String>,
    /// Context keys.
    pub context_entries: Vec<ContextEntry>,
    /// The scenario for EC2 resources.
    pub resource_handling_option: Option<String>,
    /// Page size.
    pub max_items: Option<i32>,
    /// Pagination marker.
    pub marker: Option<String>,
}

/// One request of any supported action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiRequest {
    /// `AssumeRole`.
    AssumeRole(AssumeRoleRequest),
    /// `AssumeRoleWithSAML`.
    AssumeRoleWithSaml(AssumeRoleWithSamlRequest),
    /// `AssumeRoleWithWebIdentity`.
    AssumeRoleWithWebIdentity(AssumeRoleWithWebIdentityRequest),
    /// `AssumeRoot`.
    AssumeRoot(AssumeRootRequest),
    /// `DecodeAuthorizationMessage`.
    DecodeAuthorizationMessage(DecodeAuthorizationMessageRequest),
    /// `GetAccessKeyInfo`.
    GetAccessKeyInfo(GetAccessKeyInfoRequest),
    /// `GetCallerIdentity` (no parameters).
    GetCallerIdentity,
    /// `GetDelegatedAccessToken`.
    GetDelegatedAccessToken(GetDelegatedAccessTokenRequest),
    /// `GetFederationToken`.
    GetFederationToken(GetFederationTokenRequest),
    /// `GetSessionToken`.
    GetSessionToken(GetSessionTokenRequest),
    /// `GetWebIdentityToken`.
    GetWebIdentityToken(GetWebIdentityTokenRequest),
    /// IAM `SimulatePrincipalPolicy`.
    SimulatePrincipalPolicy(SimulatePrincipalPolicyRequest),
    /// IAM `SimulateCustomPolicy`.
    SimulateCustomPolicy(SimulateCustomPolicyRequest),
}

/// The STS actions, by wire name.
pub const STS_ACTIONS: [&str; 11] = [
    "AssumeRole",
    "AssumeRoleWithSAML",
    "AssumeRoleWithWebIdentity",
    "AssumeRoot",
    "DecodeAuthorizationMessage",
    "GetAccessKeyInfo",
    "GetCallerIdentity",
    "GetDelegatedAccessToken",
    "GetFederationToken",
    "GetSessionToken",
    "GetWebIdentityToken",
];

/// The IAM actions Keyturn serves, by wire name.
pub const IAM_ACTIONS: [&str; 2] = ["SimulatePrincipalPolicy", "SimulateCustomPolicy"];

impl ApiRequest {
    /// The action's wire name, e.g. `AssumeRoleWithSAML`.
    pub fn action_name(&self) -> &'static str {
        match self {
            Self::AssumeRole(_) => "AssumeRole",
            Self::AssumeRoleWithSaml(_) => "AssumeRoleWithSAML",
            Self::AssumeRoleWithWebIdentity(_) => "AssumeRoleWithWebIdentity",
            Self::AssumeRoot(_) => "AssumeRoot",
            Self::DecodeAuthorizationMessage(_) => "DecodeAuthorizationMessage",
            Self::GetAccessKeyInfo(_) => "GetAccessKeyInfo",
            Self::GetCallerIdentity => "GetCallerIdentity",
            Self::GetDelegatedAccessToken(_) => "GetDelegatedAccessToken",
            Self::GetFederationToken(_) => "GetFederationToken",
            Self::GetSessionToken(_) => "GetSessionToken",
            Self::GetWebIdentityToken(_) => "GetWebIdentityToken",
            Self::SimulatePrincipalPolicy(_) => "SimulatePrincipalPolicy",
            Self::SimulateCustomPolicy(_) => "SimulateCustomPolicy",
        }
    }

    /// Whether this is an IAM action (signed for service `iam`, answered in IAM's namespace).
    pub fn is_iam(&self) -> bool {
        matches!(
            self,
            Self::SimulatePrincipalPolicy(_) | Self::SimulateCustomPolicy(_)
        )
    }

    /// Checks every member against the model's constraints (length, pattern, range, list size,
    /// nested required members).
    ///
    /// # Errors
    /// [`crate::Error::ValidationError`] with AWS's text, listing every failed constraint.
    pub fn validate(&self) -> Result<(), crate::Error> {
        validate::validate(self)
    }
}

/// Temporary security credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// `ASIA…`.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: SecretString,
    /// The session token.
    pub session_token: SecretString,
    /// When the credentials expire.
    pub expiration: OffsetDateTime,
}

/// The assumed-role session (`AROA…:session`, `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumedRoleUser {
    /// `AROA…:session`.
    pub assumed_role_id: String,
    /// The session's ARN.
    pub arn: String,
}

/// A federated user (`ACCT:name`, `arn:aws:sts::ACCT:federated-user/name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FederatedUser {
    /// `ACCT:name`.
    pub federated_user_id: String,
    /// The federated user's ARN.
    pub arn: String,
}

/// `AssumeRole`'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRoleResponse {
    /// The new credentials.
    pub credentials: Credentials,
    /// The session's identity.
    pub assumed_role_user: AssumedRoleUser,
    /// Percent of the packed session policy limit used.
    pub packed_policy_size: Option<i32>,
    /// The session's source identity.
    pub source_identity: Option<String>,
}

/// `AssumeRoleWithSAML`'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRoleWithSamlResponse {
    /// The new credentials.
    pub credentials: Credentials,
    /// The session's identity.
    pub assumed_role_user: AssumedRoleUser,
    /// Percent of the packed session policy limit used.
    pub packed_policy_size: Option<i32>,
    /// The assertion's NameID.
    pub subject: Option<String>,
    /// The NameID format, short form (`transient`, `persistent`) or the full URI.
    pub subject_type: Option<String>,
    /// The assertion's issuer.
    pub issuer: Option<String>,
    /// The SubjectConfirmationData's `Recipient`.
    pub audience: Option<String>,
    /// `BASE64(SHA1(issuer + accountId + "/" + providerName))`.
    pub name_qualifier: Option<String>,
    /// The session's source identity.
    pub source_identity: Option<String>,
}

/// `AssumeRoleWithWebIdentity`'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRoleWithWebIdentityResponse {
    /// The new credentials.
    pub credentials: Credentials,
    /// The token's `sub`.
    pub subject_from_web_identity_token: Option<String>,
    /// The session's identity.
    pub assumed_role_user: AssumedRoleUser,
    /// Percent of the packed session policy limit used.
    pub packed_policy_size: Option<i32>,
    /// The token's issuer (or the ProviderId).
    pub provider: Option<String>,
    /// The token's audience.
    pub audience: Option<String>,
    /// The session's source identity.
    pub source_identity: Option<String>,
}

/// `AssumeRoot`'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRootResponse {
    /// The new credentials.
    pub credentials: Credentials,
    /// The session's source identity.
    pub source_identity: Option<String>,
}

/// `DecodeAuthorizationMessage`'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeAuthorizationMessageResponse {
    /// The decoded authorization decision, a JSON document.
    pub decoded_message: String,
}

/// `GetAccessKeyInfo`'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetAccessKeyInfoResponse {
    /// The account that owns the key.
    pub account: String,
}

/// `GetCallerIdentity`'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCallerIdentityResponse {
    /// The caller's unique id (`AIDA…`, `AROA…:session`, `ACCT:name`, or the account id for root).
    pub user_id: String,
    /// The caller's account.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
}

/// `GetDelegatedAccessToken`'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetDelegatedAccessTokenResponse {
    /// The new credentials.
    pub credentials: Credentials,
    /// Percent of the packed session policy limit used.
    pub packed_policy_size: Option<i32>,
    /// The principal the credentials act as.
    pub assumed_principal: Option<String>,
}

/// `GetFederationToken`'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetFederationTokenResponse {
    /// The new credentials.
    pub credentials: Credentials,
    /// The federated user.
    pub federated_user: FederatedUser,
    /// Percent of the packed session policy limit used.
    pub packed_policy_size: Option<i32>,
}

/// `GetSessionToken`'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetSessionTokenResponse {
    /// The new credentials.
    pub credentials: Credentials,
}

/// `GetWebIdentityToken`'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetWebIdentityTokenResponse {
    /// The signed JWT.
    pub web_identity_token: SecretString,
    /// When it expires.
    pub expiration: OffsetDateTime,
}

/// A simulated decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalDecision {
    /// `allowed`.
    Allowed,
    /// `explicitDeny`.
    ExplicitDeny,
    /// `implicitDeny`.
    ImplicitDeny,
}

impl EvalDecision {
    /// The wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::ExplicitDeny => "explicitDeny",
            Self::ImplicitDeny => "implicitDeny",
        }
    }
}

/// A position in a policy document (1-based line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line.
    pub line: i32,
    /// Column.
    pub column: i32,
}

/// A statement that contributed to a simulated decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The policy's identifier (name or ARN).
    pub source_policy_id: Option<String>,
    /// `user`, `group`, `role`, `aws-managed`, `user-managed`, `resource` or `none`.
    pub source_policy_type: Option<String>,
    /// Where the statement starts.
    pub start_position: Option<Position>,
    /// Where it ends.
    pub end_position: Option<Position>,
}

/// The decision for one resource of a simulated action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceSpecificResult {
    /// The resource.
    pub eval_resource_name: String,
    /// Its decision.
    pub eval_resource_decision: EvalDecision,
    /// Contributing statements.
    pub matched_statements: Vec<Statement>,
    /// Context keys the policies used but the request lacked.
    pub missing_context_values: Vec<String>,
    /// Decision per policy source (`IAM Policy`, `Resource Policy`, …).
    pub eval_decision_details: Vec<(String, EvalDecision)>,
}

/// The result of simulating one action (on one resource).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationResult {
    /// The action.
    pub eval_action_name: String,
    /// The resource, `*` when none was given.
    pub eval_resource_name: Option<String>,
    /// The decision.
    pub eval_decision: EvalDecision,
    /// Contributing statements.
    pub matched_statements: Vec<Statement>,
    /// Context keys the policies used but the request lacked.
    pub missing_context_values: Vec<String>,
    /// Whether the permissions boundary allowed it, when one applied.
    pub allowed_by_permissions_boundary: Option<bool>,
    /// Decision per policy source (`IAM Policy`, `Resource Policy`, …).
    pub eval_decision_details: Vec<(String, EvalDecision)>,
    /// Per-resource results.
    pub resource_specific_results: Vec<ResourceSpecificResult>,
}

/// `SimulatePrincipalPolicy`'s and `SimulateCustomPolicy`'s result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulatePolicyResponse {
    /// One result per action (and resource).
    pub evaluation_results: Vec<EvaluationResult>,
    /// Whether more results follow.
    pub is_truncated: bool,
    /// The marker for the next page.
    pub marker: Option<String>,
}

/// One response of any supported action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiResponse {
    /// `AssumeRole`.
    AssumeRole(AssumeRoleResponse),
    /// `AssumeRoleWithSAML`.
    AssumeRoleWithSaml(AssumeRoleWithSamlResponse),
    /// `AssumeRoleWithWebIdentity`.
    AssumeRoleWithWebIdentity(AssumeRoleWithWebIdentityResponse),
    /// `AssumeRoot`.
    AssumeRoot(AssumeRootResponse),
    /// `DecodeAuthorizationMessage`.
    DecodeAuthorizationMessage(DecodeAuthorizationMessageResponse),
    /// `GetAccessKeyInfo`.
    GetAccessKeyInfo(GetAccessKeyInfoResponse),
    /// `GetCallerIdentity`.
    GetCallerIdentity(GetCallerIdentityResponse),
    /// `GetDelegatedAccessToken`.
    GetDelegatedAccessToken(GetDelegatedAccessTokenResponse),
    /// `GetFederationToken`.
    GetFederationToken(GetFederationTokenResponse),
    /// `GetSessionToken`.
    GetSessionToken(GetSessionTokenResponse),
    /// `GetWebIdentityToken`.
    GetWebIdentityToken(GetWebIdentityTokenResponse),
    /// `SimulatePrincipalPolicy`.
    SimulatePrincipalPolicy(SimulatePolicyResponse),
    /// `SimulateCustomPolicy`.
    SimulateCustomPolicy(SimulatePolicyResponse),
}

impl ApiResponse {
    /// The action's wire name (matches [`ApiRequest::action_name`]).
    pub fn action_name(&self) -> &'static str {
        match self {
            Self::AssumeRole(_) => "AssumeRole",
            Self::AssumeRoleWithSaml(_) => "AssumeRoleWithSAML",
            Self::AssumeRoleWithWebIdentity(_) => "AssumeRoleWithWebIdentity",
            Self::AssumeRoot(_) => "AssumeRoot",
            Self::DecodeAuthorizationMessage(_) => "DecodeAuthorizationMessage",
            Self::GetAccessKeyInfo(_) => "GetAccessKeyInfo",
            Self::GetCallerIdentity(_) => "GetCallerIdentity",
            Self::GetDelegatedAccessToken(_) => "GetDelegatedAccessToken",
            Self::GetFederationToken(_) => "GetFederationToken",
            Self::GetSessionToken(_) => "GetSessionToken",
            Self::GetWebIdentityToken(_) => "GetWebIdentityToken",
            Self::SimulatePrincipalPolicy(_) => "SimulatePrincipalPolicy",
            Self::SimulateCustomPolicy(_) => "SimulateCustomPolicy",
        }
    }

    /// The credentials the response carries, if any.
    pub fn credentials(&self) -> Option<&Credentials> {
        match self {
            Self::AssumeRole(r) => Some(&r.credentials),
            Self::AssumeRoleWithSaml(r) => Some(&r.credentials),
            Self::AssumeRoleWithWebIdentity(r) => Some(&r.credentials),
            Self::AssumeRoot(r) => Some(&r.credentials),
            Self::GetDelegatedAccessToken(r) => Some(&r.credentials),
            Self::GetFederationToken(r) => Some(&r.credentials),
            Self::GetSessionToken(r) => Some(&r.credentials),
            _ => None,
        }
    }
}
