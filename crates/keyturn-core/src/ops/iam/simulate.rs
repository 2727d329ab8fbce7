//! IAM's SimulatePrincipalPolicy and SimulateCustomPolicy.
//!
//! The result shape follows the IAM model (botocore 1.44.18) and its documentation:
//! - one `EvaluationResult` per action and resource. Without `ResourceArns` the simulated
//!   resource is `*`. With `ResourceArns`, each result is named by its resource
//!   (`EvalResourceName`, as the AWS CLI's documented `simulate-custom-policy --resource-arns`
//!   output shows) and carries that resource's `ResourceSpecificResult`;
//! - `EvalDecisionDetails`, `OrganizationsDecisionDetail`, `PermissionsBoundaryDecisionDetail` as
//!   documented per member (see [`results`]);
//! - `MatchedStatements` with IAM's `SourcePolicyType` texts, `SourcePolicyId`s
//!   (`PolicyInputList.N`, `PermissionsBoundaryPolicyInputList.1`, `ResourcePolicy`, a managed
//!   policy's name, `user_<user>_<policy>` / `group_<group>_<policy>` / `role_<role>_<policy>`
//!   for inline policies, as the API reference's same-account example (`user_admin_AdminUser`)
//!   and recorded responses show) and the positions IAM reports in the text as submitted (see
//!   `keyturn_policy::statement_spans`).
//!
//! The element order on the wire is the generator's (the model's). The API reference's sample
//! responses show another order (`EvalDecisionDetails`, `PermissionsBoundaryDecisionDetail`,
//! `MatchedStatements`, `MissingContextValues`, `EvalResourceName`, `EvalDecision`,
//! `EvalActionName`, `ResourceSpecificResults`; `Column` before `Line`), which XML readers ignore.

mod results;
#[cfg(test)]
mod tests;

use std::sync::{Arc, OnceLock};

use keyturn_api::iam::{
    ContextEntry, EvaluationResult, OrganizationsDecisionDetail, PermissionsBoundaryDecisionDetail,
    ResourceSpecificResult, SimulateCustomPolicyRequest, SimulatePolicyResponse,
    SimulatePrincipalPolicyRequest, Statement,
};
use keyturn_policy::{Outcome, PolicyType, RequestContext, StatementSpan, statement_spans};

use crate::arn::{Arn, ResourceKind};
use crate::engine::{Caller, Engine, Snapshot};
use crate::evaluator::{MatchLayer, MatchedStatement, PolicyInputs, PolicyRef, PolicySource};
use crate::ops::prelude::*;

use results::{
    LayerDecisions, by_policy_type, deciding, decision_details, decision_text,
    missing_context_values, organizations_decision, position, resource_details, source_policy_type,
    with_organizations,
};

/// A policy in a simulation, under the id IAM's simulator reports for it.
struct SimPolicy {
    policy: Arc<PolicyRef>,
    /// `SourcePolicyId`.
    id: String,
    /// The statements' positions, computed on first use.
    spans: OnceLock<Vec<StatementSpan>>,
}

impl SimPolicy {
    fn new(policy: Arc<PolicyRef>, id: String) -> Self {
        Self {
            policy,
            id,
            spans: OnceLock::new(),
        }
    }

    fn span(&self, statement: usize) -> Option<&StatementSpan> {
        self.spans
            .get_or_init(|| statement_spans(&self.policy.text))
            .get(statement)
    }
}

/// What a simulation evaluates besides the request list.
struct Simulation<'a> {
    principal_arn: String,
    identity: Vec<SimPolicy>,
    boundary: Option<SimPolicy>,
    resource_policy: Option<SimPolicy>,
    /// The account owning resources whose ARN names none (`ResourceOwner`).
    resource_owner: Option<String>,
    /// SCPs by level, root first (`OrderedOrganizationPolicyInputList`); empty: none given.
    scp_levels: Vec<Vec<Arc<PolicyRef>>>,
    actions: &'a [String],
    /// `ResourceArns`; `None` when not given (the resource is then `*`).
    resources: Option<&'a [String]>,
    context: &'a [ContextEntry],
}

/// One action on one resource, evaluated.
struct ResourceEval {
    resource: String,
    decision: Outcome,
    /// The statements that contributed to the decision (a top-level result's).
    deciding: Vec<Statement>,
    /// The statements of each policy type (a resource-specific result's).
    matched: Vec<Statement>,
    missing: Vec<String>,
    details: Option<Vec<(String, String)>>,
    allowed_by_boundary: Option<bool>,
    allowed_by_organizations: Option<bool>,
}

fn parse_list(texts: &[String], prefix: &str, ty: PolicyType) -> Result<Vec<SimPolicy>, Error> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let id = format!("{prefix}.{}", i + 1);
            let p = PolicyRef::parse(&id, PolicySource::None, t, ty)?;
            Ok(SimPolicy::new(Arc::new(p), id))
        })
        .collect()
}

fn put_context(ctx: &mut RequestContext, entries: &[ContextEntry]) {
    for e in entries {
        let Some(key) = &e.context_key_name else {
            continue;
        };
        let values = e.context_key_values.as_deref().unwrap_or_default();
        let list = e
            .context_key_type
            .as_deref()
            .is_some_and(|t| t.ends_with("List"));
        match values {
            [one] if !list => {
                ctx.insert(key, one.clone());
            }
            _ => {
                ctx.insert_many(key, values.iter().cloned());
            }
        }
    }
}

/// The account in `ResourceOwner`: an account id, or an ARN such as `arn:aws:iam::<id>:root`.
fn owner_account(owner: &str) -> String {
    if owner.contains(':') {
        owner.split(':').nth(4).unwrap_or_default().to_owned()
    } else {
        owner.to_owned()
    }
}

/// Decides `ctx` with `policies` alone, as identity policies, in the caller's account: the
/// decision of one policy type (or one SCP level).
fn layer_decision(
    engine: &Engine,
    policies: &[Arc<PolicyRef>],
    ctx: &RequestContext,
) -> Result<Outcome, Error> {
    let account = ctx.principal().account.clone();
    let inputs = PolicyInputs {
        identity: policies,
        resource_account: Some(&account),
        ..PolicyInputs::default()
    };
    Ok(engine.evaluator.evaluate(&inputs, ctx, false)?.outcome)
}

impl Simulation<'_> {
    fn policy(&self, m: &MatchedStatement) -> Option<&SimPolicy> {
        match m.layer {
            MatchLayer::Identity => self.identity.get(m.policy_index),
            MatchLayer::Boundary => self.boundary.as_ref(),
            MatchLayer::Resource => self.resource_policy.as_ref(),
            MatchLayer::Session | MatchLayer::Scp | MatchLayer::Rcp => None,
        }
    }

    fn statement(&self, m: &MatchedStatement) -> Statement {
        let policy = self.policy(m);
        let span = policy.and_then(|p| p.span(m.index));
        Statement {
            source_policy_id: Some(policy.map_or_else(|| m.policy_id.clone(), |p| p.id.clone())),
            source_policy_type: Some(source_policy_type(m.layer).to_owned()),
            start_position: span.map(|s| position(s.simulator_start)),
            end_position: span.map(|s| position(s.simulator_end)),
        }
    }

    fn evaluate(
        &self,
        engine: &Engine,
        identity: &[Arc<PolicyRef>],
        principal: &keyturn_policy::Principal,
        action: &str,
        resource: &str,
    ) -> Result<ResourceEval, Error> {
        let mut ctx = RequestContext::new(principal.clone(), action, resource);
        put_context(&mut ctx, self.context);
        // The ARN's account first: `ResourceOwner` is for resources whose ARN names none.
        let resource_account = ctx
            .resource_arn_account()
            .map(str::to_owned)
            .or_else(|| self.resource_owner.as_deref().map(owner_account))
            .unwrap_or_else(|| principal.account.clone());
        let resource_policy = self.resource_policy.as_ref().map(|p| &*p.policy);
        let inputs = PolicyInputs {
            identity,
            resource: resource_policy.map(|p| (p, resource_account.as_str())),
            // Without a resource policy the simulator evaluates identity policies alone (no
            // cross-account requirement), as IAM's does.
            resource_account: resource_policy
                .is_none()
                .then_some(principal.account.as_str()),
            boundary: self.boundary.as_ref().map(|b| &*b.policy),
            session: &[],
            // The SCP levels are decided below, level by level, for the details.
            scps: &[],
            rcps: &[],
        };
        let verdict = engine.evaluator.evaluate(&inputs, &ctx, true)?;

        let boundary = match &self.boundary {
            Some(b) => Some(layer_decision(engine, &[Arc::clone(&b.policy)], &ctx)?),
            None => None,
        };
        let resource_layer = match &self.resource_policy {
            Some(r) => Some(layer_decision(engine, &[Arc::clone(&r.policy)], &ctx)?),
            None => None,
        };
        let organizations = if self.scp_levels.is_empty() {
            None
        } else {
            let mut levels = Vec::with_capacity(self.scp_levels.len());
            for level in &self.scp_levels {
                levels.push(layer_decision(engine, level, &ctx)?);
            }
            Some(organizations_decision(levels))
        };
        let denied_by_organizations = organizations.is_some_and(|o| o != Outcome::Allow);
        let decision = with_organizations(verdict.outcome, organizations);
        let details = decision_details(&LayerDecisions {
            identity: layer_decision(engine, identity, &ctx)?,
            boundary,
            resource: resource_layer,
            cross_account: resource_policy.is_some() && resource_account != principal.account,
            all_resources: resource == "*",
            denied_by_organizations,
        });
        // When an SCP denies, evaluation stops there; SCP statements are never listed.
        let listed = |list: Vec<&MatchedStatement>| -> Vec<Statement> {
            if denied_by_organizations {
                return Vec::new();
            }
            list.into_iter().map(|m| self.statement(m)).collect()
        };
        let deciding = listed(deciding(&verdict.matched, decision));
        let matched = listed(by_policy_type(&verdict.matched));
        // SCPs' keys are not reported (EvaluationResult.MissingContextValues documentation).
        let read = self
            .identity
            .iter()
            .chain(&self.boundary)
            .chain(&self.resource_policy)
            .flat_map(|p| p.policy.compiled.context_keys_for(&ctx));
        let missing = missing_context_values(read, self.context);
        Ok(ResourceEval {
            resource: resource.to_owned(),
            decision,
            deciding,
            matched,
            missing,
            details,
            allowed_by_boundary: boundary.map(|b| b == Outcome::Allow),
            allowed_by_organizations: organizations.map(|o| o == Outcome::Allow),
        })
    }
}

fn boundary_detail(allowed: Option<bool>) -> Option<PermissionsBoundaryDecisionDetail> {
    allowed.map(|b| PermissionsBoundaryDecisionDetail {
        allowed_by_permissions_boundary: Some(b),
    })
}

fn organizations_detail(allowed: Option<bool>) -> Option<OrganizationsDecisionDetail> {
    allowed.map(|b| OrganizationsDecisionDetail {
        allowed_by_organizations: Some(b),
    })
}

/// The result for an action simulated on one resource (`*` without `ResourceArns`).
fn single_result(action: &str, e: ResourceEval) -> EvaluationResult {
    EvaluationResult {
        eval_action_name: action.to_owned(),
        eval_resource_name: Some(e.resource),
        eval_decision: decision_text(e.decision).to_owned(),
        matched_statements: Some(e.deciding),
        missing_context_values: Some(e.missing),
        organizations_decision_detail: organizations_detail(e.allowed_by_organizations),
        permissions_boundary_decision_detail: boundary_detail(e.allowed_by_boundary),
        eval_decision_details: e.details,
        resource_specific_results: None,
    }
}

/// The result for an action simulated on one listed resource: as AWS returns it, one
/// `EvaluationResult` per action and resource, named by the resource, whose
/// `ResourceSpecificResults` holds that resource's entry.
fn resource_result(action: &str, e: ResourceEval) -> EvaluationResult {
    let entry = ResourceSpecificResult {
        eval_resource_name: e.resource.clone(),
        eval_resource_decision: decision_text(e.decision).to_owned(),
        matched_statements: Some(e.matched.clone()),
        missing_context_values: Some(e.missing.clone()),
        eval_decision_details: resource_details(e.details.as_ref()),
        permissions_boundary_decision_detail: boundary_detail(e.allowed_by_boundary),
    };
    EvaluationResult {
        resource_specific_results: Some(vec![entry]),
        ..single_result(action, e)
    }
}

fn run(engine: &Engine, sim: &Simulation<'_>) -> Result<SimulatePolicyResponse, Error> {
    let principal = keyturn_policy::Principal::from_arn(&sim.principal_arn).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidParameterValue,
            format!("Invalid ARN: {}", sim.principal_arn),
        )
    })?;
    let identity: Vec<Arc<PolicyRef>> =
        sim.identity.iter().map(|p| Arc::clone(&p.policy)).collect();
    let star = ["*".to_owned()];
    let listed = sim.resources.filter(|r| !r.is_empty());
    let mut results = Vec::with_capacity(sim.actions.len());
    for action in sim.actions {
        for resource in listed.unwrap_or(&star) {
            let e = sim.evaluate(engine, &identity, &principal, action, resource)?;
            results.push(match listed {
                None => single_result(action, e),
                Some(_) => resource_result(action, e),
            });
        }
    }
    Ok(SimulatePolicyResponse {
        evaluation_results: Some(results),
        is_truncated: Some(false),
        marker: None,
    })
}

fn resource_policy(text: Option<&str>) -> Result<Option<SimPolicy>, Error> {
    text.map(|t| {
        let p = PolicyRef::parse(
            "ResourcePolicy",
            PolicySource::Resource,
            t,
            PolicyType::Resource,
        )?;
        Ok(SimPolicy::new(Arc::new(p), "ResourcePolicy".to_owned()))
    })
    .transpose()
}

operation! {
    /// `iam:SimulatePrincipalPolicy`: the decisions for a user's, group's or role's policies
    /// (plus the given ones), authorized on the simulated entity's ARN.
    SimulatePrincipalPolicy(SimulatePrincipalPolicyRequest) -> SimulatePolicyResponse;

    fn resource(_, input) { Ok(input.policy_source_arn.clone()) }

    fn run(cx, input) {
        simulate_principal(cx.engine, cx.caller()?, &input)
    }
}

operation! {
    /// `iam:SimulateCustomPolicy`: the decisions for the given policies alone.
    SimulateCustomPolicy(SimulateCustomPolicyRequest) -> SimulatePolicyResponse;

    fn run(cx, input) {
        simulate_custom(cx.engine, cx.caller()?, &input)
    }
}

/// The name of a managed policy from its ARN (`arn:aws:iam::aws:policy/job-function/ViewOnlyAccess`
/// → `ViewOnlyAccess`).
fn managed_policy_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// The entity whose policies a principal simulation reads.
enum Entity<'a> {
    User(&'a str),
    Group(&'a str),
    Role(&'a str),
}

/// `SourcePolicyId` of an attached policy: the name of a managed policy, and for an inline policy
/// `<kind>_<entity>_<policy>` (recorded responses show e.g. `role_<role name>_<policy name>`).
fn attached_policy_id(
    snapshot: &Snapshot,
    account: &str,
    entity: &Entity<'_>,
    p: &Arc<PolicyRef>,
) -> String {
    match (p.source, entity) {
        (PolicySource::UserManaged | PolicySource::AwsManaged, _) => {
            managed_policy_name(&p.id).to_owned()
        }
        (PolicySource::User, Entity::User(user)) => format!("user_{user}_{}", p.id),
        (PolicySource::Role, Entity::Role(role)) => format!("role_{role}_{}", p.id),
        (PolicySource::Group, Entity::Group(group)) => format!("group_{group}_{}", p.id),
        (PolicySource::Group, Entity::User(user)) => group_of(snapshot, account, user, p)
            .map_or_else(|| p.id.clone(), |group| format!("group_{group}_{}", p.id)),
        _ => p.id.clone(),
    }
}

/// The group of `user` whose inline policy `p` is.
fn group_of<'s>(
    snapshot: &'s Snapshot,
    account: &str,
    user: &str,
    p: &Arc<PolicyRef>,
) -> Option<&'s str> {
    let acct_id = account.parse().ok()?;
    let acct = snapshot.data.accounts.iter().find(|a| a.id == account)?;
    let u = acct.users.iter().find(|u| u.name == user)?;
    u.groups
        .iter()
        .find(|g| {
            snapshot
                .groups
                .get(acct_id, g)
                .is_some_and(|entry| entry.policies.identity.iter().any(|x| Arc::ptr_eq(x, p)))
        })
        .map(String::as_str)
}

/// The boundary a simulation request gives (`PermissionsBoundaryPolicyInputList`: the first
/// document, as IAM takes at most one), checked as a boundary policy.
fn given_boundary(list: Option<&[String]>) -> Result<Option<SimPolicy>, Error> {
    let list = list.unwrap_or_default();
    let parsed = parse_list(
        list,
        "PermissionsBoundaryPolicyInputList",
        PolicyType::Boundary,
    )?;
    Ok(parsed.into_iter().next())
}

/// The entity `entry` looked up, or `NoSuchEntity` for the `kind` named `name`.
fn found<T>(entry: Option<T>, kind: &str, name: &str) -> Result<T, Error> {
    entry.ok_or_else(|| {
        Error::new(
            ErrorCode::NoSuchEntity,
            format!("The {kind} with name {name} cannot be found."),
        )
    })
}

fn simulate_principal(
    engine: &Engine,
    caller: &Caller,
    req: &SimulatePrincipalPolicyRequest,
) -> Result<SimulatePolicyResponse, Error> {
    let snapshot = &*caller.snapshot;
    let arn = Arn::parse(&req.policy_source_arn)?;
    let (policies, entity, principal_arn) = match (arn.kind(), arn.account_id()) {
        (ResourceKind::User { name, .. }, Some(a)) => {
            let u = found(snapshot.user(a, name), "user", name)?;
            (u.policies.clone(), Entity::User(name), u.arn())
        }
        (ResourceKind::Role { name, .. }, Some(a)) => {
            let r = found(snapshot.roles.get(a, name), "role", name)?;
            (r.policies.clone(), Entity::Role(name), r.arn())
        }
        (ResourceKind::Group { name, .. }, Some(a)) => {
            let g = found(snapshot.groups.get(a, name), "group", name)?;
            let member = format!(
                "arn:aws:iam::{}:user/simulated-member-of-{name}",
                arn.account()
            );
            (g.policies.clone(), Entity::Group(name), member)
        }
        _ => {
            return Err(Error::new(
                ErrorCode::InvalidParameterValue,
                format!("Invalid ARN: {}", req.policy_source_arn),
            ));
        }
    };
    let mut identity: Vec<SimPolicy> = policies
        .identity
        .iter()
        .map(|p| {
            let id = attached_policy_id(snapshot, arn.account(), &entity, p);
            SimPolicy::new(Arc::clone(p), id)
        })
        .collect();
    identity.extend(parse_list(
        req.policy_input_list.as_deref().unwrap_or_default(),
        "PolicyInputList",
        PolicyType::Identity,
    )?);
    let given_boundary = given_boundary(req.permissions_boundary_policy_input_list.as_deref())?;
    // A boundary given replaces the attached one.
    let boundary = given_boundary.or_else(|| {
        policies
            .boundary
            .as_ref()
            .map(|b| SimPolicy::new(Arc::clone(b), managed_policy_name(&b.id).to_owned()))
    });
    let sim = Simulation {
        principal_arn: req.caller_arn.clone().unwrap_or(principal_arn),
        identity,
        boundary,
        resource_policy: resource_policy(req.resource_policy.as_deref())?,
        resource_owner: req.resource_owner.clone(),
        // The SCPs of the entity's account's path in the organization; none (and no
        // OrganizationsDecisionDetail: "only applies if the simulated user's account is part of
        // an organization") outside one and for the management account.
        scp_levels: snapshot
            .org
            .as_ref()
            .and_then(|o| o.account(arn.account()))
            .map(|a| a.scps.iter().map(|l| l.to_vec()).collect())
            .unwrap_or_default(),
        actions: &req.action_names,
        resources: req.resource_arns.as_deref(),
        context: req.context_entries.as_deref().unwrap_or_default(),
    };
    run(engine, &sim)
}

fn simulate_custom(
    engine: &Engine,
    caller: &Caller,
    req: &SimulateCustomPolicyRequest,
) -> Result<SimulatePolicyResponse, Error> {
    let identity = parse_list(
        &req.policy_input_list,
        "PolicyInputList",
        PolicyType::Identity,
    )?;
    let boundary = given_boundary(req.permissions_boundary_policy_input_list.as_deref())?;
    let mut scp_levels = Vec::new();
    for (i, level) in req
        .ordered_organization_policy_input_list
        .as_deref()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let prefix = format!(
            "OrderedOrganizationPolicyInputList.{}.ServiceControlPolicyInputList",
            i + 1
        );
        let texts = level
            .service_control_policy_input_list
            .as_deref()
            .unwrap_or_default();
        scp_levels.push(
            parse_list(texts, &prefix, PolicyType::Scp)?
                .into_iter()
                .map(|p| p.policy)
                .collect(),
        );
    }
    let sim = Simulation {
        principal_arn: req.caller_arn.clone().unwrap_or_else(|| caller.arn.clone()),
        identity,
        boundary,
        resource_policy: resource_policy(req.resource_policy.as_deref())?,
        resource_owner: req.resource_owner.clone(),
        scp_levels,
        actions: &req.action_names,
        resources: req.resource_arns.as_deref(),
        context: req.context_entries.as_deref().unwrap_or_default(),
    };
    run(engine, &sim)
}
