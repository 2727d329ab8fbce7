//! Adapters that let a credential-signer plugin and a policy-evaluator plugin replace the
//! built-in [`KeyringSigner`](keyturn_core::signer::KeyringSigner) and
//! [`DefaultEvaluator`](keyturn_core::evaluator::DefaultEvaluator) behind core's traits.
//!
//! **Signer.** The plugin's wire claims have fixed fields (access key id, account, principal ARN,
//! times) and an `extra` map that must come back unchanged from `open`. The adapter puts the
//! engine's whole session there, under [`SESSION_KEY`], in a versioned serde form, so that every
//! claim (principal details, MFA time, tags, session policies, chain, the trusted context of a
//! workload identity or of trusted identity propagation) survives the round trip.
//! The `ASIA…` access key id is generated here, by the host; the token and its secret access key
//! come from the plugin. Encoded authorization messages (`DecodeAuthorizationMessage`) stay with
//! the engine's keyring: they are sealed and opened by the same engine for its own callers, the
//! plugin ABI has no entry point for them, and the keyring is the engine's own secret whichever
//! signer mints sessions.
//!
//! **Evaluator.** The adapter sends the principal's ARN, the action (lowercased, as the request
//! context keeps it), the resource, the condition keys it can name (a fixed list of global keys
//! plus every key the policies' `Condition` blocks mention) and the policies' JSON text, in the
//! order identity, resource (or trust), boundary, session. The plugin's decision becomes the
//! [`Verdict`]'s outcome; its reason, when an explanation is asked for, the verdict's only reason
//! (a plugin names no statements, so [`Verdict::matched`] stays empty).
//!
//! **Errors.** A signer plugin's `InvalidClientTokenId` and `ExpiredToken` rejections keep their
//! codes, with AWS's texts; everything else (another code, a plugin fault, malformed output) is
//! `InternalFailure` naming the plugin, never the plugin's own text.

use keyturn_core::ErrorCode;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use keyturn_core::Error;
use keyturn_core::arn::Partition;
use keyturn_core::evaluator::{PolicyEvaluator, PolicyInputs, PolicyRef, Verdict};
use keyturn_core::ids::{AccessKeyId, AccessKeyKind, AccountId, Secret, UniqueId};
use keyturn_core::keyring::Keyring;
use keyturn_core::principal::{Principal, RoleSession, SamlInfo, WebIdentityInfo};
use keyturn_core::signer::{CredentialSigner, Credentials, KeyringSigner};
use keyturn_core::token::{
    self, EXPIRED_TOKEN_MESSAGE, OpenedSession, SessionClaims, TrustedContext, WorkloadIdentity,
};
use keyturn_plugin::wire;
use keyturn_plugin::{CredentialSignerPlugin, PluginError, PolicyEvaluatorPlugin};
use keyturn_policy::{Outcome, RequestContext};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The key of the wire claims' `extra` map that carries the engine's whole session.
pub const SESSION_KEY: &str = "keyturn_session";

/// The key in [`wire::SessionClaims::extra`] of the least length, in characters, of the session
/// token to mint (a request's `MinimumSessionTokenSize`), present when it is not 0. A signer
/// plugin pads its token to it; the host refuses a shorter token.
pub const MINIMUM_TOKEN_SIZE_KEY: &str = "minimum_session_token_size";

/// The version of the session's serde form under [`SESSION_KEY`].
const SESSION_FORM_VERSION: u8 = 1;

/// The key id reported in an [`OpenedSession`] opened by a plugin: plugin tokens are not sealed
/// under a keyring key.
pub const PLUGIN_KEY_ID: u32 = 0;

/// Gives the backend `$t`, which holds its plugin in the field `plugin`, `name` (the plugin's)
/// and a `Debug` that shows only that name (`$finish`: `finish_non_exhaustive` when the
/// backend holds more).
macro_rules! plugin_backend {
    ($t:ident, $finish:ident) => {
        impl $t {
            /// The plugin's name.
            pub fn name(&self) -> &str {
                self.plugin.name()
            }
        }

        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($t))
                    .field("plugin", &self.plugin.name())
                    .$finish()
            }
        }
    };
}

/// Core's [`CredentialSigner`] over a credential-signer plugin; authorization messages stay with
/// the engine's keyring (see the module documentation).
pub struct PluginCredentialSigner {
    plugin: Arc<CredentialSignerPlugin>,
    messages: KeyringSigner,
}

impl PluginCredentialSigner {
    /// A signer that mints and opens session tokens through `plugin`, and seals authorization
    /// messages under `keyring`.
    pub fn new(plugin: Arc<CredentialSignerPlugin>, keyring: Keyring) -> Self {
        Self {
            plugin,
            messages: KeyringSigner::new(keyring),
        }
    }
}

plugin_backend!(PluginCredentialSigner, finish_non_exhaustive);

impl CredentialSigner for PluginCredentialSigner {
    fn mint(&self, claims: &SessionClaims) -> Result<Credentials, Error> {
        let account = claims.account().ok_or_else(|| {
            Error::new(
                ErrorCode::InternalFailure,
                "credentials can only be minted for a principal with an account".to_owned(),
            )
        })?;
        let access_key_id = AccessKeyId::generate(AccessKeyKind::Temporary, account)?;
        let session = serde_json::to_value(SessionForm::from_claims(claims)).map_err(|_| {
            Error::new(
                ErrorCode::InternalFailure,
                "cannot encode the session".to_owned(),
            )
        })?;
        let mut extra = serde_json::Map::new();
        extra.insert(SESSION_KEY.to_owned(), session);
        if claims.minimum_token_size > 0 {
            extra.insert(
                MINIMUM_TOKEN_SIZE_KEY.to_owned(),
                claims.minimum_token_size.into(),
            );
        }
        let wire_claims = wire::SessionClaims {
            access_key_id: access_key_id.as_str().to_owned(),
            account_id: account.to_string(),
            principal_arn: claims
                .principal
                .arn()
                .map(|arn| arn.to_string())
                .unwrap_or_default(),
            issued_at: claims.issued_at.unix_timestamp(),
            expires_at: claims.expires_at.unix_timestamp(),
            extra,
        };
        let minted = self
            .plugin
            .mint(&wire_claims)
            .map_err(|e| signer_error(self.plugin.name(), e))?;
        if minted.session_token.len() < usize::from(claims.minimum_token_size) {
            return Err(Error::new(
                ErrorCode::InternalFailure,
                format!(
                    "the signer plugin {} minted a session token shorter than MinimumSessionTokenSize",
                    self.plugin.name()
                ),
            ));
        }
        Ok(Credentials {
            access_key_id: access_key_id.as_str().to_owned(),
            secret_access_key: Secret::new(minted.secret_access_key.expose()),
            session_token: minted.session_token.into(),
            expiration: claims.expires_at,
        })
    }

    fn open(&self, session_token: &str, now: OffsetDateTime) -> Result<OpenedSession, Error> {
        let opened = self
            .plugin
            .open(session_token, now.unix_timestamp())
            .map_err(|e| signer_error(self.plugin.name(), e))?;
        // The plugin vouched for the token; a session the host cannot read back (minted by
        // another host, or a plugin that dropped `extra`) is still not a valid token here.
        let form: SessionForm = opened
            .claims
            .extra
            .get(SESSION_KEY)
            .cloned()
            .and_then(|v| serde_json::from_value(v).ok())
            .ok_or_else(token::invalid_token)?;
        let claims = form.into_claims().ok_or_else(token::invalid_token)?;
        let access_key_id =
            AccessKeyId::parse(&opened.claims.access_key_id).map_err(|_| token::invalid_token())?;
        let consistent = access_key_id.kind() == Some(AccessKeyKind::Temporary)
            && claims.account() == access_key_id.account().ok()
            && opened.claims.expires_at == claims.expires_at.unix_timestamp()
            && opened.claims.issued_at == claims.issued_at.unix_timestamp();
        if !consistent {
            return Err(token::invalid_token());
        }
        // The plugin checks expiry; so does the host, whatever the plugin does.
        if now >= claims.expires_at {
            return Err(Error::new(
                ErrorCode::ExpiredToken,
                EXPIRED_TOKEN_MESSAGE.to_owned(),
            ));
        }
        Ok(OpenedSession {
            claims,
            access_key_id,
            secret_access_key: Secret::new(opened.secret_access_key.expose()),
            key_id: PLUGIN_KEY_ID,
        })
    }

    fn seal_message(&self, message: &[u8]) -> Result<String, Error> {
        self.messages.seal_message(message)
    }

    fn open_message(&self, encoded: &str) -> Result<Vec<u8>, Error> {
        self.messages.open_message(encoded)
    }
}

/// The core error for a failed credential-signer plugin call: `InvalidClientTokenId` and
/// `ExpiredToken` rejections keep their codes with AWS's texts; anything else is
/// `InternalFailure` naming the plugin.
pub fn signer_error(plugin: &str, error: PluginError) -> Error {
    crate::plugins::plugin_failure("credential-signer", plugin, error, |code, _| match code {
        "InvalidClientTokenId" => Some(token::invalid_token()),
        "ExpiredToken" => Some(Error::new(
            ErrorCode::ExpiredToken,
            EXPIRED_TOKEN_MESSAGE.to_owned(),
        )),
        _ => None,
    })
}

/// Core's [`PolicyEvaluator`] over a policy-evaluator plugin.
pub struct PluginPolicyEvaluator {
    plugin: Arc<PolicyEvaluatorPlugin>,
}

impl PluginPolicyEvaluator {
    /// An evaluator that asks `plugin`.
    pub fn new(plugin: Arc<PolicyEvaluatorPlugin>) -> Self {
        Self { plugin }
    }
}

plugin_backend!(PluginPolicyEvaluator, finish);

/// Global and STS condition keys sent to an evaluator plugin when the request has them.
const KNOWN_KEYS: &[&str] = &[
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:FederatedProvider",
    "aws:MultiFactorAuthAge",
    "aws:MultiFactorAuthPresent",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalOrgID",
    "aws:PrincipalServiceName",
    "aws:PrincipalType",
    "aws:RequestedRegion",
    "aws:SecureTransport",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceIdentity",
    "aws:SourceIp",
    "aws:TagKeys",
    "aws:TokenIssueTime",
    "aws:UserAgent",
    "aws:userid",
    "aws:username",
    "aws:ViaAWSService",
    "sts:ExternalId",
    "sts:RoleSessionName",
    "sts:SourceIdentity",
    "sts:TransitiveTagKeys",
];

/// The policies in evaluation order: identity, resource (or trust), boundary, session.
fn policies_of<'a>(inputs: &PolicyInputs<'a>) -> Vec<&'a PolicyRef> {
    let mut all: Vec<&PolicyRef> = inputs.identity.iter().map(|p| &**p).collect();
    if let Some((p, _)) = inputs.resource {
        all.push(p);
    }
    if let Some(p) = inputs.boundary {
        all.push(p);
    }
    all.extend(inputs.session.iter().map(|p| &**p));
    all
}

/// Collects the condition keys a policy document names (`Condition: {op: {key: …}}`).
fn condition_keys(document: &serde_json::Value, out: &mut Vec<String>) {
    let statements = match document.get("Statement") {
        Some(serde_json::Value::Array(list)) => list.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    for statement in statements {
        if let Some(serde_json::Value::Object(operators)) = statement.get("Condition") {
            for block in operators.values() {
                if let serde_json::Value::Object(keys) = block {
                    out.extend(keys.keys().cloned());
                }
            }
        }
    }
}

/// Builds the plugin's request from the policies and the request context.
pub fn evaluation_request(
    policies: &PolicyInputs<'_>,
    ctx: &RequestContext,
) -> wire::EvaluationRequest {
    let mut documents = Vec::new();
    let mut names: Vec<String> = KNOWN_KEYS.iter().map(|k| (*k).to_owned()).collect();
    for policy in policies_of(policies) {
        // The text was compiled already, so it is JSON; should it not parse, send it as a string.
        let document = serde_json::from_str::<serde_json::Value>(&policy.text)
            .unwrap_or_else(|_| serde_json::Value::String(policy.text.to_string()));
        condition_keys(&document, &mut names);
        documents.push(document);
    }
    let mut org_level = |levels: &[keyturn_core::evaluator::OrgLevel]| {
        levels
            .iter()
            .map(|level| {
                level
                    .iter()
                    .map(|p| {
                        let document = serde_json::from_str::<serde_json::Value>(&p.text)
                            .unwrap_or_else(|_| serde_json::Value::String(p.text.to_string()));
                        condition_keys(&document, &mut names);
                        document
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let scps = org_level(policies.scps);
    let rcps = org_level(policies.rcps);
    let mut context: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in names {
        let lower = name.to_ascii_lowercase();
        if context.contains_key(&lower) {
            continue;
        }
        if let Some(values) = ctx.get(&lower) {
            context.insert(lower, values.to_vec());
        }
    }
    wire::EvaluationRequest {
        principal_arn: ctx.principal().arn.clone(),
        action: ctx.action().to_owned(),
        resource: ctx.resource().to_owned(),
        context,
        policies: documents,
        scps,
        rcps,
    }
}

impl PolicyEvaluator for PluginPolicyEvaluator {
    fn evaluate(
        &self,
        policies: &PolicyInputs<'_>,
        ctx: &RequestContext,
        explain: bool,
    ) -> Result<Verdict, Error> {
        let request = evaluation_request(policies, ctx);
        let decision = self.plugin.evaluate(&request).map_err(|_| {
            Error::new(
                ErrorCode::InternalFailure,
                format!("policy-evaluator plugin {} failed", self.plugin.name()),
            )
        })?;
        let mut outcome = match decision.decision {
            wire::Decision::Allowed => Outcome::Allow,
            wire::Decision::ExplicitDeny => Outcome::ExplicitDeny,
            wire::Decision::ImplicitDeny => Outcome::ImplicitDeny,
        };
        // Fail closed: the organization's SCPs and RCPs are applied here, whatever the plugin
        // made of them; they can only turn an allow into a deny (an explicit deny wins).
        if policies.has_org_levels() && outcome != Outcome::ExplicitDeny {
            match keyturn_core::evaluator::organizations_outcome(policies, ctx) {
                Outcome::Allow => {}
                org => outcome = org,
            }
        }
        let reasons = match decision.reason {
            Some(reason) if explain => vec![format!("{}: {reason}", self.plugin.name())],
            _ => Vec::new(),
        };
        Ok(Verdict {
            outcome,
            matched: Vec::new(),
            reasons,
        })
    }
}

/// The engine's session in the serde form carried under [`SESSION_KEY`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionForm {
    v: u8,
    principal: PrincipalForm,
    issued_at: i64,
    expires_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mfa_authenticated_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source_identity: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    transitive_tag_keys: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    policy_arns: Vec<String>,
    #[serde(default)]
    role_chained: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    caller_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    original_caller_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    caller_id: Option<String>,
    /// GetScopedCredentials' scope-down policies (absent from forms written before them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    scope_policies: Vec<String>,
    /// The trusted context (a workload identity from AssumeRole's `ProvidedContexts`, the
    /// context keys of trusted identity propagation), absent from forms written before it and
    /// for sessions without one. It rides in `extra`, which a plugin returns unchanged, so the
    /// plugin ABI is the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    context: Option<ContextForm>,
}

/// A session's trusted context in serde form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextForm {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    workload: Option<WorkloadForm>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    keys: Vec<(String, String)>,
}

/// A session's workload identity in serde form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkloadForm {
    provider_arn: String,
    template_arn: String,
    subject: String,
}

impl ContextForm {
    fn from_context(c: &TrustedContext) -> Self {
        Self {
            workload: c.workload.as_ref().map(|w| WorkloadForm {
                provider_arn: w.provider_arn.clone(),
                template_arn: w.template_arn.clone(),
                subject: w.subject.clone(),
            }),
            keys: c.keys.clone(),
        }
    }

    fn into_context(self) -> TrustedContext {
        TrustedContext {
            workload: self.workload.map(|w| WorkloadIdentity {
                provider_arn: w.provider_arn,
                template_arn: w.template_arn,
                subject: w.subject,
            }),
            keys: self.keys,
        }
    }
}

/// A role session in serde form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleSessionForm {
    partition: String,
    account: String,
    role_path: String,
    role_name: String,
    role_id: String,
    session_name: String,
}

/// A user or a role named directly, in serde form: the fields of [`PrincipalForm::User`] and
/// [`PrincipalForm::Role`] beside their `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityForm {
    partition: String,
    account: String,
    path: String,
    name: String,
    unique_id: String,
}

/// A principal in serde form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum PrincipalForm {
    Root {
        partition: String,
        account: String,
    },
    User(EntityForm),
    Role(EntityForm),
    AssumedRole {
        session: RoleSessionForm,
    },
    WebIdentitySession {
        session: RoleSessionForm,
        provider: String,
        subject: String,
        audience: String,
    },
    SamlSession {
        session: RoleSessionForm,
        provider_arn: String,
        subject: String,
        subject_type: String,
        issuer: String,
        audience: String,
        name_qualifier: String,
    },
    FederatedUser {
        partition: String,
        account: String,
        name: String,
    },
    Service {
        name: String,
    },
}

fn partition(text: &str) -> Option<Partition> {
    [Partition::Aws, Partition::AwsCn, Partition::AwsUsGov]
        .into_iter()
        .find(|p| p.as_str() == text)
}

fn account(text: &str) -> Option<AccountId> {
    text.parse().ok()
}

fn unique_id(text: &str) -> Option<UniqueId> {
    UniqueId::parse(text).ok()
}

fn time(unix: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(unix).ok()
}

impl RoleSessionForm {
    fn from_session(s: &RoleSession) -> Self {
        Self {
            partition: s.partition.as_str().to_owned(),
            account: s.account.to_string(),
            role_path: s.role_path.clone(),
            role_name: s.role_name.clone(),
            role_id: s.role_id.as_str().to_owned(),
            session_name: s.session_name.clone(),
        }
    }

    fn into_session(self) -> Option<RoleSession> {
        Some(RoleSession {
            partition: partition(&self.partition)?,
            account: account(&self.account)?,
            role_path: self.role_path,
            role_name: self.role_name,
            role_id: unique_id(&self.role_id)?,
            session_name: self.session_name,
        })
    }
}

impl EntityForm {
    fn into_principal(self, is_role: bool) -> Option<Principal> {
        Some(Principal::user_or_role(
            is_role,
            partition(&self.partition)?,
            account(&self.account)?,
            self.path,
            self.name,
            unique_id(&self.unique_id)?,
        ))
    }
}

impl PrincipalForm {
    fn from_principal(p: &Principal) -> Self {
        match p {
            Principal::Root { partition, account } => Self::Root {
                partition: partition.as_str().to_owned(),
                account: account.to_string(),
            },
            Principal::User {
                partition,
                account,
                path,
                name,
                unique_id,
            }
            | Principal::Role {
                partition,
                account,
                path,
                name,
                unique_id,
            } => {
                let form = EntityForm {
                    partition: partition.as_str().to_owned(),
                    account: account.to_string(),
                    path: path.clone(),
                    name: name.clone(),
                    unique_id: unique_id.as_str().to_owned(),
                };
                if matches!(p, Principal::Role { .. }) {
                    Self::Role(form)
                } else {
                    Self::User(form)
                }
            }
            Principal::AssumedRole(session) => Self::AssumedRole {
                session: RoleSessionForm::from_session(session),
            },
            Principal::WebIdentitySession { session, identity } => Self::WebIdentitySession {
                session: RoleSessionForm::from_session(session),
                provider: identity.provider.clone(),
                subject: identity.subject.clone(),
                audience: identity.audience.clone(),
            },
            Principal::SamlSession { session, identity } => Self::SamlSession {
                session: RoleSessionForm::from_session(session),
                provider_arn: identity.provider_arn.clone(),
                subject: identity.subject.clone(),
                subject_type: identity.subject_type.clone(),
                issuer: identity.issuer.clone(),
                audience: identity.audience.clone(),
                name_qualifier: identity.name_qualifier.clone(),
            },
            Principal::FederatedUser {
                partition,
                account,
                name,
            } => Self::FederatedUser {
                partition: partition.as_str().to_owned(),
                account: account.to_string(),
                name: name.clone(),
            },
            Principal::Service { name } => Self::Service { name: name.clone() },
        }
    }

    fn into_principal(self) -> Option<Principal> {
        Some(match self {
            Self::Root {
                partition: p,
                account: a,
            } => Principal::Root {
                partition: partition(&p)?,
                account: account(&a)?,
            },
            Self::User(form) => form.into_principal(false)?,
            Self::Role(form) => form.into_principal(true)?,
            Self::AssumedRole { session } => Principal::AssumedRole(session.into_session()?),
            Self::WebIdentitySession {
                session,
                provider,
                subject,
                audience,
            } => Principal::WebIdentitySession {
                session: session.into_session()?,
                identity: WebIdentityInfo {
                    provider,
                    subject,
                    audience,
                },
            },
            Self::SamlSession {
                session,
                provider_arn,
                subject,
                subject_type,
                issuer,
                audience,
                name_qualifier,
            } => Principal::SamlSession {
                session: session.into_session()?,
                identity: SamlInfo {
                    provider_arn,
                    subject,
                    subject_type,
                    issuer,
                    audience,
                    name_qualifier,
                },
            },
            Self::FederatedUser {
                partition: p,
                account: a,
                name,
            } => Principal::FederatedUser {
                partition: partition(&p)?,
                account: account(&a)?,
                name,
            },
            Self::Service { name } => Principal::Service { name },
        })
    }
}

impl SessionForm {
    fn from_claims(c: &SessionClaims) -> Self {
        Self {
            v: SESSION_FORM_VERSION,
            principal: PrincipalForm::from_principal(&c.principal),
            issued_at: c.issued_at.unix_timestamp(),
            expires_at: c.expires_at.unix_timestamp(),
            mfa_authenticated_at: c.mfa_authenticated_at.map(OffsetDateTime::unix_timestamp),
            source_identity: c.source_identity.clone(),
            tags: c.tags.clone(),
            transitive_tag_keys: c.transitive_tag_keys.clone(),
            session_policy: c.session_policy.clone(),
            policy_arns: c.policy_arns.clone(),
            role_chained: c.role_chained,
            caller_arn: c.caller_arn.clone(),
            original_caller_arn: c.original_caller_arn.clone(),
            caller_id: c.caller_id.as_ref().map(|id| id.as_str().to_owned()),
            scope_policies: c.scope_policies.clone(),
            context: c.context.as_deref().map(ContextForm::from_context),
        }
    }

    fn into_claims(self) -> Option<SessionClaims> {
        if self.v != SESSION_FORM_VERSION
            || self.scope_policies.len() > keyturn_core::token::MAX_SCOPE_POLICIES
        {
            return None;
        }
        let mfa_authenticated_at = match self.mfa_authenticated_at {
            Some(t) => Some(time(t)?),
            None => None,
        };
        let caller_id = match self.caller_id {
            Some(id) => Some(unique_id(&id)?),
            None => None,
        };
        Some(SessionClaims {
            principal: self.principal.into_principal()?,
            issued_at: time(self.issued_at)?,
            expires_at: time(self.expires_at)?,
            mfa_authenticated_at,
            source_identity: self.source_identity,
            tags: self.tags,
            transitive_tag_keys: self.transitive_tag_keys,
            session_policy: self.session_policy,
            policy_arns: self.policy_arns,
            role_chained: self.role_chained,
            caller_arn: self.caller_arn,
            original_caller_arn: self.original_caller_arn,
            caller_id,
            scope_policies: self.scope_policies,
            context: self.context.map(|c| Box::new(ContextForm::into_context(c))),
            minimum_token_size: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(principal: Principal) -> SessionClaims {
        let t0 = OffsetDateTime::from_unix_timestamp(1_795_867_200)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let mut c = SessionClaims::new(principal, t0, t0 + time::Duration::hours(1));
        c.mfa_authenticated_at = Some(t0);
        c.source_identity = Some("alice".to_owned());
        c.tags = vec![("Team".to_owned(), "web".to_owned())];
        c.transitive_tag_keys = vec!["Team".to_owned()];
        c.session_policy = Some("{\"Version\":\"2012-10-17\"}".to_owned());
        c.policy_arns = vec!["arn:aws:iam::111111111111:policy/P".to_owned()];
        c.role_chained = true;
        c.caller_arn = Some("arn:aws:iam::222222222222:user/alice".to_owned());
        c.original_caller_arn = Some("arn:aws:iam::222222222222:user/alice".to_owned());
        c.caller_id = UniqueId::parse("AIDAAAAAAAAAAAAAAAAAA").ok();
        c.scope_policies = vec![
            "{\"Version\":\"2012-10-17\",\"Statement\":[]}".to_owned(),
            "{}".to_owned(),
        ];
        c.context = Some(Box::new(TrustedContext {
            workload: Some(WorkloadIdentity {
                provider_arn: "arn:aws:iam::111111111111:workload-identity-provider/p".to_owned(),
                template_arn: "arn:aws:iam::111111111111:workload-identity-template/t".to_owned(),
                subject: "spiffe://example.org/web".to_owned(),
            }),
            keys: vec![(
                "aws:OriginIdentity/Subject".to_owned(),
                "spiffe://example.org/web".to_owned(),
            )],
        }));
        c
    }

    #[test]
    fn every_principal_kind_round_trips_through_the_serde_form() -> Result<(), Error> {
        let account: AccountId = "111111111111".parse()?;
        let role = RoleSession {
            partition: Partition::AwsCn,
            account,
            role_path: "/team/".to_owned(),
            role_name: "App".to_owned(),
            role_id: UniqueId::parse("AROAAAAAAAAAAAAAAAAAA")?,
            session_name: "s".to_owned(),
        };
        let principals = [
            Principal::Root {
                partition: Partition::Aws,
                account,
            },
            Principal::User {
                partition: Partition::AwsUsGov,
                account,
                path: "/".to_owned(),
                name: "alice".to_owned(),
                unique_id: UniqueId::parse("AIDAAAAAAAAAAAAAAAAAA")?,
            },
            Principal::AssumedRole(role.clone()),
            Principal::WebIdentitySession {
                session: role.clone(),
                identity: WebIdentityInfo {
                    provider: "idp.example".to_owned(),
                    subject: "sub".to_owned(),
                    audience: "aud".to_owned(),
                },
            },
            Principal::SamlSession {
                session: role,
                identity: SamlInfo {
                    provider_arn: "arn:aws:iam::111111111111:saml-provider/x".to_owned(),
                    subject: "s".to_owned(),
                    subject_type: "persistent".to_owned(),
                    issuer: "i".to_owned(),
                    audience: "a".to_owned(),
                    name_qualifier: "q".to_owned(),
                },
            },
            Principal::FederatedUser {
                partition: Partition::Aws,
                account,
                name: "bob".to_owned(),
            },
            Principal::Service {
                name: "ec2.amazonaws.com".to_owned(),
            },
        ];
        for p in principals {
            let claims = session(p);
            let json = serde_json::to_value(SessionForm::from_claims(&claims))
                .map_err(|e| Error::new(ErrorCode::InternalFailure, e.to_string()))?;
            let back: SessionForm = serde_json::from_value(json)
                .map_err(|e| Error::new(ErrorCode::InternalFailure, e.to_string()))?;
            assert_eq!(back.into_claims(), Some(claims));
        }
        Ok(())
    }

    #[test]
    fn a_bad_form_does_not_decode() {
        let json = serde_json::json!({
            "v": 1, "principal": {"type": "root", "partition": "aws", "account": "12"},
            "issued_at": 0, "expires_at": 10
        });
        let form: Option<SessionForm> = serde_json::from_value(json).ok();
        assert!(form.is_some_and(|f| f.into_claims().is_none()));
        let json = serde_json::json!({
            "v": 2, "principal": {"type": "service", "name": "x"},
            "issued_at": 0, "expires_at": 10
        });
        let form: Option<SessionForm> = serde_json::from_value(json).ok();
        assert!(form.is_some_and(|f| f.into_claims().is_none()));
        // Four scope-down policies: more than a session can have.
        let json = serde_json::json!({
            "v": SESSION_FORM_VERSION,
            "principal": {"type": "root", "partition": "aws", "account": "111111111111"},
            "issued_at": 0, "expires_at": 10, "scope_policies": ["{}", "{}", "{}", "{}"]
        });
        let form: Option<SessionForm> = serde_json::from_value(json).ok();
        assert!(form.is_some_and(|f| f.into_claims().is_none()));
    }

    #[test]
    fn signer_errors_map_to_core_codes() {
        let rejected = |code: &str| PluginError::Rejected {
            code: code.to_owned(),
            message: "plugin text".to_owned(),
        };
        let e = signer_error("s", rejected("InvalidClientTokenId"));
        assert_eq!(e, token::invalid_token());
        let e = signer_error("s", rejected("ExpiredToken"));
        assert_eq!(e.code(), "ExpiredToken");
        assert_eq!(e.message(), EXPIRED_TOKEN_MESSAGE);
        let e = signer_error("my-signer", rejected("AccessDenied"));
        assert_eq!(e.code(), "InternalFailure");
        assert!(e.message().contains("my-signer"));
        let e = signer_error(
            "my-signer",
            PluginError::Internal {
                message: "secret detail".to_owned(),
            },
        );
        assert_eq!(e.code(), "InternalFailure");
        assert!(!e.message().contains("secret detail"));
    }

    #[test]
    fn the_evaluation_request_carries_policies_and_the_keys_they_name() -> Result<(), Error> {
        use keyturn_core::evaluator::PolicySource;
        use keyturn_policy::PolicyType;
        let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject",
            "Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/Team":"web"}}}}"#;
        let identity = vec![Arc::new(PolicyRef::parse(
            "p",
            PolicySource::User,
            text,
            PolicyType::Identity,
        )?)];
        let inputs = PolicyInputs {
            identity: &identity,
            ..PolicyInputs::default()
        };
        let principal = keyturn_policy::Principal::from_arn("arn:aws:iam::111111111111:user/alice")
            .ok_or_else(|| Error::new(ErrorCode::InternalFailure, "principal".to_owned()))?;
        let ctx = RequestContext::new(principal, "s3:GetObject", "arn:aws:s3:::b/k")
            .with("aws:PrincipalTag/Team", "web")
            .with("aws:PrincipalTag/Other", "x")
            .with("aws:SourceIp", "192.0.2.1");
        let request = evaluation_request(&inputs, &ctx);
        assert_eq!(
            request.principal_arn,
            "arn:aws:iam::111111111111:user/alice"
        );
        assert_eq!(request.action, "s3:getobject");
        assert_eq!(request.resource, "arn:aws:s3:::b/k");
        assert_eq!(request.policies.len(), 1);
        assert_eq!(request.policies[0]["Statement"]["Action"], "s3:GetObject");
        let keys = |k: &str| request.context.get(k).cloned();
        assert_eq!(keys("aws:principaltag/team"), Some(vec!["web".to_owned()]));
        assert_eq!(keys("aws:sourceip"), Some(vec!["192.0.2.1".to_owned()]));
        assert_eq!(keys("aws:username"), Some(vec!["alice".to_owned()]));
        // Named by no policy and not a known global key: not sent.
        assert_eq!(keys("aws:principaltag/other"), None);
        Ok(())
    }
}
