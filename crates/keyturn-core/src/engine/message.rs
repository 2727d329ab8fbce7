//! The encoded authorization message of a denial, in the shape AWS's
//! `DecodeAuthorizationMessage` returns.

use keyturn_policy::Outcome;
use serde_json::{Value, json};

use super::auth::Caller;
use crate::evaluator::Verdict;

fn items<I: IntoIterator<Item = Value>>(values: I) -> Value {
    json!({ "items": values.into_iter().collect::<Vec<_>>() })
}

/// The decoded form of an authorization message, in the shape AWS's
/// `DecodeAuthorizationMessage` returns.
pub(crate) fn authorization_message(
    caller: &Caller,
    action: &str,
    resource: &str,
    extra: &[(&str, &[&str])],
    verdict: &Verdict,
) -> String {
    let matched = verdict.matched.iter().map(|m| {
        json!({
            "statementId": m.sid.clone().unwrap_or_default(),
            "effect": if m.allow { "ALLOW" } else { "DENY" },
            "policyId": m.policy_id,
            "policyType": m.source.as_str(),
        })
    });
    let mut conditions: Vec<Value> = caller
        .condition_keys()
        .into_iter()
        .map(|(k, v)| json!({"key": k, "values": items([json!({"value": v})])}))
        .collect();
    conditions.extend(extra.iter().map(|(k, vs)| {
        json!({"key": k.to_ascii_lowercase(), "values": items(vs.iter().map(|v| json!({"value": v})))})
    }));
    let doc = json!({
        "allowed": verdict.outcome == Outcome::Allow,
        "explicitDeny": verdict.outcome == Outcome::ExplicitDeny,
        "matchedStatements": items(matched),
        "failures": items(Vec::new()),
        "context": {
            "principal": {"id": caller.user_id, "arn": caller.arn},
            "action": action,
            "resource": resource,
            "conditions": {"items": conditions},
        },
    });
    doc.to_string()
}
