//! IAM's SimulatePrincipalPolicy and SimulateCustomPolicy.

use std::sync::Arc;

use keyturn_api::iam::{
    ContextEntry, EvaluationResult, PermissionsBoundaryDecisionDetail, SimulateCustomPolicyRequest,
    SimulatePolicyResponse, SimulatePrincipalPolicyRequest, Statement,
};
use keyturn_policy::{Outcome, PolicyType, RequestContext};

use crate::arn::{Arn, ResourceKind};
use crate::engine::{Caller, Engine};
use crate::evaluator::{PolicyInputs, PolicyRef, PolicySource};
use crate::ops::{Context, Operation};
use crate::{Error, ErrorCode};

/// What a simulation evaluates besides the request list.
struct Simulation<'a> {
    principal_arn: String,
    identity: Vec<Arc<PolicyRef>>,
    boundary: Option<Arc<PolicyRef>>,
    resource_policy: Option<PolicyRef>,
    resource_owner: Option<String>,
    actions: &'a [String],
    resources: &'a [String],
    context: &'a [ContextEntry],
}

fn parse_list(
    texts: &[String],
    prefix: &str,
    ty: PolicyType,
) -> Result<Vec<Arc<PolicyRef>>, Error> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            PolicyRef::parse(&format!("{prefix}.{}", i + 1), PolicySource::None, t, ty)
                .map(Arc::new)
        })
        .collect()
}

/// The decision as IAM writes it.
fn decision(o: Outcome) -> String {
    match o {
        Outcome::Allow => "allowed",
        Outcome::ExplicitDeny => "explicitDeny",
        Outcome::ImplicitDeny => "implicitDeny",
    }
    .to_owned()
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

fn run(engine: &Engine, sim: &Simulation<'_>) -> Result<SimulatePolicyResponse, Error> {
    let principal = keyturn_policy::Principal::from_arn(&sim.principal_arn).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidParameterValue,
            format!("Invalid ARN: {}", sim.principal_arn),
        )
    })?;
    let star = ["*".to_owned()];
    let resources: &[String] = if sim.resources.is_empty() {
        &star
    } else {
        sim.resources
    };
    let owner = sim
        .resource_owner
        .as_deref()
        .and_then(|o| o.split(':').nth(4));
    let mut results = Vec::new();
    for action in sim.actions {
        for resource in resources {
            let mut ctx = RequestContext::new(principal.clone(), action, resource);
            put_context(&mut ctx, sim.context);
            let resource_account = owner
                .map(str::to_owned)
                .or_else(|| ctx.resource_arn_account().map(str::to_owned))
                .unwrap_or_else(|| principal.account.clone());
            let inputs = PolicyInputs {
                identity: &sim.identity,
                resource: sim
                    .resource_policy
                    .as_ref()
                    .map(|p| (p, resource_account.as_str())),
                // Without a resource policy the simulator evaluates identity policies alone
                // (no cross-account requirement), as IAM's does.
                resource_account: sim
                    .resource_policy
                    .is_none()
                    .then_some(principal.account.as_str()),
                boundary: sim.boundary.as_deref(),
                session: &[],
            };
            let verdict = engine.evaluator.evaluate(&inputs, &ctx, true)?;
            let wanted_allow = verdict.outcome == Outcome::Allow;
            let matched = if verdict.outcome == Outcome::ImplicitDeny {
                Vec::new()
            } else {
                verdict
                    .matched
                    .iter()
                    .filter(|m| m.allow == wanted_allow)
                    .map(|m| Statement {
                        source_policy_id: Some(m.policy_id.clone()),
                        source_policy_type: Some(m.source.as_str().to_owned()),
                        start_position: None,
                        end_position: None,
                    })
                    .collect()
            };
            let allowed_by_boundary = match &sim.boundary {
                Some(b) => {
                    let only = [Arc::clone(b)];
                    let bi = PolicyInputs {
                        identity: &only,
                        ..PolicyInputs::default()
                    };
                    Some(engine.evaluator.evaluate(&bi, &ctx, false)?.is_allowed())
                }
                None => None,
            };
            results.push(EvaluationResult {
                eval_action_name: action.clone(),
                eval_resource_name: Some(resource.clone()),
                eval_decision: decision(verdict.outcome),
                matched_statements: Some(matched),
                missing_context_values: Some(Vec::new()),
                permissions_boundary_decision_detail: allowed_by_boundary.map(|b| {
                    PermissionsBoundaryDecisionDetail {
                        allowed_by_permissions_boundary: Some(b),
                    }
                }),
                ..EvaluationResult::default()
            });
        }
    }
    Ok(SimulatePolicyResponse {
        evaluation_results: Some(results),
        is_truncated: Some(false),
        marker: None,
    })
}

fn resource_policy(text: Option<&str>) -> Result<Option<PolicyRef>, Error> {
    text.map(|t| {
        PolicyRef::parse(
            "ResourcePolicy",
            PolicySource::Resource,
            t,
            PolicyType::Resource,
        )
    })
    .transpose()
}

/// `iam:SimulatePrincipalPolicy`: the decisions for a user's, group's or role's policies
/// (plus the given ones), authorized on the simulated entity's ARN.
#[derive(Debug)]
pub struct SimulatePrincipalPolicy;

impl Operation for SimulatePrincipalPolicy {
    type Input = SimulatePrincipalPolicyRequest;
    type Output = SimulatePolicyResponse;
    const ACTION: Option<&'static str> = Some("iam:SimulatePrincipalPolicy");

    fn resource(_: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        Ok(input.policy_source_arn.clone())
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        simulate_principal(cx.engine, cx.caller()?, &input)
    }
}

/// `iam:SimulateCustomPolicy`: the decisions for the given policies alone.
#[derive(Debug)]
pub struct SimulateCustomPolicy;

impl Operation for SimulateCustomPolicy {
    type Input = SimulateCustomPolicyRequest;
    type Output = SimulatePolicyResponse;
    const ACTION: Option<&'static str> = Some("iam:SimulateCustomPolicy");

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        simulate_custom(cx.engine, cx.caller()?, &input)
    }
}

fn simulate_principal(
    engine: &Engine,
    caller: &Caller,
    req: &SimulatePrincipalPolicyRequest,
) -> Result<SimulatePolicyResponse, Error> {
    let snapshot = &*caller.snapshot;
    let arn = Arn::parse(&req.policy_source_arn)?;
    let account = arn.account_id();
    let (mut identity, mut boundary, principal_arn): (Vec<Arc<PolicyRef>>, _, String) =
        match (arn.kind(), account) {
            (ResourceKind::User { name, .. }, Some(a)) => {
                let u = snapshot.user(a, name).ok_or_else(|| {
                    Error::new(
                        ErrorCode::NoSuchEntity,
                        format!("The user with name {name} cannot be found."),
                    )
                })?;
                (
                    u.policies.identity.to_vec(),
                    u.policies.boundary.clone(),
                    u.arn(),
                )
            }
            (ResourceKind::Role { name, .. }, Some(a)) => {
                let r = snapshot.roles.get(a, name).ok_or_else(|| {
                    Error::new(
                        ErrorCode::NoSuchEntity,
                        format!("The role with name {name} cannot be found."),
                    )
                })?;
                (
                    r.policies.identity.to_vec(),
                    r.policies.boundary.clone(),
                    r.arn(),
                )
            }
            (ResourceKind::Group { name, .. }, Some(a)) => {
                let g = snapshot.groups.get(a, name).ok_or_else(|| {
                    Error::new(
                        ErrorCode::NoSuchEntity,
                        format!("The group with name {name} cannot be found."),
                    )
                })?;
                (
                    g.policies.identity.to_vec(),
                    None,
                    format!(
                        "arn:aws:iam::{}:user/simulated-member-of-{name}",
                        arn.account()
                    ),
                )
            }
            _ => {
                return Err(Error::new(
                    ErrorCode::InvalidParameterValue,
                    format!("Invalid ARN: {}", req.policy_source_arn),
                ));
            }
        };
    identity.extend(parse_list(
        req.policy_input_list.as_deref().unwrap_or_default(),
        "PolicyInputList",
        PolicyType::Identity,
    )?);
    if let Some(b) = parse_list(
        req.permissions_boundary_policy_input_list
            .as_deref()
            .unwrap_or_default(),
        "PermissionsBoundaryPolicyInputList",
        PolicyType::Boundary,
    )?
    .into_iter()
    .next()
    {
        boundary = Some(b);
    }
    let sim = Simulation {
        principal_arn: req.caller_arn.clone().unwrap_or(principal_arn),
        identity,
        boundary,
        resource_policy: resource_policy(req.resource_policy.as_deref())?,
        resource_owner: req.resource_owner.clone(),
        actions: &req.action_names,
        resources: req.resource_arns.as_deref().unwrap_or_default(),
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
    let boundary = parse_list(
        req.permissions_boundary_policy_input_list
            .as_deref()
            .unwrap_or_default(),
        "PermissionsBoundaryPolicyInputList",
        PolicyType::Boundary,
    )?
    .into_iter()
    .next();
    let sim = Simulation {
        principal_arn: req.caller_arn.clone().unwrap_or_else(|| caller.arn.clone()),
        identity,
        boundary,
        resource_policy: resource_policy(req.resource_policy.as_deref())?,
        resource_owner: req.resource_owner.clone(),
        actions: &req.action_names,
        resources: req.resource_arns.as_deref().unwrap_or_default(),
        context: req.context_entries.as_deref().unwrap_or_default(),
    };
    run(engine, &sim)
}
