//! What the delegation-request operations share: finding a request and deciding who sees it,
//! the state checks, the answer's shape, the policy template and its parameters, and the
//! committed change of one request.
//!
//! A request is kept in the account of the partner that created it
//! ([`crate::iam::Account::delegation_requests`]). The partner's account sees its requests; an
//! identity of another account sees one when the request names no owner account, or names its
//! account. The owner (the identity that associated the request) has a default permission to get
//! and update it, so those two operations authorize in `run`; every other one is authorized by
//! the registry, through the policy engine on `*`, like every IAM action.

use std::sync::Arc;

use keyturn_api::iam::{
    DelegationPermission, DelegationRequest as DelegationRequestShape, PolicyParameter,
};
use serde_json::Value;
use time::OffsetDateTime;

use crate::engine::Caller;
use crate::engine::snapshot::Snapshot;
use crate::iam::{Change, DelegationParameter, DelegationRequest, DelegationState, Entity};
use crate::ops::prelude::*;

/// How long a request stays open before it is finalized, and how long a rejected request is
/// kept, in seconds (AWS: rejected requests expire after 7 days).
pub const OPEN_LIFETIME_SECONDS: i64 = 7 * 24 * 3600;

/// `NoSuchEntity` for a request the caller cannot see (or that does not exist).
pub fn no_such(id: &str) -> Error {
    Error::new(
        ErrorCode::NoSuchEntity,
        format!("The delegation request with id {id} cannot be found."),
    )
}

/// `InvalidInput` for a request whose state does not allow `action`.
pub fn wrong_state(id: &str, state: DelegationState, action: &str) -> Error {
    Error::new(
        ErrorCode::InvalidInput,
        format!(
            "The delegation request {id} is in state {} and cannot be {action}.",
            state.as_str()
        ),
    )
}

/// A time as the model keeps it (RFC 3339 to the second).
pub use crate::clock::iso8601 as stamp;

/// A stored time; the Unix epoch for a text that does not parse (never written by Keyturn).
pub fn parse_time(text: &str) -> OffsetDateTime {
    crate::clock::parse_iso8601(text).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The request `id` and its partner's account, in `snapshot`.
pub fn find<'s>(snapshot: &'s Snapshot, id: &str) -> Option<(&'s str, &'s DelegationRequest)> {
    snapshot.data.accounts.iter().find_map(|a| {
        a.delegation_requests
            .iter()
            .find(|r| r.id == id)
            .map(|r| (a.id.as_str(), r))
    })
}

/// Whether `caller` may see `request` of the partner account `requestor`.
pub fn visible(caller: &Caller, requestor: &str, request: &DelegationRequest) -> bool {
    caller.account == requestor
        || request
            .owner_account_id
            .as_deref()
            .is_none_or(|a| a == caller.account)
}

/// Whether `caller` is the request's owner.
pub fn is_owner(caller: &Caller, request: &DelegationRequest) -> bool {
    request.owner_id.as_deref() == Some(caller.arn.as_str())
}

/// Whether `caller` is an identity of the request's owner account.
pub fn in_owner_account(caller: &Caller, request: &DelegationRequest) -> bool {
    request.owner_account_id.as_deref() == Some(caller.account.as_str())
}

/// Who may act on a request, beyond seeing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Whoever sees it, with the policy (AssociateDelegationRequest).
    Visible,
    /// Whoever sees it; the owner without a policy (GetDelegationRequest).
    OwnerDefault,
    /// Identities of the owner account, with the policy (accept, reject, send).
    OwnerAccount,
    /// Identities of the owner account; the owner without a policy (UpdateDelegationRequest).
    OwnerAccountOwnerDefault,
}

/// The request `id` as `caller` may act on it: found, visible (and of the caller's account
/// when `access` says so: `NoSuchEntity` otherwise, as for a request it cannot see). The two
/// operations whose owner has a default permission (Get, Update) authorize `action` here, on
/// `*`, for every caller but the owner; the others were authorized by the registry before `run`,
/// like every IAM action.
///
/// # Errors
/// `NoSuchEntity` when not found or not visible; `AccessDenied` when not allowed.
pub fn authorized(
    cx: &Context<'_>,
    id: &str,
    action: &str,
    access: Access,
) -> Result<(String, DelegationRequest), Error> {
    let caller = cx.caller()?;
    let (requestor, request) = find(&caller.snapshot, id).ok_or_else(|| no_such(id))?;
    let owner_account = matches!(
        access,
        Access::OwnerAccount | Access::OwnerAccountOwnerDefault
    );
    if !visible(caller, requestor, request) || owner_account && !in_owner_account(caller, request) {
        return Err(no_such(id));
    }
    let owner_default = matches!(
        access,
        Access::OwnerDefault | Access::OwnerAccountOwnerDefault
    );
    // The registry authorized the other operations' action before `run`; these two authorize
    // it here, for everyone but the owner.
    if owner_default && !is_owner(caller, request) {
        cx.engine.require(caller, action, "*", &[])?;
    }
    Ok((requestor.to_owned(), request.clone()))
}

/// Moves the request `id` of `requestor` on: its newest copy (the state may have moved since
/// the caller read it) must be in one of the states `from`, or the operation is refused with
/// `wrong_state(id, state, verb)`; `edit` then changes it. Returns the stored request.
///
/// # Errors
/// `InvalidInput` for a request in another state; what `edit` returns; `NoSuchEntity` if the
/// request is gone; as [`crate::engine::Engine::change`].
pub fn commit(
    cx: &Context<'_>,
    requestor: &str,
    id: &str,
    (from, verb): (&[DelegationState], &str),
    mut edit: impl FnMut(&mut DelegationRequest, OffsetDateTime) -> Result<(), Error>,
) -> Result<DelegationRequest, Error> {
    let now = crate::ops::support::whole_seconds(cx.engine.clock().now());
    let (request, _) = cx.engine.change(|snapshot| {
        let (_, current) = find(snapshot, id).ok_or_else(|| no_such(id))?;
        let state = current.state_at(now);
        if !from.contains(&state) {
            return Err(wrong_state(id, state, verb));
        }
        let mut next = current.clone();
        edit(&mut next, now)?;
        next.updated_time = stamp(now);
        let change = Change::Put {
            account: requestor.to_owned(),
            entity: Entity::DelegationRequest(Box::new(next.clone())),
        };
        Ok((vec![change], next))
    })?;
    Ok(request)
}

/// [`authorized`] and then [`commit`]: the whole of an operation that only moves a request from
/// one state to another (associate, accept, reject, update).
///
/// # Errors
/// As [`authorized`] and [`commit`].
pub fn transition(
    cx: &Context<'_>,
    id: &str,
    (action, access): (&str, Access),
    from_verb: (&[DelegationState], &str),
    edit: impl FnMut(&mut DelegationRequest, OffsetDateTime) -> Result<(), Error>,
) -> Result<(), Error> {
    let (requestor, _) = authorized(cx, id, action, access)?;
    commit(cx, &requestor, id, from_verb, edit).map(drop)
}

/// The request as the API shapes it, read at `now`.
pub fn shape(
    requestor: &str,
    r: &DelegationRequest,
    now: OffsetDateTime,
) -> DelegationRequestShape {
    DelegationRequestShape {
        delegation_request_id: Some(r.id.clone()),
        owner_account_id: r.owner_account_id.clone(),
        description: Some(r.description.clone()),
        request_message: r.request_message.clone(),
        permissions: Some(DelegationPermission {
            policy_template_arn: Some(r.policy_template_arn.clone()),
            parameters: (!r.parameters.is_empty()).then(|| {
                r.parameters
                    .iter()
                    .map(|p| PolicyParameter {
                        name: Some(p.name.clone()),
                        values: Some(p.values.clone()),
                        type_: Some(p.kind.clone()),
                    })
                    .collect()
            }),
        }),
        permission_policy: Some(r.permission_policy.clone()),
        role_permission_restriction_arns: None,
        owner_id: r.owner_id.clone(),
        approver_id: r.approver_id.clone(),
        state: Some(r.state_at(now).as_str().to_owned()),
        expiration_time: Some(parse_time(&r.expiration_time)),
        requestor_id: Some(requestor.to_owned()),
        requestor_name: r.requestor_name.clone(),
        create_date: Some(parse_time(&r.create_date)),
        session_duration: i32::try_from(r.session_duration).ok(),
        redirect_url: r.redirect_url.clone(),
        notes: r.notes.clone(),
        rejection_reason: r.rejection_reason.clone(),
        only_send_by_owner: Some(r.only_send_by_owner),
        updated_time: Some(parse_time(&r.updated_time)),
    }
}

/// The request's parameters, checked: names unique, a `string` with exactly one value, a
/// `stringList` with at least one.
///
/// # Errors
/// `InvalidInput` naming the parameter.
pub fn parameters(list: Option<&[PolicyParameter]>) -> Result<Vec<DelegationParameter>, Error> {
    let invalid = |text: String| Error::new(ErrorCode::InvalidInput, text);
    let mut out: Vec<DelegationParameter> = Vec::new();
    for p in list.unwrap_or_default() {
        let name = p
            .name
            .clone()
            .ok_or_else(|| invalid("Every policy parameter must have a Name.".to_owned()))?;
        let kind = p.type_.clone().unwrap_or_else(|| "string".to_owned());
        let values = p.values.clone().unwrap_or_default();
        match (kind.as_str(), values.len()) {
            ("string", 1) | ("stringList", 1..) => {}
            ("string", _) => {
                return Err(invalid(format!(
                    "Policy parameter {name} of type string must have exactly one value."
                )));
            }
            _ => {
                return Err(invalid(format!(
                    "Policy parameter {name} of type stringList must have at least one value."
                )));
            }
        }
        if out.iter().any(|q| q.name == name) {
            return Err(invalid(format!("Policy parameter {name} is given twice.")));
        }
        out.push(DelegationParameter { name, values, kind });
    }
    Ok(out)
}

/// The template `template` with its `${Name}` placeholders filled from `params`. A `string`
/// parameter is replaced in place; a string holding a `stringList` parameter becomes one string
/// per value (a list of them, which joins the list it is in). Policy variables
/// (`${aws:username}`, names with a `:`) are left as they are. Returns compact JSON.
///
/// # Errors
/// `InvalidInput` for a placeholder with no parameter, a parameter the template does not use,
/// two `stringList` parameters in one string, or a template that is not JSON.
pub fn render(template: &str, params: &[DelegationParameter]) -> Result<String, Error> {
    let invalid = |text: String| Error::new(ErrorCode::InvalidInput, text);
    let mut doc: Value = serde_json::from_str(template)
        .map_err(|_| invalid("The policy template is not a JSON document.".to_owned()))?;
    let mut used = vec![false; params.len()];
    fill(&mut doc, params, &mut used)?;
    if let Some((p, _)) = params.iter().zip(&used).find(|(_, u)| !**u) {
        return Err(invalid(format!(
            "Policy parameter {} is not used by the policy template.",
            p.name
        )));
    }
    serde_json::to_string(&doc).map_err(|e| Error::new(ErrorCode::ServiceFailure, e.to_string()))
}

/// Replaces the placeholders of `value` in place.
fn fill(value: &mut Value, params: &[DelegationParameter], used: &mut [bool]) -> Result<(), Error> {
    match value {
        Value::String(s) => {
            let mut out = expand(s, params, used)?;
            *value = if out.len() == 1 {
                Value::String(out.pop().unwrap_or_default())
            } else {
                Value::Array(out.into_iter().map(Value::String).collect())
            };
        }
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for mut item in std::mem::take(items) {
                let from_string = item.is_string();
                fill(&mut item, params, used)?;
                match item {
                    Value::Array(inner) if from_string => out.extend(inner),
                    other => out.push(other),
                }
            }
            *items = out;
        }
        Value::Object(map) => {
            for v in map.values_mut() {
                fill(v, params, used)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// One piece of a template string.
enum Piece<'a> {
    /// Text kept as it is (policy variables included).
    Text(&'a str),
    /// The parameter at this index.
    Param(usize),
}

/// `s` with its placeholders filled: one string, or one per value of its `stringList`.
fn expand(
    s: &str,
    params: &[DelegationParameter],
    used: &mut [bool],
) -> Result<Vec<String>, Error> {
    let mut pieces = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        pieces.push(Piece::Text(&rest[..start]));
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            break;
        };
        let name = &after[..end];
        match params.iter().position(|p| p.name == name) {
            Some(i) => {
                used[i] = true;
                pieces.push(Piece::Param(i));
            }
            // A policy variable (`${aws:username}`, `${*}`): kept for the evaluator.
            None if name.contains(':') || matches!(name, "*" | "?" | "$") => {
                pieces.push(Piece::Text(&rest[start..start + 3 + end]));
            }
            None => {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "The policy template uses the parameter {name}, which the request does not give."
                    ),
                ));
            }
        }
        rest = &after[end + 1..];
    }
    pieces.push(Piece::Text(rest));
    let mut lists = pieces.iter().filter_map(|p| match p {
        Piece::Param(i) if params[*i].kind == "stringList" => Some(*i),
        _ => None,
    });
    let list = lists.next();
    if let Some(other) = lists.find(|i| Some(*i) != list) {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!(
                "The policy template holds two stringList parameters in one value ({} and {}).",
                list.map_or("", |i| params[i].name.as_str()),
                params[other].name
            ),
        ));
    }
    let choices: Vec<Option<&str>> = match list {
        Some(i) => params[i].values.iter().map(|v| Some(v.as_str())).collect(),
        None => vec![None],
    };
    Ok(choices
        .into_iter()
        .map(|choice| {
            let mut out = String::with_capacity(s.len());
            for piece in &pieces {
                match piece {
                    Piece::Text(t) => out.push_str(t),
                    Piece::Param(i) if params[*i].kind == "stringList" => {
                        out.push_str(choice.unwrap_or_default());
                    }
                    Piece::Param(i) => {
                        out.push_str(params[*i].values.first().map_or("", String::as_str));
                    }
                }
            }
            out
        })
        .collect())
}

/// The snapshot's copy of the managed policy `arn` of `account`: its default version's
/// document.
pub fn template(snapshot: &Arc<Snapshot>, account: &str, arn: &str) -> Option<String> {
    let a = snapshot.data.account(account)?;
    let policy = a.managed_policies.iter().find(|p| p.arn(account) == arn)?;
    policy
        .versions
        .iter()
        .find(|v| v.id == policy.default_version)
        .map(|v| v.document.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, kind: &str, values: &[&str]) -> DelegationParameter {
        DelegationParameter {
            name: name.to_owned(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            kind: kind.to_owned(),
        }
    }

    #[test]
    fn lists_expand_the_string_they_are_in_and_policy_variables_stay() {
        let template = r#"{"Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::${B}/${aws:username}/*","arn:aws:s3:::${One}"]}]}"#;
        let out = render(
            template,
            &[
                p("B", "stringList", &["x", "y"]),
                p("One", "string", &["z"]),
            ],
        );
        assert_eq!(
            out.ok().as_deref(),
            Some(
                r#"{"Statement":[{"Action":["s3:GetObject"],"Effect":"Allow","Resource":["arn:aws:s3:::x/${aws:username}/*","arn:aws:s3:::y/${aws:username}/*","arn:aws:s3:::z"]}]}"#
            )
        );
    }

    #[test]
    fn two_lists_in_one_string_and_non_json_templates_are_refused() {
        let two = render(
            r#"{"a":"${A}-${B}"}"#,
            &[p("A", "stringList", &["1"]), p("B", "stringList", &["2"])],
        );
        assert_eq!(
            two.err().map(|e| e.message().to_owned()).as_deref(),
            Some("The policy template holds two stringList parameters in one value (A and B).")
        );
        let bad = render("not json", &[]);
        assert_eq!(
            bad.err().map(|e| e.error_code()),
            Some(ErrorCode::InvalidInput)
        );
    }
}
