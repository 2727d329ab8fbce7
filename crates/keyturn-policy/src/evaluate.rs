//! Evaluation across policy layers, with decisions that explain themselves.
//!
//! Logic: IAM User Guide, "Policy evaluation logic" (and its pages on same- and cross-account
//! requests, permissions boundaries, session policies, SCPs and RCPs).

use crate::compiled::{CompiledPolicy, PrincipalMatch};
use crate::context::{PrincipalType, RequestContext};
use crate::document::{Effect, PolicyType};

/// Where a statement sits in the set of policies evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// The n-th identity-based policy.
    Identity,
    /// The resource-based (or trust) policy.
    Resource,
    /// The permissions boundary.
    Boundary,
    /// The n-th session policy.
    Session,
    /// An SCP, at the given level (in the order the levels were added: root first, account last).
    Scp(u8),
    /// An RCP, at the given level.
    Rcp(u8),
}

/// A matched statement, recorded compactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementRef {
    /// The layer.
    pub layer: Layer,
    /// The policy's index within its layer (level).
    pub policy: u16,
    /// The statement's index in the policy.
    pub statement: u16,
    /// The statement's effect.
    pub effect: Effect,
}

const INLINE: usize = 8;

/// The statements that matched: up to eight inline, more spill to the heap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchList {
    inline: [Option<StatementRef>; INLINE],
    len: usize,
    spill: Vec<StatementRef>,
}

impl Default for MatchList {
    fn default() -> Self {
        Self {
            inline: [None; INLINE],
            len: 0,
            spill: Vec::new(),
        }
    }
}

impl MatchList {
    fn push(&mut self, r: StatementRef) {
        if self.len < INLINE {
            self.inline[self.len] = Some(r);
            self.len += 1;
        } else {
            self.spill.push(r);
        }
    }

    /// The matched statements, in evaluation order.
    pub fn iter(&self) -> impl Iterator<Item = &StatementRef> {
        self.inline.iter().flatten().chain(self.spill.iter())
    }
}

/// The three outcomes of an authorization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Outcome {
    /// Allowed.
    Allow,
    /// Denied by an explicit `Deny` statement.
    ExplicitDeny,
    /// Denied because nothing (or not every required layer) allows it.
    ImplicitDeny,
}

/// Why an implicit deny happened (several can hold at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
enum Failure {
    NoIdentity = 1,
    Boundary = 2,
    Session = 4,
    CrossAccount = 8,
    Scp = 16,
    Rcp = 32,
    Trust = 64,
}

/// The result of an authorization: cheap to produce; [`Decision::explain`] renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    outcome: Outcome,
    /// Layers with an explicit deny (PolicyType bits).
    denied_in: u16,
    failures: u16,
    failed_scp_level: Option<u8>,
    failed_rcp_level: Option<u8>,
    /// Which layer granted an allow.
    granted_by: Option<PolicyType>,
    matched: MatchList,
}

fn type_bit(t: PolicyType) -> u16 {
    1 << (t as u16)
}

impl Decision {
    /// The outcome.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// Whether the request is allowed.
    pub fn is_allowed(&self) -> bool {
        self.outcome == Outcome::Allow
    }

    /// The statements that matched (allows and denies), in evaluation order.
    pub fn matched(&self) -> &MatchList {
        &self.matched
    }

    /// The reasons, in words ("no identity-based policy allows the action", …).
    pub fn reasons(&self) -> Vec<String> {
        let mut out = Vec::new();
        for t in [
            PolicyType::Scp,
            PolicyType::Rcp,
            PolicyType::Resource,
            PolicyType::Identity,
            PolicyType::Boundary,
            PolicyType::Session,
        ] {
            if self.denied_in & type_bit(t) != 0 {
                out.push(format!("explicit deny in the {}", t.layer_name()));
            }
        }
        if self.outcome == Outcome::Allow {
            if let Some(t) = self.granted_by {
                out.push(format!("allowed by the {}", t.layer_name()));
            }
            return out;
        }
        if self.outcome == Outcome::ExplicitDeny {
            return out;
        }
        let f = |x: Failure| self.failures & (x as u16) != 0;
        if f(Failure::Scp) {
            out.push(format!(
                "no service control policy allows the action at level {}",
                self.failed_scp_level.unwrap_or(0)
            ));
        }
        if f(Failure::Rcp) {
            out.push(format!(
                "no resource control policy allows the action at level {}",
                self.failed_rcp_level.unwrap_or(0)
            ));
        }
        if f(Failure::Trust) {
            out.push("the role trust policy does not allow the principal".to_owned());
        }
        if f(Failure::CrossAccount) {
            out.push(
                "the resource-based policy does not allow the cross-account request".to_owned(),
            );
        }
        if f(Failure::NoIdentity) {
            out.push("no identity-based policy allows the action".to_owned());
        }
        if f(Failure::Boundary) {
            out.push("denied by the permissions boundary".to_owned());
        }
        if f(Failure::Session) {
            out.push("no session policy allows the action".to_owned());
        }
        out
    }

    /// The full explanation: outcome, matched statements with their policy ids and Sids, reasons.
    pub fn explain(&self, set: &PolicySet) -> Explanation {
        let matched = self
            .matched
            .iter()
            .map(|r| {
                let policy = set.policy(r.layer, r.policy as usize);
                let st = policy.and_then(|p| p.statement(r.statement as usize));
                MatchedStatement {
                    policy_id: policy.and_then(|p| p.id().map(str::to_owned)),
                    policy_type: policy.map_or(PolicyType::Identity, CompiledPolicy::policy_type),
                    policy_index: usize::from(r.policy),
                    sid: st.and_then(|s| s.sid.as_deref().map(str::to_owned)),
                    index: usize::from(r.statement),
                    effect: r.effect,
                    layer: r.layer,
                }
            })
            .collect();
        Explanation {
            decision: self.outcome,
            matched,
            reasons: self.reasons(),
        }
    }
}

/// One matched statement in an [`Explanation`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MatchedStatement {
    /// The policy's id (name, ARN or document `Id`), if any.
    pub policy_id: Option<String>,
    /// The policy's type.
    pub policy_type: PolicyType,
    /// The policy's index within its layer.
    pub policy_index: usize,
    /// The statement's `Sid`.
    pub sid: Option<String>,
    /// The statement's index.
    pub index: usize,
    /// Its effect.
    pub effect: Effect,
    /// The layer the policy was evaluated in (a managed policy may be an identity policy or a
    /// boundary, whatever type it was validated as). Not serialised.
    #[serde(skip)]
    pub layer: Layer,
}

/// A serialisable explanation of a [`Decision`] (what `DecodeAuthorizationMessage` carries).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Explanation {
    /// `Allow`, `ExplicitDeny` or `ImplicitDeny`.
    pub decision: Outcome,
    /// The statements that matched.
    pub matched: Vec<MatchedStatement>,
    /// The reasons, in words.
    pub reasons: Vec<String>,
}

/// Everything that applies to one request: identity policies, the resource policy and its account,
/// the permissions boundary, session policies, SCP and RCP levels.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    identity: Vec<CompiledPolicy>,
    resource: Option<CompiledPolicy>,
    resource_account: Option<String>,
    boundary: Option<CompiledPolicy>,
    session: Vec<CompiledPolicy>,
    scps: Vec<Vec<CompiledPolicy>>,
    rcps: Vec<Vec<CompiledPolicy>>,
}

#[derive(Default)]
struct LayerResult {
    allow: Option<PrincipalMatch>,
    deny: bool,
}

impl PolicySet {
    /// An empty set (everything is implicitly denied).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an identity-based policy (inline or managed, the user's, its groups', the role's).
    pub fn with_identity(mut self, p: CompiledPolicy) -> Self {
        self.identity.push(p);
        self
    }

    /// Sets the resource-based policy and the account owning the resource (`None`: the account in
    /// the resource ARN, else the caller's). A role trust policy is the resource policy of
    /// `sts:AssumeRole*` with the role's account.
    pub fn with_resource_policy(mut self, p: CompiledPolicy, account: Option<&str>) -> Self {
        self.resource = Some(p);
        self.resource_account = account.map(str::to_owned);
        self
    }

    /// Sets the owner of the resource without a resource policy (for cross-account checks).
    pub fn with_resource_account(mut self, account: &str) -> Self {
        self.resource_account = Some(account.to_owned());
        self
    }

    /// Sets the permissions boundary.
    pub fn with_boundary(mut self, p: CompiledPolicy) -> Self {
        self.boundary = Some(p);
        self
    }

    /// Adds a session policy (inline or a `PolicyArns` one); several are unioned, then intersected.
    pub fn with_session_policy(mut self, p: CompiledPolicy) -> Self {
        self.session.push(p);
        self
    }

    /// Adds a level of SCPs (root, OU…, account): at each level some SCP must allow.
    pub fn with_scp_level(mut self, level: Vec<CompiledPolicy>) -> Self {
        self.scps.push(level);
        self
    }

    /// Adds a level of RCPs: at each level some RCP must allow.
    pub fn with_rcp_level(mut self, level: Vec<CompiledPolicy>) -> Self {
        self.rcps.push(level);
        self
    }

    fn policy(&self, layer: Layer, i: usize) -> Option<&CompiledPolicy> {
        match layer {
            Layer::Identity => self.identity.get(i),
            Layer::Resource => self.resource.as_ref(),
            Layer::Boundary => self.boundary.as_ref(),
            Layer::Session => self.session.get(i),
            Layer::Scp(l) => self.scps.get(usize::from(l)).and_then(|v| v.get(i)),
            Layer::Rcp(l) => self.rcps.get(usize::from(l)).and_then(|v| v.get(i)),
        }
    }

    fn eval_layer<'a>(
        policies: impl IntoIterator<Item = &'a CompiledPolicy>,
        layer: Layer,
        ctx: &RequestContext,
        matched: &mut MatchList,
    ) -> LayerResult {
        let mut r = LayerResult::default();
        for (pi, p) in policies.into_iter().enumerate() {
            p.for_each_match(ctx, |si, effect, m| {
                matched.push(StatementRef {
                    layer,
                    policy: u16::try_from(pi).unwrap_or(u16::MAX),
                    statement: u16::try_from(si).unwrap_or(u16::MAX),
                    effect,
                });
                match effect {
                    Effect::Deny => r.deny = true,
                    Effect::Allow => r.allow = r.allow.max(Some(m)),
                }
            });
        }
        r
    }

    /// Decides the request.
    pub fn evaluate(&self, ctx: &RequestContext) -> Decision {
        let mut matched = MatchList::default();
        let mut denied_in = 0u16;
        let mut failures = 0u16;
        // The levels of one organization policy type (SCPs or RCPs), top level first: the type
        // is marked in `denied_in` when a level denies; the first level that allows nothing is
        // returned, its failure marked in `failures`.
        let mut org_levels = |levels: &[Vec<CompiledPolicy>], org: PolicyType| {
            let mut failed_level = None;
            for (l, level) in levels.iter().enumerate() {
                let lv = u8::try_from(l).unwrap_or(u8::MAX);
                let (layer, failure) = match org {
                    PolicyType::Scp => (Layer::Scp(lv), Failure::Scp),
                    _ => (Layer::Rcp(lv), Failure::Rcp),
                };
                let r = Self::eval_layer(level, layer, ctx, &mut matched);
                if r.deny {
                    denied_in |= type_bit(org);
                }
                if r.allow.is_none() && failed_level.is_none() {
                    failed_level = Some(lv);
                    failures |= failure as u16;
                }
            }
            failed_level
        };
        let failed_scp_level = org_levels(&self.scps, PolicyType::Scp);
        let failed_rcp_level = org_levels(&self.rcps, PolicyType::Rcp);
        let res = match &self.resource {
            Some(p) => Self::eval_layer([p], Layer::Resource, ctx, &mut matched),
            None => LayerResult::default(),
        };
        if res.deny {
            denied_in |= type_bit(PolicyType::Resource);
        }
        let id = Self::eval_layer(&self.identity, Layer::Identity, ctx, &mut matched);
        if id.deny {
            denied_in |= type_bit(PolicyType::Identity);
        }
        let boundary = self
            .boundary
            .as_ref()
            .map(|p| Self::eval_layer([p], Layer::Boundary, ctx, &mut matched));
        if boundary.as_ref().is_some_and(|b| b.deny) {
            denied_in |= type_bit(PolicyType::Boundary);
        }
        let session = (!self.session.is_empty())
            .then(|| Self::eval_layer(&self.session, Layer::Session, ctx, &mut matched));
        if session.as_ref().is_some_and(|s| s.deny) {
            denied_in |= type_bit(PolicyType::Session);
        }

        let principal = ctx.principal();
        let boundary_ok = boundary.as_ref().is_none_or(|b| b.allow.is_some());
        let session_ok = session.as_ref().is_none_or(|s| s.allow.is_some());
        let identity_ok = id.allow.is_some();
        // Service and federated principals have no identity policies: a resource policy naming them
        // grants on its own.
        let no_identity = matches!(
            principal.kind,
            PrincipalType::Service | PrincipalType::WebIdentity | PrincipalType::Anonymous
        );
        let resource_account = self
            .resource_account
            .as_deref()
            .or_else(|| ctx.resource_arn_account())
            .unwrap_or(principal.account.as_str());
        let same_account = no_identity || resource_account == principal.account;

        let mut granted_by = None;
        let is_trust = self
            .resource
            .as_ref()
            .is_some_and(|p| p.policy_type() == PolicyType::Trust);
        let allowed = if is_trust && res.allow.is_none() {
            // A role can only be assumed when its trust policy allows the caller, whatever the
            // caller's identity policies say (IAM User Guide, "Roles terms and concepts").
            failures |= Failure::Trust as u16;
            if !identity_ok && !same_account {
                failures |= Failure::NoIdentity as u16;
            }
            false
        } else if self.resource.is_some() && same_account {
            // Same account: union of the resource policy and the identity policies. A grant naming the
            // user or session itself is not limited by the boundary or session policy; a grant naming
            // a role is, whether the caller is a session of the role or the role itself (IAM User
            // Guide, "Policy evaluation for requests within a single account": only users and role
            // sessions are exempt).
            let role_caller = principal.kind == PrincipalType::Role;
            let direct = res.allow == Some(PrincipalMatch::Direct) && !role_caller;
            let via_role = res.allow == Some(PrincipalMatch::Role)
                || (res.allow == Some(PrincipalMatch::Direct) && role_caller);
            if direct {
                granted_by = Some(PolicyType::Resource);
                true
            } else if (via_role || identity_ok) && boundary_ok && session_ok {
                granted_by = Some(if via_role {
                    PolicyType::Resource
                } else {
                    PolicyType::Identity
                });
                true
            } else {
                if !via_role && !identity_ok {
                    failures |= Failure::NoIdentity as u16;
                }
                if !boundary_ok {
                    failures |= Failure::Boundary as u16;
                }
                if !session_ok {
                    failures |= Failure::Session as u16;
                }
                false
            }
        } else {
            // No resource policy, or cross-account: the identity side must allow (through boundary
            // and session policies), and a cross-account resource policy must allow too.
            let cross_ok = !(self.resource.is_some() || resource_account != principal.account)
                || res.allow.is_some();
            if !identity_ok {
                failures |= Failure::NoIdentity as u16;
            }
            if !boundary_ok {
                failures |= Failure::Boundary as u16;
            }
            if !session_ok {
                failures |= Failure::Session as u16;
            }
            if !cross_ok {
                failures |= Failure::CrossAccount as u16;
            }
            let ok = identity_ok && boundary_ok && session_ok && cross_ok;
            if ok {
                granted_by = Some(PolicyType::Identity);
            }
            ok
        };
        let scp_rcp_ok = failed_scp_level.is_none() && failed_rcp_level.is_none();
        let outcome = if denied_in != 0 {
            Outcome::ExplicitDeny
        } else if allowed && scp_rcp_ok {
            Outcome::Allow
        } else {
            Outcome::ImplicitDeny
        };
        if outcome == Outcome::Allow {
            failures = 0;
        }
        Decision {
            outcome,
            denied_in,
            failures,
            failed_scp_level,
            failed_rcp_level,
            granted_by,
            matched,
        }
    }
}

/// What a role trust policy says about a caller, for `sts:AssumeRole*`, `sts:TagSession`,
/// `sts:SetSourceIdentity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum TrustOutcome {
    /// A statement names the caller itself (or `*`, a provider, a service): allowed without the
    /// caller's identity policies in the same account.
    AllowedDirectly,
    /// A statement names the caller's role (role session chaining): allowed, filtered by the caller's
    /// boundary and session policies.
    AllowedForRole,
    /// A statement names the caller's account: the caller's identity policies must allow the action.
    AllowedByDelegation,
    /// An explicit deny matches.
    ExplicitDeny,
    /// No statement allows.
    NotAllowed,
}

/// Evaluates a trust policy alone for the request (principal, `sts:` action, condition keys).
///
/// The full decision for `AssumeRole` also needs the caller's identity policies when the outcome is
/// [`TrustOutcome::AllowedByDelegation`] or the call is cross-account: put the trust policy in a
/// [`PolicySet`] as the resource policy with the role's account to get that in one step.
pub fn evaluate_trust(trust: &CompiledPolicy, ctx: &RequestContext) -> TrustOutcome {
    let mut allow = None;
    let mut deny = false;
    trust.for_each_match(ctx, |_, effect, m| match effect {
        Effect::Deny => deny = true,
        Effect::Allow => allow = allow.max(Some(m)),
    });
    match (deny, allow) {
        (true, _) => TrustOutcome::ExplicitDeny,
        (false, Some(PrincipalMatch::Direct)) => TrustOutcome::AllowedDirectly,
        (false, Some(PrincipalMatch::Role)) => TrustOutcome::AllowedForRole,
        (false, Some(PrincipalMatch::Account)) => TrustOutcome::AllowedByDelegation,
        (false, None) => TrustOutcome::NotAllowed,
    }
}
