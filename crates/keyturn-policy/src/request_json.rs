//! The JSON-in/JSON-out layer of `keyturn policy eval` and `keyturn policy check`, shared by the
//! CLI, the conformance corpus and bindings.

use serde::Deserialize;
use serde_json::Value;

use crate::compiled::CompiledPolicy;
use crate::context::{Principal, RequestContext};
use crate::document::{ParseOptions, PolicyDocument, PolicyType};
use crate::error::PolicyError;
use crate::evaluate::PolicySet;

/// An evaluation request, as `keyturn policy eval --request FILE` reads it. Every policy may be a
/// JSON object or a string holding the document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalRequest {
    /// The caller: an ARN (user, role, assumed-role session, federated user, account root); or a
    /// service name / provider when `principal_type` says so.
    pub principal: String,
    /// `arn` (default), `service` or `federated`.
    #[serde(default)]
    pub principal_type: Option<String>,
    /// Overrides `aws:PrincipalArn` (a role ARN with its path).
    #[serde(default)]
    pub principal_arn: Option<String>,
    /// The account of a federated principal (the role's account).
    #[serde(default)]
    pub principal_account: Option<String>,
    /// The action (`s3:GetObject`).
    pub action: String,
    /// The resource ARN.
    pub resource: String,
    /// Condition keys: strings, numbers, booleans or arrays of them.
    #[serde(default)]
    pub context: serde_json::Map<String, Value>,
    /// Identity-based policies.
    #[serde(default)]
    pub identity_policies: Vec<Value>,
    /// The resource-based policy.
    #[serde(default)]
    pub resource_policy: Option<Value>,
    /// `resource` (default) or `trust`: how to validate `resource_policy`.
    #[serde(default)]
    pub resource_policy_type: Option<String>,
    /// The account owning the resource.
    #[serde(default)]
    pub resource_account: Option<String>,
    /// The permissions boundary.
    #[serde(default)]
    pub permissions_boundary: Option<Value>,
    /// Session policies.
    #[serde(default)]
    pub session_policies: Vec<Value>,
    /// SCP levels, each a list of policies.
    #[serde(default)]
    pub scps: Vec<Vec<Value>>,
    /// RCP levels, each a list of policies.
    #[serde(default)]
    pub rcps: Vec<Vec<Value>>,
}

/// Compiles the levels of organization policies (SCPs or RCPs) of type `ty`, top level first;
/// each policy is named `{name}[level][index]` in errors.
fn compile_levels(
    levels: &[Vec<Value>],
    ty: PolicyType,
    name: &str,
) -> Result<Vec<Vec<CompiledPolicy>>, PolicyError> {
    levels
        .iter()
        .enumerate()
        .map(|(l, level)| {
            level
                .iter()
                .enumerate()
                .map(|(i, p)| compile(p, ty, format!("{name}[{l}][{i}]")))
                .collect()
        })
        .collect()
}

/// Compiles one policy given as a JSON object or a JSON string holding the document.
fn compile(v: &Value, ty: PolicyType, id: String) -> Result<CompiledPolicy, PolicyError> {
    let doc = match v {
        Value::String(text) => {
            PolicyDocument::parse_with(text, ParseOptions::new(ty).with_max_size(None))?
        }
        other => PolicyDocument::from_value(other, ty)?,
    };
    let p = CompiledPolicy::compile(&doc);
    Ok(if p.id().is_some() { p } else { p.with_id(&id) })
}

fn context_values(v: &Value) -> Option<Vec<String>> {
    let one = |x: &Value| match x {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match v {
        Value::Array(a) => a.iter().map(one).collect(),
        other => one(other).map(|s| vec![s]),
    }
}

impl EvalRequest {
    /// Builds the request context.
    pub fn context(&self) -> Result<RequestContext, PolicyError> {
        let principal = match self.principal_type.as_deref().unwrap_or("arn") {
            "arn" => Principal::from_arn(&self.principal).ok_or_else(|| {
                PolicyError::InvalidRequest(format!("`{}` is not a principal ARN", self.principal))
            })?,
            "service" => Principal::service(&self.principal),
            "federated" => Principal::federated(
                &self.principal,
                self.principal_account.as_deref().unwrap_or(""),
            ),
            other => {
                return Err(PolicyError::InvalidRequest(format!(
                    "unknown principal_type `{other}`"
                )));
            }
        };
        let principal = match &self.principal_arn {
            Some(a) => principal.with_principal_arn(a),
            None => principal,
        };
        let mut ctx = RequestContext::new(principal, &self.action, &self.resource);
        for (k, v) in &self.context {
            let vals = context_values(v).ok_or_else(|| {
                PolicyError::InvalidRequest(format!("context key `{k}`: values must be scalars"))
            })?;
            if v.is_array() {
                ctx.insert_many(k, vals);
            } else if let Some(first) = vals.into_iter().next() {
                ctx.insert(k, first);
            }
        }
        Ok(ctx)
    }

    /// Compiles every policy into a [`PolicySet`].
    pub fn policy_set(&self) -> Result<PolicySet, PolicyError> {
        let mut set = PolicySet::new();
        for (i, p) in self.identity_policies.iter().enumerate() {
            set = set.with_identity(compile(
                p,
                PolicyType::Identity,
                format!("identity_policies[{i}]"),
            )?);
        }
        if let Some(p) = &self.resource_policy {
            let ty = match self.resource_policy_type.as_deref().unwrap_or("resource") {
                "resource" => PolicyType::Resource,
                "trust" => PolicyType::Trust,
                other => {
                    return Err(PolicyError::InvalidRequest(format!(
                        "unknown resource_policy_type `{other}`"
                    )));
                }
            };
            set = set.with_resource_policy(
                compile(p, ty, "resource_policy".to_owned())?,
                self.resource_account.as_deref(),
            );
        } else if let Some(a) = &self.resource_account {
            set = set.with_resource_account(a);
        }
        if let Some(p) = &self.permissions_boundary {
            set = set.with_boundary(compile(
                p,
                PolicyType::Boundary,
                "permissions_boundary".to_owned(),
            )?);
        }
        for (i, p) in self.session_policies.iter().enumerate() {
            set = set.with_session_policy(compile(
                p,
                PolicyType::Session,
                format!("session_policies[{i}]"),
            )?);
        }
        for ps in compile_levels(&self.scps, PolicyType::Scp, "scps")? {
            set = set.with_scp_level(ps);
        }
        for ps in compile_levels(&self.rcps, PolicyType::Rcp, "rcps")? {
            set = set.with_rcp_level(ps);
        }
        Ok(set)
    }
}

/// Evaluates a JSON request (see [`EvalRequest`]) and returns
/// `{"decision": "Allow"|"ExplicitDeny"|"ImplicitDeny", "matched": [...], "reasons": [...]}`.
pub fn eval_request_json(request: &str) -> Result<Value, PolicyError> {
    let req: EvalRequest = serde_json::from_str(request)
        .map_err(|e| PolicyError::InvalidRequest(format!("request JSON: {e}")))?;
    let ctx = req.context()?;
    let set = req.policy_set()?;
    let decision = set.evaluate(&ctx);
    serde_json::to_value(decision.explain(&set))
        .map_err(|e| PolicyError::InvalidRequest(e.to_string()))
}

/// Validates a policy document of `policy_type` with that type's default size limit.
pub fn check_policy(text: &str, policy_type: PolicyType) -> Result<PolicyDocument, PolicyError> {
    PolicyDocument::parse(text, policy_type)
}
