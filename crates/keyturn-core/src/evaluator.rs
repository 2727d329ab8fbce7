//! The pluggable policy evaluator.
//!
//! The engine collects the policies that apply to a request ([`PolicyInputs`]: identity,
//! resource or trust, boundary, session) and asks a [`PolicyEvaluator`] for a [`Verdict`]. Each
//! policy is handed over both as its JSON text and pre-compiled ([`PolicyRef`]), so that the
//! default evaluator ([`DefaultEvaluator`], over `keyturn-policy`) does no parsing per request,
//! while an evaluator in a C-ABI plugin can work from the text alone.

use crate::ErrorCode;
use std::sync::Arc;

use keyturn_policy::{
    CompiledPolicy, Effect, Layer, Outcome, PolicySet, PolicyType, RequestContext,
};

use crate::Error;

/// Where a policy comes from, as IAM's policy simulator names it (`SourcePolicyType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicySource {
    /// An inline policy of a user.
    User,
    /// An inline policy of a group.
    Group,
    /// An inline policy of a role.
    Role,
    /// A customer managed policy.
    UserManaged,
    /// An AWS managed policy (`arn:aws:iam::aws:policy/…`).
    AwsManaged,
    /// A resource-based (or trust) policy.
    Resource,
    /// A session policy, or a policy given to a simulation.
    None,
}

impl PolicySource {
    /// The wire form: `user`, `group`, `role`, `user-managed`, `aws-managed`, `resource`,
    /// `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Group => "group",
            Self::Role => "role",
            Self::UserManaged => "user-managed",
            Self::AwsManaged => "aws-managed",
            Self::Resource => "resource",
            Self::None => "none",
        }
    }
}

/// One policy, as text and compiled.
#[derive(Debug, Clone)]
pub struct PolicyRef {
    /// The policy's identifier: an inline policy's name or a managed policy's ARN.
    pub id: String,
    /// Where it comes from.
    pub source: PolicySource,
    /// The policy document, JSON text.
    pub text: Arc<str>,
    /// The compiled form.
    pub compiled: CompiledPolicy,
}

impl PolicyRef {
    /// Parses and compiles `text` as a policy of `policy_type`.
    ///
    /// # Errors
    /// `MalformedPolicyDocument` with keyturn-policy's (AWS's) message.
    pub fn parse(
        id: &str,
        source: PolicySource,
        text: &str,
        policy_type: PolicyType,
    ) -> Result<Self, Error> {
        let compiled = CompiledPolicy::parse(text, policy_type)
            .map_err(|e| Error::new(ErrorCode::MalformedPolicyDocument, e.to_string()))?
            .with_id(id);
        Ok(Self {
            id: id.to_owned(),
            source,
            text: Arc::from(text),
            compiled,
        })
    }
}

/// One level of an organization's path (root, an OU, the account): the SCPs or RCPs attached
/// there. At each level some policy must allow.
pub type OrgLevel = Arc<[Arc<PolicyRef>]>;

/// The policies that apply to one request.
#[derive(Debug, Clone, Copy, Default)]
pub struct PolicyInputs<'a> {
    /// Identity-based policies (user, groups, role; inline and managed).
    pub identity: &'a [Arc<PolicyRef>],
    /// The resource-based or trust policy, with the account that owns the resource.
    pub resource: Option<(&'a PolicyRef, &'a str)>,
    /// The account that owns the resource when there is no resource policy.
    pub resource_account: Option<&'a str>,
    /// The permissions boundary.
    pub boundary: Option<&'a PolicyRef>,
    /// Session policies (inline and managed). Empty: no session policy applies.
    pub session: &'a [Arc<PolicyRef>],
    /// The SCP levels of the principal's account, root first. Empty: no SCP applies (no
    /// organization, the management account, a service-linked role).
    pub scps: &'a [OrgLevel],
    /// The RCP levels of the resource's account, root first. Empty: no RCP applies.
    pub rcps: &'a [OrgLevel],
}

impl PolicyInputs<'_> {
    /// Whether an organization's policies apply.
    pub fn has_org_levels(&self) -> bool {
        !self.scps.is_empty() || !self.rcps.is_empty()
    }
}

/// Decides `ctx` against the SCP and RCP levels of `policies` alone: `Allow` when every level of
/// both allows and none denies. The host applies it to evaluators that cannot see
/// organization policies (plugins), so that an SCP or RCP denies whatever the evaluator says.
pub fn organizations_outcome(policies: &PolicyInputs<'_>, ctx: &RequestContext) -> Outcome {
    let mut deny = false;
    let mut all_allow = true;
    for level in policies.scps.iter().chain(policies.rcps) {
        let mut set = PolicySet::new().with_resource_account(&ctx.principal().account);
        set = set.with_scp_level(level.iter().map(|p| p.compiled.clone()).collect());
        let reasons = set.evaluate(ctx);
        // With no identity policy the outcome is never Allow: read the level's own result
        // from its matches.
        let mut allowed = false;
        for m in reasons.matched().iter() {
            match m.effect {
                Effect::Deny => deny = true,
                Effect::Allow => allowed = true,
            }
        }
        all_allow &= allowed;
    }
    if deny {
        Outcome::ExplicitDeny
    } else if all_allow {
        Outcome::Allow
    } else {
        Outcome::ImplicitDeny
    }
}

/// The condition keys an evaluation reads.
///
/// The engine builds a request's context with only these keys: a key that no policy reads cannot
/// change the decision, and every key costs time to build (a formatted date, a copied tag). The
/// default evaluator knows what its compiled policies read; any other evaluator reads everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum KeyNeeds<'a> {
    /// Every key the request has.
    #[default]
    All,
    /// Only these keys (lowercase); often none.
    Only(Vec<&'a str>),
}

impl KeyNeeds<'_> {
    /// The keys that `policies` can read, from their compiled forms.
    pub fn of_policies<'a>(policies: &PolicyInputs<'a>) -> KeyNeeds<'a> {
        let mut keys: Vec<&'a str> = Vec::new();
        let mut add = |p: &'a PolicyRef| {
            keys.extend(p.compiled.condition_keys().iter().map(|k| &**k));
        };
        policies.identity.iter().for_each(|p| add(p));
        if let Some((p, _)) = policies.resource {
            add(p);
        }
        if let Some(p) = policies.boundary {
            add(p);
        }
        policies.session.iter().for_each(|p| add(p));
        for level in policies.scps.iter().chain(policies.rcps) {
            level.iter().for_each(|p| add(p));
        }
        KeyNeeds::Only(keys)
    }

    /// Whether `key` (lowercase) is read.
    pub fn wants(&self, key: &str) -> bool {
        match self {
            Self::All => true,
            Self::Only(keys) => keys.contains(&key),
        }
    }

    /// Whether the key `prefix` + `name` is read: `prefix` lowercase (`aws:principaltag/`),
    /// `name` in any case (a tag key).
    pub fn wants_named(&self, prefix: &str, name: &str) -> bool {
        match self {
            Self::All => true,
            Self::Only(keys) => keys.iter().any(|k| {
                k.len() == prefix.len() + name.len()
                    && k.starts_with(prefix)
                    && k.get(prefix.len()..)
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
            }),
        }
    }
}

/// Which of the [`PolicyInputs`] a matched statement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchLayer {
    /// [`PolicyInputs::identity`].
    Identity,
    /// [`PolicyInputs::resource`].
    Resource,
    /// [`PolicyInputs::boundary`].
    Boundary,
    /// [`PolicyInputs::session`].
    Session,
    /// [`PolicyInputs::scps`] (the level in [`MatchedStatement::level`]).
    Scp,
    /// [`PolicyInputs::rcps`] (the level in [`MatchedStatement::level`]).
    Rcp,
}

/// A statement that matched the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedStatement {
    /// The policy's identifier.
    pub policy_id: String,
    /// Where it comes from.
    pub source: PolicySource,
    /// The statement's `Sid`, if any.
    pub sid: Option<String>,
    /// The statement's index in its policy (with the policy's text, its position: see
    /// `keyturn_policy::statement_spans`).
    pub index: usize,
    /// `true` for `Allow`, `false` for `Deny`.
    pub allow: bool,
    /// The input the policy comes from.
    pub layer: MatchLayer,
    /// The policy's index in that input (0 for the resource policy and the boundary; within
    /// its level for an SCP or RCP).
    pub policy_index: usize,
    /// For an SCP or RCP: its level (0 the root).
    pub level: usize,
}

/// An evaluator's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Allow, explicit deny or implicit deny.
    pub outcome: Outcome,
    /// The statements that matched (filled when an explanation was asked for).
    pub matched: Vec<MatchedStatement>,
    /// Why, in words (filled when an explanation was asked for).
    pub reasons: Vec<String>,
}

impl Verdict {
    /// Whether the request is allowed.
    pub fn is_allowed(&self) -> bool {
        self.outcome == Outcome::Allow
    }
}

/// Decides requests against policies. Object-safe; implemented in-process
/// ([`DefaultEvaluator`]) or by a plugin through the C ABI (which reads [`PolicyRef::text`]).
pub trait PolicyEvaluator: Send + Sync + std::fmt::Debug {
    /// Decides `ctx` against `policies`. With `explain`, fills [`Verdict::matched`] and
    /// [`Verdict::reasons`]; without, they may stay empty (the hot path).
    ///
    /// # Errors
    /// An evaluator that cannot decide (a plugin failure) returns `InternalFailure`.
    fn evaluate(
        &self,
        policies: &PolicyInputs<'_>,
        ctx: &RequestContext,
        explain: bool,
    ) -> Result<Verdict, Error>;

    /// The condition keys that deciding against `policies` reads. The default, every key, is
    /// always right; an evaluator that knows what it reads makes contexts cheaper to build.
    fn key_needs<'a>(&self, policies: &PolicyInputs<'a>) -> KeyNeeds<'a> {
        let _ = policies;
        KeyNeeds::All
    }
}

/// The default evaluator: keyturn-policy over the pre-compiled policies.
#[derive(Debug, Default, Clone, Copy)]
pub struct DefaultEvaluator;

impl PolicyEvaluator for DefaultEvaluator {
    fn key_needs<'a>(&self, policies: &PolicyInputs<'a>) -> KeyNeeds<'a> {
        KeyNeeds::of_policies(policies)
    }

    fn evaluate(
        &self,
        policies: &PolicyInputs<'_>,
        ctx: &RequestContext,
        explain: bool,
    ) -> Result<Verdict, Error> {
        let mut set = PolicySet::new();
        // Parallel list of (id, source) so matches can be named.
        let mut identity_meta = Vec::new();
        for p in policies.identity {
            set = set.with_identity(p.compiled.clone());
            if explain {
                identity_meta.push((p.id.as_str(), p.source));
            }
        }
        if let Some((p, account)) = policies.resource {
            set = set.with_resource_policy(p.compiled.clone(), Some(account));
        } else if let Some(account) = policies.resource_account {
            set = set.with_resource_account(account);
        }
        if let Some(b) = policies.boundary {
            set = set.with_boundary(b.compiled.clone());
        }
        for p in policies.session {
            set = set.with_session_policy(p.compiled.clone());
        }
        for level in policies.scps {
            set = set.with_scp_level(level.iter().map(|p| p.compiled.clone()).collect());
        }
        for level in policies.rcps {
            set = set.with_rcp_level(level.iter().map(|p| p.compiled.clone()).collect());
        }
        let decision = set.evaluate(ctx);
        let outcome = decision.outcome();
        if !explain {
            return Ok(Verdict {
                outcome,
                matched: Vec::new(),
                reasons: Vec::new(),
            });
        }
        let explanation = decision.explain(&set);
        let matched = explanation
            .matched
            .iter()
            .map(|m| {
                let (layer, level) = match m.layer {
                    Layer::Identity => (MatchLayer::Identity, 0),
                    Layer::Resource => (MatchLayer::Resource, 0),
                    Layer::Boundary => (MatchLayer::Boundary, 0),
                    Layer::Session => (MatchLayer::Session, 0),
                    Layer::Scp(l) => (MatchLayer::Scp, usize::from(l)),
                    Layer::Rcp(l) => (MatchLayer::Rcp, usize::from(l)),
                };
                let org = |levels: &[OrgLevel]| {
                    levels
                        .get(level)
                        .and_then(|l| l.get(m.policy_index))
                        .map(|p| p.id.clone())
                        .unwrap_or_default()
                };
                let (id, source) = match layer {
                    MatchLayer::Identity => identity_meta
                        .get(m.policy_index)
                        .map(|(i, s)| ((*i).to_owned(), *s))
                        .unwrap_or_default_pair(),
                    MatchLayer::Resource => (
                        policies
                            .resource
                            .map(|(p, _)| p.id.clone())
                            .unwrap_or_default(),
                        PolicySource::Resource,
                    ),
                    MatchLayer::Boundary => (
                        policies.boundary.map(|p| p.id.clone()).unwrap_or_default(),
                        PolicySource::UserManaged,
                    ),
                    MatchLayer::Session => (
                        policies
                            .session
                            .get(m.policy_index)
                            .map(|p| p.id.clone())
                            .unwrap_or_default(),
                        PolicySource::None,
                    ),
                    MatchLayer::Scp => (org(policies.scps), PolicySource::None),
                    MatchLayer::Rcp => (org(policies.rcps), PolicySource::None),
                };
                MatchedStatement {
                    policy_id: m.policy_id.clone().unwrap_or(id),
                    source,
                    sid: m.sid.clone(),
                    index: m.index,
                    allow: m.effect == Effect::Allow,
                    layer,
                    policy_index: m.policy_index,
                    level,
                }
            })
            .collect();
        Ok(Verdict {
            outcome,
            matched,
            reasons: explanation.reasons,
        })
    }
}

/// The condition keys that deciding each scope-down policy in `scopes` alone reads, added to
/// `needs` (the keys of the request's other policies). Nothing changes without scopes.
pub fn with_scope_keys<'a>(
    evaluator: &dyn PolicyEvaluator,
    needs: KeyNeeds<'a>,
    scopes: &'a [Arc<PolicyRef>],
) -> KeyNeeds<'a> {
    let KeyNeeds::Only(mut keys) = needs else {
        return KeyNeeds::All;
    };
    for scope in scopes {
        match evaluator.key_needs(&scope_inputs(scope, None)) {
            KeyNeeds::All => return KeyNeeds::All,
            KeyNeeds::Only(more) => keys.extend(more),
        }
    }
    KeyNeeds::Only(keys)
}

/// One scope-down policy as the evaluator decides it alone: as the only identity-side policy,
/// the resource in the principal's `account` (a scope-down policy limits what the session may
/// do; it has no say on whose resource it is).
fn scope_inputs<'a>(scope: &'a Arc<PolicyRef>, account: Option<&'a str>) -> PolicyInputs<'a> {
    PolicyInputs {
        identity: std::slice::from_ref(scope),
        resource_account: account,
        ..PolicyInputs::default()
    }
}

/// Intersects `verdict` (the decision on the session's own policies) with each scope-down
/// policy of a GetScopedCredentials session, oldest first: the request is allowed only if every
/// scope-down policy allows it too; an explicit deny in one denies it; one that allows nothing
/// of it is an implicit deny, like a session policy. `account` is the principal's. Each policy
/// is decided by `evaluator` on its own (so a plugin evaluator, which sees a flat list of
/// policies, intersects the layers as well). Without scopes `verdict` is returned as it is.
///
/// # Errors
/// As [`PolicyEvaluator::evaluate`].
pub fn intersect_scopes(
    evaluator: &dyn PolicyEvaluator,
    scopes: &[Arc<PolicyRef>],
    account: &str,
    ctx: &RequestContext,
    mut verdict: Verdict,
    explain: bool,
) -> Result<Verdict, Error> {
    for (i, scope) in scopes.iter().enumerate() {
        if verdict.outcome == Outcome::ExplicitDeny && !explain {
            break;
        }
        let v = evaluator.evaluate(&scope_inputs(scope, Some(account)), ctx, explain)?;
        verdict.outcome = match (verdict.outcome, v.outcome) {
            (Outcome::ExplicitDeny, _) | (_, Outcome::ExplicitDeny) => Outcome::ExplicitDeny,
            (Outcome::Allow, Outcome::Allow) => Outcome::Allow,
            _ => Outcome::ImplicitDeny,
        };
        if explain {
            verdict
                .matched
                .extend(v.matched.into_iter().map(|m| MatchedStatement {
                    layer: MatchLayer::Session,
                    policy_index: i,
                    source: PolicySource::None,
                    ..m
                }));
            match v.outcome {
                Outcome::ExplicitDeny => verdict
                    .reasons
                    .push(format!("explicit deny in scope-down policy {}", i + 1)),
                Outcome::ImplicitDeny => verdict.reasons.push(format!(
                    "no statement of scope-down policy {} allows the action",
                    i + 1
                )),
                Outcome::Allow => {}
            }
        }
    }
    Ok(verdict)
}

trait DefaultPair {
    fn unwrap_or_default_pair(self) -> (String, PolicySource);
}

impl DefaultPair for Option<(String, PolicySource)> {
    fn unwrap_or_default_pair(self) -> (String, PolicySource) {
        self.unwrap_or((String::new(), PolicySource::None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyturn_policy::Principal;

    fn policy(text: &str) -> Arc<PolicyRef> {
        Arc::new(
            PolicyRef::parse("p", PolicySource::User, text, PolicyType::Identity)
                .unwrap_or_else(|e| panic!("{e}")),
        )
    }

    /// An evaluator that does not say what it reads gets every key; the default one names the
    /// keys of its policies, case-insensitively for named families.
    #[test]
    fn key_needs_of_evaluators() {
        #[derive(Debug)]
        struct Other;
        impl PolicyEvaluator for Other {
            fn evaluate(
                &self,
                _: &PolicyInputs<'_>,
                _: &RequestContext,
                _: bool,
            ) -> Result<Verdict, Error> {
                Err(Error::new(ErrorCode::InternalFailure, "unused"))
            }
        }
        let cond = policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/Team":"web"}}}]}"#,
        );
        let plain = policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        );
        let ids = [plain, cond];
        let inputs = PolicyInputs {
            identity: &ids,
            ..PolicyInputs::default()
        };
        assert_eq!(Other.key_needs(&inputs), KeyNeeds::All);
        let needs = DefaultEvaluator.key_needs(&inputs);
        assert_eq!(needs, KeyNeeds::Only(vec!["aws:principaltag/team"]));
        assert!(needs.wants("aws:principaltag/team"));
        assert!(!needs.wants("aws:sourceip"));
        assert!(needs.wants_named("aws:principaltag/", "TEAM"));
        assert!(!needs.wants_named("aws:principaltag/", "Teams"));
        assert!(!needs.wants_named("aws:requesttag/", "team"));
        let none = DefaultEvaluator.key_needs(&PolicyInputs::default());
        assert!(!none.wants("aws:principaltag/team"));
    }

    #[test]
    fn allows_and_explains() {
        let p = policy(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
        );
        let principal = Principal::from_arn("arn:aws:iam::111111111111:user/a")
            .unwrap_or_else(|| panic!("principal"));
        let ctx = RequestContext::new(principal.clone(), "s3:GetObject", "arn:aws:s3:::b/k");
        let ids = [p];
        let inputs = PolicyInputs {
            identity: &ids,
            ..PolicyInputs::default()
        };
        let v = DefaultEvaluator
            .evaluate(&inputs, &ctx, true)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(v.is_allowed());
        assert_eq!(v.matched.len(), 1);
        assert_eq!(v.matched[0].sid.as_deref(), Some("S"));
        assert_eq!(
            (
                v.matched[0].layer,
                v.matched[0].policy_index,
                v.matched[0].index
            ),
            (MatchLayer::Identity, 0, 0)
        );
        let ctx = RequestContext::new(principal, "s3:PutObject", "arn:aws:s3:::b/k");
        let v = DefaultEvaluator
            .evaluate(&inputs, &ctx, false)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.outcome, Outcome::ImplicitDeny);
    }

    /// The organization's levels alone: every level must allow, a deny anywhere denies; the
    /// default evaluator applies them with the other layers.
    #[test]
    fn organization_levels_decide_alone_and_with_the_other_layers() {
        let scp = |text: &str| {
            Arc::new(
                PolicyRef::parse("s", PolicySource::None, text, PolicyType::Scp)
                    .unwrap_or_else(|e| panic!("{e}")),
            )
        };
        let full = scp(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        );
        let s3 = scp(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
        );
        let deny = scp(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}"#,
        );
        let levels: Vec<OrgLevel> = vec![vec![Arc::clone(&full), deny].into(), vec![s3].into()];
        let all = policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        );
        let ids = [all];
        let inputs = PolicyInputs {
            identity: &ids,
            scps: &levels,
            ..PolicyInputs::default()
        };
        assert!(inputs.has_org_levels());
        let principal = Principal::from_arn("arn:aws:iam::222222222222:user/a")
            .unwrap_or_else(|| panic!("principal"));
        let decide = |action: &str| {
            let ctx = RequestContext::new(principal.clone(), action, "arn:aws:s3:::b");
            let alone = organizations_outcome(&inputs, &ctx);
            let full = DefaultEvaluator
                .evaluate(&inputs, &ctx, true)
                .unwrap_or_else(|e| panic!("{e}"));
            (alone, full.outcome)
        };
        assert_eq!(decide("s3:GetObject"), (Outcome::Allow, Outcome::Allow));
        assert_eq!(
            decide("s3:DeleteBucket"),
            (Outcome::ExplicitDeny, Outcome::ExplicitDeny)
        );
        assert_eq!(
            decide("ec2:RunInstances"),
            (Outcome::ImplicitDeny, Outcome::ImplicitDeny)
        );
        assert!(!PolicyInputs::default().has_org_levels());
    }

    #[test]
    fn malformed_policy_is_reported() {
        let e = PolicyRef::parse("x", PolicySource::None, "{", PolicyType::Session);
        assert!(matches!(e, Err(e) if e.error_code() == ErrorCode::MalformedPolicyDocument));
    }
}
