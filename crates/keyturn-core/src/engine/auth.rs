//! Authentication: SigV4 over the request, the signer's key (`AKIA…` from the snapshot, `ASIA…`
//! from the session token), and the [`Caller`] it yields.

use std::sync::Arc;

use keyturn_sigv4::{CredentialLookup, SigningSecret};
use time::OffsetDateTime;

use super::Engine;
use super::keys::{AllKeys, ContextBuilder, KeySink};
use super::snapshot::{KeyOwner, Snapshot};
use crate::Error;
use crate::arn::Partition;
use crate::clock::iso8601;
use crate::evaluator::{KeyNeeds, OrgLevel, PolicyRef, PolicySource};
use crate::principal::Principal;
use crate::request::{CallerIdentity, HttpParts};
use crate::token::{OpenedSession, SessionClaims, invalid_token};

/// What kind of credentials signed the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerKind {
    /// The long-term key of an account's root user.
    Root,
    /// The long-term key of an IAM user.
    User,
    /// A GetSessionToken session (of a user or of root).
    SessionToken,
    /// A role session (AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML).
    RoleSession,
    /// A GetFederationToken session.
    FederatedUser,
}

/// An authenticated caller: who signed, with which credentials, and the condition keys of the
/// request that follow from it (built once per request).
#[derive(Debug, Clone)]
pub struct Caller {
    /// Who is acting.
    pub principal: Principal,
    /// The caller's ARN (GetCallerIdentity's `Arn`).
    pub arn: String,
    /// The caller's unique id (GetCallerIdentity's `UserId`).
    pub user_id: String,
    /// The caller's account.
    pub account: String,
    /// The access key id that signed.
    pub access_key_id: String,
    /// The kind of credentials.
    pub kind: CallerKind,
    /// The session, for temporary credentials.
    pub session: Option<SessionClaims>,
    /// For a federated user or a GetSessionToken session: the IAM user (or root) behind it.
    pub underlying_arn: Option<String>,
    /// What the request's environment keys are computed from.
    pub(crate) env: CallerEnv,
    /// The user or role whose tags are the principal's tags.
    pub(crate) tag_source: TagSource,
    /// The model the caller was authenticated against: the request's operation uses the same
    /// one (no second lookup, and no model change halfway through a request).
    pub(crate) snapshot: Arc<Snapshot>,
}

/// The request's environment, kept so that condition keys are built only when a policy is
/// evaluated (GetCallerIdentity evaluates none).
#[derive(Debug, Clone)]
pub(crate) struct CallerEnv {
    pub now: OffsetDateTime,
    pub region: String,
    pub source_ip: Option<std::net::IpAddr>,
    pub secure_transport: Option<bool>,
    pub user_agent: Option<String>,
}

impl CallerEnv {
    /// The environment of a request at `now` (`http`: `None` for calls without one, which get
    /// no source IP, transport or user agent keys).
    pub(crate) fn new(now: OffsetDateTime, region: &str, http: Option<&HttpParts<'_>>) -> Self {
        Self {
            now,
            region: region.to_owned(),
            source_ip: http.map(|h| h.source_ip),
            secure_transport: http.map(|h| h.secure_transport),
            user_agent: http.and_then(|h| h.user_agent).map(str::to_owned),
        }
    }

    /// Puts the environment keys in `sink`: `aws:CurrentTime`, `aws:EpochTime`,
    /// `aws:RequestedRegion` and, with a request, `aws:SourceIp`, `aws:SecureTransport`,
    /// `aws:UserAgent`.
    pub(crate) fn put_keys(&self, sink: &mut impl KeySink) {
        sink.put("aws:currenttime", || iso8601(self.now));
        sink.put("aws:epochtime", || self.now.unix_timestamp().to_string());
        sink.put("aws:requestedregion", || self.region.clone());
        if let Some(ip) = self.source_ip {
            sink.put("aws:sourceip", || ip.to_string());
        }
        if let Some(secure) = self.secure_transport {
            sink.put("aws:securetransport", || {
                (if secure { "true" } else { "false" }).to_owned()
            });
        }
        if let Some(ua) = &self.user_agent {
            sink.put("aws:useragent", || ua.clone());
        }
    }
}

/// Whose tags are `aws:PrincipalTag/*` (before the session's override them).
#[derive(Debug, Clone)]
pub(crate) enum TagSource {
    None,
    User(Arc<super::snapshot::UserEntry>),
    Role(Arc<super::snapshot::RoleEntry>),
}

/// The policies that apply to a caller.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallerPolicies {
    pub identity: Arc<[Arc<PolicyRef>]>,
    pub boundary: Option<Arc<PolicyRef>>,
    pub session: Vec<Arc<PolicyRef>>,
    /// The scope-down policies of a GetScopedCredentials session, oldest first: each one must
    /// allow a request as well ([`crate::evaluator::intersect_scopes`]). Empty for any other.
    pub scopes: Vec<Arc<PolicyRef>>,
}

impl Caller {
    /// The audit log's view of the caller.
    pub fn identity(&self) -> CallerIdentity {
        CallerIdentity {
            // CloudTrail calls IAM users `IAMUser`.
            identity_type: match self.principal {
                Principal::User { .. } => "IAMUser",
                ref p => p.identity_type(),
            }
            .to_owned(),
            principal_id: self.user_id.clone(),
            arn: self.arn.clone(),
            account_id: self.account.clone(),
            access_key_id: self.access_key_id.clone(),
        }
    }

    /// Whether the caller holds temporary credentials.
    pub fn is_session(&self) -> bool {
        self.session.is_some()
    }

    /// The principal as the policy evaluator sees it.
    fn policy_principal(&self) -> keyturn_policy::Principal {
        use keyturn_policy::PrincipalType as T;
        let kind = match &self.principal {
            Principal::Root { .. } => T::Account,
            Principal::User { .. } => T::User,
            Principal::Role { .. } => T::Role,
            Principal::AssumedRole(_)
            | Principal::WebIdentitySession { .. }
            | Principal::SamlSession { .. } => T::AssumedRole,
            Principal::FederatedUser { .. } => T::FederatedUser,
            Principal::Service { .. } => {
                return keyturn_policy::Principal::service(&self.arn);
            }
        };
        // For a role session, `aws:PrincipalArn` is the role's ARN with its path.
        let principal_arn = match self.principal.role_session() {
            Some(s) => s.role_arn_string(),
            None => self.arn.clone(),
        };
        keyturn_policy::Principal {
            arn: self.arn.clone(),
            principal_arn,
            account: self.account.clone(),
            kind,
            federated_provider: self.principal.federated_provider().map(str::to_owned),
            service: None,
            canonical_user: None,
        }
    }

    /// The principal's tags as `aws:PrincipalTag/*` sees them: the user's or role's tags that
    /// no session tag replaces (keys compared case-insensitively), then the session's tags.
    pub(crate) fn principal_tags(&self) -> impl Iterator<Item = (&str, &str)> {
        let session_tags: &[(String, String)] =
            self.session.as_ref().map_or(&[], |s| s.tags.as_slice());
        let entity_tags = match &self.tag_source {
            TagSource::None => None,
            TagSource::User(u) => Some(&u.tags),
            TagSource::Role(r) => Some(&r.tags),
        };
        entity_tags
            .into_iter()
            .flatten()
            .filter(|(k, _)| !session_tags.iter().any(|(x, _)| x.eq_ignore_ascii_case(k)))
            .chain(session_tags.iter().map(|(k, v)| (k, v)))
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The SCP levels that limit the caller: those of its account's path in the organization;
    /// none without an organization, for the management account, for an account outside the
    /// organization and for a service-linked role's sessions.
    pub fn scp_levels(&self) -> &[OrgLevel] {
        let Some(org) = &self.snapshot.org else {
            return &[];
        };
        if self
            .principal
            .role_session()
            .is_some_and(|s| crate::org::is_service_linked_path(&s.role_path))
        {
            return &[];
        }
        org.account(&self.account).map_or(&[], |a| &a.scps)
    }

    /// For an `AssumeRoot` session: the ARN of the root-task policy that scopes it.
    pub fn root_task(&self) -> Option<&str> {
        if !matches!(self.principal, Principal::Root { .. }) {
            return None;
        }
        let s = self.session.as_ref()?;
        s.policy_arns
            .iter()
            .find(|a| crate::org::ROOT_TASK_POLICIES.contains(&a.as_str()))
            .map(String::as_str)
    }

    /// Puts each of the caller's condition keys in `sink` (environment, identity, tags, session).
    fn put_keys(&self, sink: &mut impl KeySink) {
        self.env.put_keys(sink);
        if let Some(org) = &self.snapshot.org
            && let Some(a) = org.account(&self.account)
        {
            sink.put("aws:principalorgid", || org.id.clone());
            sink.put("aws:principalorgpaths", || a.path.clone());
        }
        sink.put("aws:userid", || self.user_id.clone());
        sink.put("aws:principalisawsservice", || "false".to_owned());
        for (k, v) in self.principal_tags() {
            sink.put_named("aws:principaltag/", k, v);
        }
        if let Some(s) = &self.session {
            sink.put("aws:multifactorauthpresent", || {
                (if s.mfa_present() { "true" } else { "false" }).to_owned()
            });
            if let Some(at) = s.mfa_authenticated_at {
                sink.put("aws:multifactorauthage", || {
                    (self.env.now - at).whole_seconds().max(0).to_string()
                });
            }
            sink.put("aws:tokenissuetime", || iso8601(s.issued_at));
            if let Some(si) = &s.source_identity {
                sink.put("aws:sourceidentity", || si.clone());
            }
            // A session from a workload identity context or from trusted identity propagation:
            // its `aws:OriginIdentity/…`, `aws:WorkloadAttestation/…` and
            // `aws:TransactionContext/…` keys (no other session has a context).
            if let Some(ctx) = &s.context {
                for (k, v) in &ctx.keys {
                    sink.put_runtime(k, || vec![v.clone()]);
                }
            }
        }
    }

    /// A request context for `action` on `resource` holding only the caller's keys in `needs`,
    /// to which the operation adds its own.
    pub(crate) fn context_builder<'n>(
        &self,
        action: &str,
        resource: &str,
        needs: &'n KeyNeeds<'n>,
    ) -> ContextBuilder<'n> {
        let mut b = ContextBuilder::new(self.policy_principal(), action, resource, needs);
        self.put_keys(&mut b);
        b
    }

    /// Every condition key of the caller, lowercase, as (key, value) pairs.
    pub fn condition_keys(&self) -> Vec<(String, String)> {
        let mut all = AllKeys::default();
        self.put_keys(&mut all);
        all.0
    }

    /// The session's transitive tags (key, value), inherited by chained sessions.
    pub fn transitive_tags(&self) -> Vec<(String, String)> {
        let Some(s) = &self.session else {
            return Vec::new();
        };
        s.tags
            .iter()
            .filter(|(k, _)| {
                s.transitive_tag_keys
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(k))
            })
            .cloned()
            .collect()
    }

    /// The identity policies, boundary and session policies that apply to the caller.
    pub(crate) fn policies(&self, snapshot: &Snapshot) -> Result<CallerPolicies, Error> {
        let mut out = CallerPolicies::default();
        let account: Option<crate::ids::AccountId> = self.account.parse().ok();
        let root_task = self.root_task().and_then(|arn| {
            snapshot
                .org
                .as_ref()
                .and_then(|o| o.root_tasks.get(arn))
                .cloned()
        });
        let (identity, boundary) = match &self.principal {
            // An AssumeRoot session: the root's permissions, scoped by the task policy's denies.
            Principal::Root { .. } if self.root_task().is_some() => (
                Some(root_task.unwrap_or_else(|| vec![Arc::clone(&snapshot.nothing)].into())),
                None,
            ),
            Principal::Root { .. } => (Some(Arc::clone(&snapshot.root_identity)), None),
            Principal::User {
                name, unique_id, ..
            } => account
                .and_then(|a| snapshot.user(a, name))
                .filter(|u| u.unique_id == *unique_id)
                .map(|u| {
                    (
                        Some(Arc::clone(&u.policies.identity)),
                        u.policies.boundary.clone(),
                    )
                })
                .unwrap_or_default(),
            Principal::FederatedUser { .. } => {
                // The user (or root) behind the federated user.
                let underlying = self.underlying_arn.as_deref().unwrap_or_default();
                if underlying.ends_with(":root") {
                    (Some(Arc::clone(&snapshot.root_identity)), None)
                } else {
                    let caller_id = self.session.as_ref().and_then(|c| c.caller_id.as_ref());
                    user_of_arn(underlying)
                        .and_then(|(a, name)| snapshot.user(a, &name).cloned())
                        .filter(|u| caller_id.is_none_or(|id| u.unique_id == *id))
                        .map(|u| {
                            (
                                Some(Arc::clone(&u.policies.identity)),
                                u.policies.boundary.clone(),
                            )
                        })
                        .unwrap_or_default()
                }
            }
            p => p
                .role_session()
                .and_then(|s| {
                    snapshot
                        .role(s.account, &s.role_path, &s.role_name)
                        .filter(|r| r.unique_id == s.role_id)
                })
                .map(|r| {
                    (
                        Some(Arc::clone(&r.policies.identity)),
                        r.policies.boundary.clone(),
                    )
                })
                .unwrap_or_default(),
        };
        // A principal whose user or role is gone (or is another entity now) keeps no permissions.
        if let Some(identity) = identity {
            out.identity = identity;
        }
        out.boundary = boundary;
        if let Some(claims) = &self.session {
            if let Some(text) = &claims.session_policy {
                out.session.push(Arc::new(PolicyRef::parse(
                    "SessionPolicy",
                    PolicySource::None,
                    text,
                    keyturn_policy::PolicyType::Session,
                )?));
            }
            for arn in &claims.policy_arns {
                if self.root_task() == Some(arn.as_str()) {
                    // Applied above, among the identity policies.
                    continue;
                }
                match snapshot.managed.get(arn) {
                    Some(p) => out.session.push(Arc::clone(p)),
                    None => out.session.push(Arc::clone(&snapshot.nothing)),
                }
            }
            if self.kind == CallerKind::FederatedUser && out.session.is_empty() {
                // A federated user without a session policy has no permissions.
                out.session.push(Arc::clone(&snapshot.nothing));
            }
            for (i, text) in claims.scope_policies.iter().enumerate() {
                out.scopes.push(Arc::new(PolicyRef::parse(
                    SCOPE_POLICY_IDS
                        .get(i)
                        .copied()
                        .unwrap_or("ScopeDownPolicy"),
                    PolicySource::None,
                    text,
                    keyturn_policy::PolicyType::Session,
                )?));
            }
        }
        Ok(out)
    }
}

/// The ids the scope-down policies of a session go by in explanations, oldest first.
const SCOPE_POLICY_IDS: [&str; crate::token::MAX_SCOPE_POLICIES] =
    ["ScopeDownPolicy1", "ScopeDownPolicy2", "ScopeDownPolicy3"];

fn user_of_arn(arn: &str) -> Option<(crate::ids::AccountId, String)> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (account, res) = rest.split_once(':')?;
    let name = res.strip_prefix("user/")?.rsplit('/').next()?;
    Some((account.parse().ok()?, name.to_owned()))
}

enum Signer {
    LongTerm,
    Session(Box<OpenedSession>),
}

struct Lookup<'a> {
    engine: &'a Engine,
    snapshot: &'a Snapshot,
    now: OffsetDateTime,
}

impl CredentialLookup for Lookup<'_> {
    type Error = Error;
    type Identity = Signer;

    fn lookup(
        &self,
        access_key_id: &str,
        session_token: Option<&str>,
    ) -> Result<(SigningSecret, Signer), Error> {
        let (secret, opened) = signing_secret(
            self.engine,
            self.snapshot,
            access_key_id,
            session_token,
            self.now,
        )?;
        let signer = match opened {
            Some(opened) => Signer::Session(Box::new(opened)),
            None => Signer::LongTerm,
        };
        Ok((secret, signer))
    }
}

/// The secret that signed a request made with `access_key_id` (and `session_token`, if the
/// request carried one): the session's, once its token opens and names that key id, or the
/// active long-term key's. `InvalidClientTokenId` otherwise; `ExpiredToken` for an expired session.
pub fn signing_secret(
    engine: &Engine,
    snapshot: &Snapshot,
    access_key_id: &str,
    session_token: Option<&str>,
    now: OffsetDateTime,
) -> Result<(SigningSecret, Option<OpenedSession>), Error> {
    if let Some(token) = session_token {
        let opened = engine.signer.open(token, now)?;
        opened.check_access_key_id(access_key_id)?;
        let secret = SigningSecret::new(opened.secret_access_key.expose());
        return Ok((secret, Some(opened)));
    }
    match snapshot.keys.get(access_key_id) {
        Some(k) if k.active => Ok((k.secret.clone(), None)),
        _ => Err(invalid_token()),
    }
}

/// Verifies the request's signature with `verifier` and builds its caller.
pub(crate) fn authenticate(
    engine: &Engine,
    verifier: &keyturn_sigv4::Verifier,
    http: &HttpParts<'_>,
) -> Result<Caller, Error> {
    authenticate_with(engine, verifier, http, drop).map_err(Error::from)
}

/// [`authenticate`], also handing the verifier's chunked-body verifier (if the request declared
/// a chunked payload and `verifier` allows one) to `body`; the signature's errors unconverted,
/// so that a chunked header keeps S3's code. Inlined into [`authenticate`], where `body` drops
/// the `None`: the request path keeps its shape (no tuple, no extra move of the caller).
#[inline(always)]
pub(crate) fn authenticate_with(
    engine: &Engine,
    verifier: &keyturn_sigv4::Verifier,
    http: &HttpParts<'_>,
    body: impl FnOnce(Option<keyturn_sigv4::ChunkedBody>),
) -> Result<Caller, keyturn_sigv4::VerifyError<Error>> {
    use keyturn_sigv4::VerifyError;
    let snapshot = engine.snapshot().map_err(VerifyError::Lookup)?;
    let now = engine.clock.now();
    let req = http.request;
    if let Some(compat) = &engine.compat
        && compat.admit()
        && let Some((key_id, scope)) = bootstrap_key(http, &snapshot)
    {
        let region = match &scope {
            RegionScope::Region(r) => engine.regions.accepts(r).then(|| (*r).to_owned()),
            RegionScope::Set(set) => engine.regions.in_set(set),
        };
        let Some(region) = region else {
            return Err(VerifyError::SigV4(keyturn_sigv4::SigV4Error::WrongRegion(
                scope.region().to_owned(),
            )));
        };
        let env = Env {
            http: Some(http),
            now,
            region: &region,
            snapshot,
        };
        let root = Principal::Root {
            partition: Partition::Aws,
            account: compat.account(),
        };
        let caller = build(
            root,
            CallerKind::Root,
            key_id,
            None,
            None,
            TagSource::None,
            env,
        );
        body(None);
        return Ok(caller);
    }
    let lookup = Lookup {
        engine,
        snapshot: &snapshot,
        now,
    };
    let verified = verifier.verify(&req, &lookup, now)?;
    // The endpoint a signed request was meant for is its scope's region (`aws:RequestedRegion`).
    let env = Env {
        http: Some(http),
        now,
        region: &verified.region,
        snapshot,
    };
    body(verified.chunked);
    match verified.identity {
        Signer::LongTerm => long_term(&verified.access_key_id, env),
        Signer::Session(opened) => session(*opened, env),
    }
    .map_err(VerifyError::Lookup)
}

/// Where a signature is scoped: SigV4's region, or SigV4a's region set.
enum RegionScope<'a> {
    Region(&'a str),
    Set(&'a str),
}

impl RegionScope<'_> {
    fn region(&self) -> &str {
        match self {
            Self::Region(r) | Self::Set(r) => r,
        }
    }
}

/// Moto compatibility: the key id and scope region (SigV4a: region set) of a request signed (in
/// its `Authorization` header) with a long-term key that the model does not hold and carrying
/// no session token: a suite's bootstrap credentials. `None` for anything else, which is then
/// verified as usual.
fn bootstrap_key<'h>(
    http: &HttpParts<'h>,
    snapshot: &Snapshot,
) -> Option<(&'h str, RegionScope<'h>)> {
    let header = |name: &str| {
        http.request
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| std::str::from_utf8(v).ok())
    };
    if header("x-amz-security-token").is_some() {
        return None;
    }
    let authorization = header("authorization")?;
    let (key_id, scope) = match keyturn_sigv4::AuthorizationHeader::parse(authorization, true) {
        Ok(auth) => {
            let scope = keyturn_sigv4::CredentialScope::parse(auth.credential).ok()?;
            (scope.access_key_id, RegionScope::Region(scope.region))
        }
        Err(_) => {
            let auth = keyturn_sigv4::AuthorizationHeader::parse_for(
                keyturn_sigv4::ALGORITHM_V4A,
                authorization,
                true,
            )
            .ok()?;
            let scope = keyturn_sigv4::V4aCredentialScope::parse(auth.credential).ok()?;
            (
                scope.access_key_id,
                RegionScope::Set(header("x-amz-region-set")?),
            )
        }
    };
    (!snapshot.keys.contains_key(key_id)).then_some((key_id, scope))
}

/// The caller of credentials presented directly (an embedding program acting as them, with no
/// signed request): the secret must be the key's, compared in constant time; a wrong one is
/// `SignatureDoesNotMatch`, as a request signed with it would be.
pub(crate) fn authenticate_credentials(
    engine: &Engine,
    access_key_id: &str,
    secret_access_key: &str,
    session_token: Option<&str>,
    http: Option<&HttpParts<'_>>,
) -> Result<Caller, Error> {
    use subtle::ConstantTimeEq;
    let snapshot = engine.snapshot()?;
    let now = engine.clock.now();
    let (secret, opened) = signing_secret(engine, &snapshot, access_key_id, session_token, now)?;
    let equal: bool = secret.expose().ct_eq(secret_access_key.as_bytes()).into();
    if !equal {
        return Err(keyturn_sigv4::SigV4Error::SignatureMismatch.into());
    }
    let env = Env {
        http,
        now,
        region: &engine.region,
        snapshot,
    };
    match opened {
        None => long_term(access_key_id, env),
        Some(opened) => session(opened, env),
    }
}

struct Env<'a> {
    http: Option<&'a HttpParts<'a>>,
    now: OffsetDateTime,
    region: &'a str,
    snapshot: Arc<Snapshot>,
}

/// The caller of a long-term key (no HTTP request: no source IP or user agent keys).
pub(crate) fn caller_for_long_term(
    engine: &Engine,
    snapshot: Arc<Snapshot>,
    access_key_id: &str,
    http: Option<&HttpParts<'_>>,
) -> Result<Caller, Error> {
    let env = Env {
        http,
        now: engine.clock.now(),
        region: &engine.region,
        snapshot,
    };
    long_term(access_key_id, env)
}

fn long_term(access_key_id: &str, env: Env<'_>) -> Result<Caller, Error> {
    let key = env
        .snapshot
        .keys
        .get(access_key_id)
        .filter(|k| k.active)
        .ok_or_else(invalid_token)?;
    let (principal, kind, tags) = match &key.owner {
        KeyOwner::Root => (
            Principal::Root {
                partition: Partition::Aws,
                account: key.account,
            },
            CallerKind::Root,
            TagSource::None,
        ),
        KeyOwner::User(u) => (
            Principal::User {
                partition: Partition::Aws,
                account: key.account,
                path: u.path.clone(),
                name: u.name.clone(),
                unique_id: u.unique_id.clone(),
            },
            CallerKind::User,
            TagSource::User(Arc::clone(u)),
        ),
    };
    Ok(build(principal, kind, access_key_id, None, None, tags, env))
}

/// The caller of an opened session. Temporary credentials are valid until they expire, as AWS
/// documents ("Permissions assigned to temporary security credentials are evaluated each time
/// they are used"): the session authenticates whatever became of the user or role it was issued
/// for, but only the same entity, by its unique id, lends it tags and policies
/// ([`Caller::policies`] checks the id again). A role or user deleted, or deleted and created again
/// under the name (another id), leaves its old sessions without permissions: AccessDenied for
/// every authorized action, GetCallerIdentity still answers. A federated user's session is bound
/// to the IAM user that called GetFederationToken (when the token names it).
fn session(opened: OpenedSession, env: Env<'_>) -> Result<Caller, Error> {
    let snapshot = &env.snapshot;
    let claims = opened.claims;
    let principal = claims.principal.clone();
    let (kind, tags) = match &principal {
        Principal::Root { .. } => (CallerKind::SessionToken, TagSource::None),
        Principal::User {
            account,
            name,
            unique_id,
            ..
        } => (
            CallerKind::SessionToken,
            snapshot
                .user(*account, name)
                .filter(|u| u.unique_id == *unique_id)
                .map_or(TagSource::None, |u| TagSource::User(Arc::clone(u))),
        ),
        Principal::FederatedUser { .. } => (CallerKind::FederatedUser, TagSource::None),
        p => (
            CallerKind::RoleSession,
            p.role_session()
                .and_then(|s| {
                    snapshot
                        .role(s.account, &s.role_path, &s.role_name)
                        .filter(|r| r.unique_id == s.role_id)
                })
                .map_or(TagSource::None, |r| TagSource::Role(Arc::clone(r))),
        ),
    };
    let underlying = match kind {
        CallerKind::FederatedUser => claims.caller_arn.clone(),
        CallerKind::SessionToken => principal.arn_string(),
        _ => None,
    };
    Ok(build(
        principal,
        kind,
        opened.access_key_id.as_str(),
        Some(claims),
        underlying,
        tags,
        env,
    ))
}

fn build(
    principal: Principal,
    kind: CallerKind,
    access_key_id: &str,
    session: Option<SessionClaims>,
    underlying_arn: Option<String>,
    tag_source: TagSource,
    env: Env<'_>,
) -> Caller {
    let arn = principal.arn_string().unwrap_or_default();
    let account = principal
        .account()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let user_id = principal.user_id();
    Caller {
        principal,
        arn,
        user_id,
        account,
        access_key_id: access_key_id.to_owned(),
        kind,
        session,
        underlying_arn,
        env: CallerEnv::new(env.now, env.region, env.http),
        tag_source,
        snapshot: env.snapshot,
    }
}
