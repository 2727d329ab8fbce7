//! `iam:GetDelegationRequest`, with its optional permission check.

use keyturn_api::iam::{GetDelegationRequestRequest, GetDelegationRequestResponse};
use serde_json::Value;

use super::delegation::{self, Access};
use crate::engine::{Caller, Engine};
use crate::ops::prelude::*;

operation! {
    /// `iam:GetDelegationRequest` on `*` (the owner needs no policy): the request, as the caller
    /// may see it. With `DelegationPermissionCheck`, whether the caller's own permissions cover
    /// the delegated policy: each allowed action on each resource is evaluated for the caller
    /// (`ALLOWED` when all are, `DENIED` when one is not); a statement with a wildcard, a
    /// condition, `NotAction` or `NotResource` cannot be decided that way (`UNSURE`). The check
    /// runs at once: its status is `COMPLETED`.
    GetDelegationRequest(GetDelegationRequestRequest) -> GetDelegationRequestResponse;
    const ACTION: Option<&'static str> = None;

    fn run(cx, input) {
        let caller = cx.caller()?;
        let (requestor, request) = delegation::authorized(cx, &input.delegation_request_id, "iam:GetDelegationRequest", Access::OwnerDefault)?;
        let now = cx.engine.clock().now();
        let (status, result) = if input.delegation_permission_check == Some(true) {
            let result = permission_check(cx.engine, caller, &request.permission_policy)?;
            (Some("COMPLETED".to_owned()), Some(result.to_owned()))
        } else {
            (None, None)
        };
        Ok(GetDelegationRequestResponse {
            delegation_request: Some(delegation::shape(&requestor, &request, now)),
            permission_check_status: status,
            permission_check_result: result,
        })
    }
}

/// `ALLOWED`, `DENIED` or `UNSURE`: whether `caller`'s permissions cover `policy`.
fn permission_check(engine: &Engine, caller: &Caller, policy: &str) -> Result<&'static str, Error> {
    let Ok(doc) = serde_json::from_str::<Value>(policy) else {
        return Ok("UNSURE");
    };
    let statements = match doc.get("Statement") {
        Some(Value::Array(list)) => list.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    };
    let strings = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut unsure = false;
    for s in &statements {
        if s.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let actions = strings(s.get("Action"));
        let resources = strings(s.get("Resource"));
        let wild = |x: &String| x.contains('*') || x.contains('?') || x.contains("${");
        if s.get("Condition").is_some()
            || s.get("NotAction").is_some()
            || s.get("NotResource").is_some()
            || actions.iter().any(wild)
            || resources.iter().any(wild)
        {
            unsure = true;
            continue;
        }
        for action in &actions {
            for resource in &resources {
                if !engine
                    .authorize(caller, action, resource, &[])?
                    .is_allowed()
                {
                    return Ok("DENIED");
                }
            }
        }
    }
    Ok(if unsure { "UNSURE" } else { "ALLOWED" })
}
