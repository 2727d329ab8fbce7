//! The evaluation form of a policy: compiled once, evaluated many times without parsing.

use std::sync::Arc;

use crate::condition::Condition;
use crate::context::{Principal, PrincipalType, RequestContext};
use crate::document::{
    Effect, PolicyDocument, PolicyType, PrincipalKind, PrincipalSpec, Statement,
};
use crate::error::PolicyError;
use crate::glob::{ArnGlob, Glob, split_arn};
use crate::vars::{Template, arn_from_toks, has_variable, written_keys};

/// How a `Principal` element matched the caller; the order is "weakest first".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum PrincipalMatch {
    /// The caller's account was named (account id or root ARN): the account's identity policies decide.
    Account,
    /// The role of a role session was named: boundary and session policies still filter.
    Role,
    /// The caller itself (user, session, federated user, service, provider) or `*` was named.
    /// (A role calling as itself is still filtered by its boundary: [`crate::PolicySet::evaluate`]
    /// treats that like [`PrincipalMatch::Role`].)
    Direct,
}

#[derive(Debug, Clone)]
enum ActionPat {
    Any,
    Service(Box<str>, Glob),
}

#[derive(Debug, Clone)]
enum ResourcePat {
    Any,
    Arn(ArnGlob),
    Plain(Glob),
    Dynamic(Template),
}

#[derive(Debug, Clone)]
enum PrincipalPat {
    Any,
    Account(Box<str>),
    Arn(Box<str>),
    Role(Box<str>),
    Federated(Box<str>),
    Service(Box<str>),
    Canonical(Box<str>),
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledStatement {
    pub(crate) effect: Effect,
    pub(crate) sid: Option<Box<str>>,
    principal: Option<(Box<[PrincipalPat]>, bool)>,
    actions: Box<[ActionPat]>,
    not_action: bool,
    resources: Option<(Box<[ResourcePat]>, bool)>,
    conditions: Box<[Condition]>,
    /// The request keys the statement reads, as written (resource variables, then each condition's
    /// key and value variables), for the simulator's `MissingContextValues`.
    key_names: Box<[Box<str>]>,
}

#[derive(Debug)]
struct Inner {
    id: Option<String>,
    policy_type: PolicyType,
    statements: Vec<CompiledStatement>,
    /// Statement indices by lowercased service prefix, sorted by service.
    by_service: Vec<(Box<str>, Box<[u32]>)>,
    /// Statements that may match any service (`*`, `NotAction`).
    any_service: Box<[u32]>,
    /// The request keys the policy reads (conditions and policy variables), lowercase, sorted.
    keys: Box<[Box<str>]>,
}

/// A compiled policy. Cloning is cheap (shared).
#[derive(Debug, Clone)]
pub struct CompiledPolicy(Arc<Inner>);

impl CompiledPolicy {
    /// Parses, validates and compiles `text` as a policy of `policy_type` (default size limit).
    pub fn parse(text: &str, policy_type: PolicyType) -> Result<Self, PolicyError> {
        Ok(Self::compile(&PolicyDocument::parse(text, policy_type)?))
    }

    /// Compiles a validated document.
    pub fn compile(doc: &PolicyDocument) -> Self {
        let variables = doc.effective_version().has_variables();
        let statements: Vec<CompiledStatement> = doc
            .statements
            .iter()
            .map(|s| compile_statement(s, variables))
            .collect();
        let mut by_service: Vec<(Box<str>, Vec<u32>)> = Vec::new();
        let mut any_service = Vec::new();
        for (i, st) in statements.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            let services: Option<Vec<&str>> = if st.not_action {
                None
            } else {
                st.actions
                    .iter()
                    .map(|a| match a {
                        ActionPat::Any => None,
                        ActionPat::Service(s, _) => Some(&**s),
                    })
                    .collect()
            };
            match services {
                None => any_service.push(i),
                Some(mut svcs) => {
                    svcs.sort_unstable();
                    svcs.dedup();
                    for s in svcs {
                        match by_service.binary_search_by(|(x, _)| (**x).cmp(s)) {
                            Ok(j) => by_service[j].1.push(i),
                            Err(j) => by_service.insert(j, (s.into(), vec![i])),
                        }
                    }
                }
            }
        }
        let mut keys: Vec<Box<str>> = statements
            .iter()
            .flat_map(CompiledStatement::keys)
            .map(Into::into)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        Self(Arc::new(Inner {
            id: doc.id.clone(),
            policy_type: doc.policy_type,
            statements,
            by_service: by_service
                .into_iter()
                .map(|(s, v)| (s, v.into_boxed_slice()))
                .collect(),
            any_service: any_service.into_boxed_slice(),
            keys: keys.into_boxed_slice(),
        }))
    }

    /// The same policy under another identifier (a policy name or ARN), used in explanations.
    pub fn with_id(self, id: &str) -> Self {
        let inner = Inner {
            id: Some(id.to_owned()),
            policy_type: self.0.policy_type,
            statements: self.0.statements.clone(),
            by_service: self.0.by_service.clone(),
            any_service: self.0.any_service.clone(),
            keys: self.0.keys.clone(),
        };
        Self(Arc::new(inner))
    }

    /// The identifier: the one given by [`CompiledPolicy::with_id`], else the document's `Id`.
    pub fn id(&self) -> Option<&str> {
        self.0.id.as_deref()
    }

    /// The policy type it was validated as.
    pub fn policy_type(&self) -> PolicyType {
        self.0.policy_type
    }

    /// The request keys the policy can read, lowercase and sorted: the keys of its conditions
    /// and of the policy variables in its resources and condition values. A request context
    /// without the other keys gets the same decision from this policy.
    pub fn condition_keys(&self) -> &[Box<str>] {
        &self.0.keys
    }

    /// The request keys, as written in the policy, that the statements in scope of the request
    /// read (their action, resource and principal match; conditions aside), in document order
    /// without case-insensitive repeats: what IAM's simulator lists as `MissingContextValues`
    /// when the request does not supply them.
    pub fn context_keys_for(&self, ctx: &RequestContext) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for st in &self.0.statements {
            if st.key_names.is_empty() || st.in_scope(ctx, false).is_none() {
                continue;
            }
            for k in st.key_names.iter() {
                if !out.iter().any(|x| x.eq_ignore_ascii_case(k)) {
                    out.push(k);
                }
            }
        }
        out
    }

    /// The number of statements.
    pub fn len(&self) -> usize {
        self.0.statements.len()
    }

    /// Whether the policy has no statement (never true for a validated document).
    pub fn is_empty(&self) -> bool {
        self.0.statements.is_empty()
    }

    pub(crate) fn statement(&self, i: usize) -> Option<&CompiledStatement> {
        self.0.statements.get(i)
    }

    /// Calls `f` for every statement that applies to the request, in document order, with how its
    /// principal matched (`Direct` when the statement has no principal).
    pub(crate) fn for_each_match(
        &self,
        ctx: &RequestContext,
        mut f: impl FnMut(usize, Effect, PrincipalMatch),
    ) {
        let svc = ctx.service();
        let listed: &[u32] = match self.0.by_service.binary_search_by(|(x, _)| (**x).cmp(svc)) {
            Ok(j) => &self.0.by_service[j].1,
            Err(_) => &[],
        };
        let any = &*self.0.any_service;
        let (mut a, mut b) = (0, 0);
        loop {
            let next = match (listed.get(a), any.get(b)) {
                (Some(x), Some(y)) if x < y => {
                    a += 1;
                    *x
                }
                (Some(_), Some(y)) | (None, Some(y)) => {
                    b += 1;
                    *y
                }
                (Some(x), None) => {
                    a += 1;
                    *x
                }
                (None, None) => break,
            };
            let i = next as usize;
            if let Some(st) = self.0.statements.get(i)
                && let Some(m) = st.applies(ctx)
            {
                f(i, st.effect, m);
            }
        }
    }
}

fn compile_statement(st: &Statement, variables: bool) -> CompiledStatement {
    let actions = st
        .action
        .0
        .values
        .iter()
        .map(|a| {
            let a = a.to_ascii_lowercase();
            match a.split_once(':') {
                _ if a == "*" => ActionPat::Any,
                Some((svc, name)) => ActionPat::Service(svc.into(), Glob::new(name)),
                None => ActionPat::Service(a.as_str().into(), Glob::exact("\u{0}")),
            }
        })
        .collect();
    let resources = st.resource.as_ref().map(|(list, not)| {
        let pats = list
            .values
            .iter()
            .map(|r| {
                if r == "*" {
                    ResourcePat::Any
                } else if variables && has_variable(r) {
                    Template::parse(r).map_or_else(|| plain_resource(r), ResourcePat::Dynamic)
                } else {
                    plain_resource(r)
                }
            })
            .collect();
        (pats, *not)
    });
    let principal = st.principal.as_ref().map(|(spec, not)| {
        let pats: Vec<PrincipalPat> = match spec {
            PrincipalSpec::Any => vec![PrincipalPat::Any],
            PrincipalSpec::Map(entries) => entries
                .iter()
                .flat_map(|(kind, vals)| vals.iter().map(move |v| compile_principal(*kind, v)))
                .collect(),
        };
        (pats.into_boxed_slice(), *not)
    });
    let conditions = st
        .conditions
        .iter()
        .map(|c| Condition::compile(c.op, &c.key, &c.values.values, variables))
        .collect();
    let mut key_names: Vec<Box<str>> = Vec::new();
    let mut add = |k: &str| {
        if !key_names.iter().any(|x| x.eq_ignore_ascii_case(k)) {
            key_names.push(k.into());
        }
    };
    if variables {
        for r in st.resource.iter().flat_map(|(l, _)| &l.values) {
            written_keys(r).into_iter().for_each(&mut add);
        }
    }
    for c in &st.conditions {
        add(&c.key);
        if variables {
            for v in &c.values.values {
                written_keys(v).into_iter().for_each(&mut add);
            }
        }
    }
    CompiledStatement {
        effect: st.effect,
        sid: st.sid.as_deref().map(Into::into),
        principal,
        actions,
        not_action: st.action.1,
        resources,
        conditions,
        key_names: key_names.into_boxed_slice(),
    }
}

fn plain_resource(r: &str) -> ResourcePat {
    match ArnGlob::new(r) {
        Some(a) => ResourcePat::Arn(a),
        None => ResourcePat::Plain(Glob::new(r)),
    }
}

fn compile_principal(kind: PrincipalKind, v: &str) -> PrincipalPat {
    match kind {
        PrincipalKind::Aws if v == "*" => PrincipalPat::Any,
        PrincipalKind::Aws => {
            if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
                return PrincipalPat::Account(v.into());
            }
            match split_arn(v) {
                Some(p) if p[5] == "root" => PrincipalPat::Account(p[4].into()),
                Some(p) if p[2] == "iam" && p[5].starts_with("role/") => {
                    PrincipalPat::Role(v.into())
                }
                _ => PrincipalPat::Arn(v.into()),
            }
        }
        PrincipalKind::Federated => PrincipalPat::Federated(v.into()),
        PrincipalKind::Service if v == "*" => PrincipalPat::Any,
        PrincipalKind::Service => PrincipalPat::Service(v.into()),
        PrincipalKind::CanonicalUser => PrincipalPat::Canonical(v.to_ascii_lowercase().into()),
    }
}

fn has_account(p: &Principal) -> bool {
    !matches!(
        p.kind,
        PrincipalType::Service | PrincipalType::WebIdentity | PrincipalType::Anonymous
    )
}

impl PrincipalPat {
    fn matches(&self, p: &Principal) -> Option<PrincipalMatch> {
        let hit = |b: bool, m| b.then_some(m);
        match self {
            Self::Any => Some(PrincipalMatch::Direct),
            Self::Account(a) => hit(has_account(p) && p.account == **a, PrincipalMatch::Account),
            Self::Arn(a) => hit(p.arn == **a, PrincipalMatch::Direct),
            Self::Role(r) => match p.kind {
                PrincipalType::Role => hit(p.arn == **r, PrincipalMatch::Direct),
                PrincipalType::AssumedRole => hit(p.principal_arn == **r, PrincipalMatch::Role),
                _ => None,
            },
            Self::Federated(f) => hit(
                p.federated_provider.as_deref() == Some(&**f),
                PrincipalMatch::Direct,
            ),
            Self::Service(s) => hit(p.service.as_deref() == Some(&**s), PrincipalMatch::Direct),
            Self::Canonical(c) => hit(
                p.canonical_user
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(c)),
                PrincipalMatch::Direct,
            ),
        }
    }
}

/// `NotPrincipal` excludes the caller only when every identity of the caller is listed: its own
/// ARN, the role of a role session, and its account (IAM User Guide, "NotPrincipal").
fn excluded_by(pats: &[PrincipalPat], p: &Principal) -> bool {
    let caller = pats
        .iter()
        .any(|x| x.matches(p) == Some(PrincipalMatch::Direct))
        || (p.kind == PrincipalType::Account && pats.iter().any(|x| x.matches(p).is_some()));
    let role = p.kind != PrincipalType::AssumedRole
        || pats.iter().any(|x| {
            x.matches(p) >= Some(PrincipalMatch::Role) && !matches!(x, PrincipalPat::Arn(_))
        });
    let account = !has_account(p)
        || pats.iter().any(|x| {
            matches!(x, PrincipalPat::Any | PrincipalPat::Account(_)) && x.matches(p).is_some()
        });
    caller && role && account
}

impl CompiledStatement {
    /// The request keys the statement reads: its conditions' and its resource templates'.
    fn keys(&self) -> impl Iterator<Item = &str> {
        let resources: &[ResourcePat] = self.resources.as_ref().map_or(&[], |(r, _)| r);
        let templates = resources.iter().filter_map(|r| match r {
            ResourcePat::Dynamic(t) => Some(t),
            _ => None,
        });
        self.conditions
            .iter()
            .flat_map(Condition::keys)
            .chain(templates.flat_map(Template::keys))
    }

    /// Whether the statement applies; with how the principal matched.
    fn applies(&self, ctx: &RequestContext) -> Option<PrincipalMatch> {
        let m = self.in_scope(ctx, true)?;
        self.conditions.iter().all(|c| c.evaluate(ctx)).then_some(m)
    }

    /// Whether action, resource and principal match, conditions aside. Loosely (not `strict`), a
    /// resource pattern whose variable has no value may match, and so may any for resource `*`.
    fn in_scope(&self, ctx: &RequestContext, strict: bool) -> Option<PrincipalMatch> {
        let action_hit = self.actions.iter().any(|a| match a {
            ActionPat::Any => true,
            ActionPat::Service(s, name) => {
                **s == *ctx.service()
                    && ctx
                        .action()
                        .get(s.len() + 1..)
                        .is_some_and(|n| name.matches(n))
            }
        });
        if action_hit == self.not_action {
            return None;
        }
        // Loosely, a request for every resource (`*`, the simulator's default) is in the scope of
        // any `Resource`.
        let any_resource = !strict && ctx.resource() == "*";
        if let Some((pats, not)) = self.resources.as_ref().filter(|_| !any_resource) {
            let mut hit = false;
            for r in pats.iter() {
                match r.matches(ctx.resource(), ctx) {
                    Some(true) => {
                        hit = true;
                        break;
                    }
                    Some(false) => {}
                    // A variable without a value: the statement does not match.
                    None if strict => return None,
                    None => {
                        hit = true;
                        break;
                    }
                }
            }
            if hit == *not {
                return None;
            }
        }
        let m = match &self.principal {
            None => PrincipalMatch::Direct,
            Some((pats, false)) => pats
                .iter()
                .filter_map(|x| x.matches(ctx.principal()))
                .max()?,
            Some((pats, true)) => {
                if excluded_by(pats, ctx.principal()) {
                    return None;
                }
                PrincipalMatch::Direct
            }
        };
        Some(m)
    }
}

impl ResourcePat {
    fn matches(&self, resource: &str, ctx: &RequestContext) -> Option<bool> {
        Some(match self {
            Self::Any => true,
            Self::Arn(a) => a.matches(resource),
            Self::Plain(g) => g.matches(resource),
            Self::Dynamic(t) => {
                let toks = t.resolve_toks(ctx)?;
                let is_arn =
                    matches!(toks.first(), Some(crate::glob::Tok::Lit(l)) if l.starts_with("arn:"));
                if is_arn {
                    arn_from_toks(toks).is_some_and(|a| a.matches(resource))
                } else {
                    Glob::from_toks(toks).matches(resource)
                }
            }
        })
    }
}
