//! What the writes of roles, role policies and customer managed policies share: validating a
//! policy document with IAM's size quotas and texts, editing one role or one managed policy in
//! a plan, untagging, and the ARN and condition keys a managed policy's operations are
//! authorized with.
//!
//! Texts, as AWS answers (quoted from the AWS CLI in public issue reports):
//! - `LimitExceeded` "Cannot exceed quota for ACLSizePerRole: 2048" (a trust policy),
//!   "Cannot exceed quota for PolicySize: 6144" (a managed policy version), "Maximum policy size
//!   of 10240 bytes exceeded for role R" (a role's inline policies together); sizes are counted
//!   in characters without whitespace.
//! - `MalformedPolicyDocument`: the policy engine's texts ("Syntax errors in policy.", "Has
//!   prohibited field Resource", "Missing required field Principal", …).

use std::sync::Arc;

use keyturn_policy::{ParseOptions, PolicyDocument, PolicyType};
use serde_json::Value;

use super::shared::{self, Kind};
use super::write::{self, Plan};
use crate::engine::Snapshot;
use crate::iam::{Entity, IamData, ManagedPolicy, Role, Tags};
use crate::ops::{Conditions, Context};
use crate::{Error, ErrorCode};

/// AWS's default quotas for roles and managed policies ("IAM object quotas").
pub(crate) mod quota {
    /// The shortest maximum session duration of a role, seconds.
    pub(crate) const MIN_SESSION: u32 = 3600;
    /// The longest maximum session duration of a role, seconds.
    pub(crate) const MAX_SESSION: u32 = 43200;
    use super::write::Quota;

    /// Roles per account.
    pub(crate) const ROLES: Quota = Quota::new(1000, "RolesPerAccount");
    /// Customer managed policies per account.
    pub(crate) const POLICIES: Quota = Quota::new(1500, "PoliciesPerAccount");
    /// Managed policies attached to one user, group or role.
    pub(crate) const ATTACHED: usize = 10;
    /// Versions of one managed policy.
    pub(crate) const VERSIONS: usize = 5;
    /// A role trust policy, characters without whitespace.
    pub(crate) const TRUST_SIZE: usize = 2048;
    /// A managed policy version, characters without whitespace.
    pub(crate) const MANAGED_SIZE: usize = 6144;
    /// A role's inline policies together, characters without whitespace.
    pub(crate) const ROLE_INLINE_SIZE: usize = 10240;
}

/// A role's `MaxSessionDuration`, 3600–43200 seconds (the wire decoder checks the range
/// first, with the same text; this covers inputs built in code).
///
/// # Errors
/// `ValidationError` out of range.
pub(crate) fn session_duration(n: i32) -> Result<u32, Error> {
    let bound = |rel: &str, b: u32| {
        Error::new(
            ErrorCode::ValidationError,
            format!(
                "1 validation error detected: Value '{n}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value {rel} than or equal to {b}"
            ),
        )
    };
    let v = u32::try_from(n).map_err(|_| bound("greater", quota::MIN_SESSION))?;
    if v < quota::MIN_SESSION {
        Err(bound("greater", quota::MIN_SESSION))
    } else if v > quota::MAX_SESSION {
        Err(bound("less", quota::MAX_SESSION))
    } else {
        Ok(v)
    }
}

/// A policy's size as IAM counts it: characters, whitespace not counted.
pub(crate) fn size(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// `LimitExceeded` with `text`.
pub(crate) fn limit(text: String) -> Error {
    Error::new(ErrorCode::LimitExceeded, text)
}

/// Validates `text` as a policy of type `ty` (its size checked by the caller); the document
/// is kept as given, as IAM returns it.
///
/// # Errors
/// `MalformedPolicyDocument` with the policy engine's text (AWS's).
pub(crate) fn valid(text: &str, ty: PolicyType) -> Result<String, Error> {
    let opts = ParseOptions::new(ty);
    checked(
        text,
        if ty == PolicyType::Identity {
            opts.with_iam_resource_rules()
        } else {
            opts
        },
    )
}

fn checked(text: &str, opts: ParseOptions) -> Result<String, Error> {
    PolicyDocument::parse_with(text, opts.with_max_size(None))
        .map_err(|e| Error::new(ErrorCode::MalformedPolicyDocument, e.to_string()))?;
    Ok(text.to_owned())
}

/// A policy document's statements (one, or a list).
fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    }
}

/// The strings of an element that holds one string or a list of them.
fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A role trust policy, checked.
///
/// # Errors
/// `LimitExceeded` over 2048 characters; `MalformedPolicyDocument`.
pub(crate) fn trust_policy(text: &str) -> Result<String, Error> {
    if size(text) > quota::TRUST_SIZE {
        return Err(limit(format!(
            "Cannot exceed quota for ACLSizePerRole: {}",
            quota::TRUST_SIZE
        )));
    }
    let doc = PolicyDocument::parse_with(
        text,
        ParseOptions::new(PolicyType::Trust).with_max_size(None),
    )
    .map_err(|e| Error::new(ErrorCode::MalformedPolicyDocument, e.to_string()))?;
    check_trust_actions(&doc)?;
    Ok(text.to_owned())
}

/// The actions a trust policy may grant: the ways into a role and what may travel with them.
const TRUST_ACTIONS: &[&str] = &[
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
];

/// IAM's check of a (valid) trust policy's `Action` values: each, wildcards included, must name
/// at least one of [`TRUST_ACTIONS`] (ignoring case), so `sts:*` and `*` pass and
/// `sts:BadAssumeRole` or `s3:GetObject` do not.
///
/// # Errors
/// `MalformedPolicyDocument` with IAM's text (two spaces before "and" included).
fn check_trust_actions(doc: &PolicyDocument) -> Result<(), Error> {
    // `Action` only: `NotAction` names what is not granted.
    let actions = doc
        .statements
        .iter()
        .filter(|st| !st.action.1)
        .flat_map(|st| &st.action.0.values);
    for action in actions {
        let pattern = action.to_ascii_lowercase();
        if !TRUST_ACTIONS
            .iter()
            .any(|a| keyturn_policy::wildcard_matches(&pattern, a))
        {
            return Err(Error::new(
                ErrorCode::MalformedPolicyDocument,
                "Trust Policy statement actions can only be sts:AssumeRole, \
                 sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity",
            ));
        }
    }
    Ok(())
}

/// Checks the `AWS` principals of a (valid) trust policy as IAM resolves them when the policy is
/// saved: a user or role ARN of an account in the model must name one that exists (with that
/// path), and a group is never a principal. ARNs of other accounts, account roots, ids and
/// wildcards pass.
///
/// # Errors
/// `MalformedPolicyDocument` "Invalid principal in policy: "AWS":"ARN"".
pub(crate) fn check_principals(data: &IamData, text: &str) -> Result<(), Error> {
    let Ok(doc) = serde_json::from_str::<Value>(text) else {
        return Ok(());
    };
    let arns = statements(&doc)
        .into_iter()
        .flat_map(|st| strings(st.get("Principal").and_then(|p| p.get("AWS"))));
    for arn in arns {
        if !principal_exists(data, arn) {
            return Err(Error::new(
                ErrorCode::MalformedPolicyDocument,
                format!("Invalid principal in policy: \"AWS\":\"{arn}\""),
            ));
        }
    }
    Ok(())
}

fn principal_exists(data: &IamData, arn: &str) -> bool {
    let Some((account, resource)) = arn
        .strip_prefix("arn:aws:iam::")
        .and_then(|rest| rest.split_once(':'))
    else {
        return true;
    };
    if resource.starts_with("group/") {
        return false;
    }
    let Some(a) = data.account(account) else {
        return true;
    };
    if arn.contains('*') {
        return true;
    }
    let name = resource.rsplit('/').next().unwrap_or(resource);
    if resource.starts_with("user/") {
        a.user(name).is_some_and(|u| u.arn(account) == arn)
    } else if resource.starts_with("role/") {
        a.role(name).is_some_and(|r| r.arn(account) == arn)
    } else {
        true
    }
}

/// A managed policy version's document, checked.
///
/// # Errors
/// `LimitExceeded` over 6144 characters; `MalformedPolicyDocument`.
pub(crate) fn managed_document(text: &str) -> Result<String, Error> {
    if size(text) > quota::MANAGED_SIZE {
        return Err(limit(format!(
            "Cannot exceed quota for PolicySize: {}",
            quota::MANAGED_SIZE
        )));
    }
    // A managed policy speaks the current policy language only.
    checked(
        text,
        ParseOptions::new(PolicyType::Identity)
            .with_iam_resource_rules()
            .requiring_current_version(),
    )
}

/// `NoSuchEntity` for a missing user, group or role, in IAM's words.
pub(crate) fn no_such(kind: Kind, name: &str) -> Error {
    Error::new(
        ErrorCode::NoSuchEntity,
        format!("The {} with name {name} cannot be found.", kind.word()),
    )
}

/// `NoSuchEntity` for a missing managed policy, in IAM's words.
pub(crate) fn no_such_policy(arn: &str) -> Error {
    Error::new(
        ErrorCode::NoSuchEntity,
        format!("Policy {arn} does not exist or is not attachable."),
    )
}

/// Plans a change to the version `id` of the customer managed policy `arn`: `edit` gets the
/// policy, which has that version.
///
/// # Errors
/// As [`edit_policy`]; `NoSuchEntity` "Policy ARN version V does not exist or is not
/// attachable." for a version the policy does not have.
pub(crate) fn edit_version(
    cx: &Context<'_>,
    arn: &str,
    id: &str,
    mut edit: impl FnMut(&mut ManagedPolicy) -> Result<(), Error>,
) -> Result<(), Error> {
    edit_policy(cx, arn, |_, policy| {
        if policy.version(id).is_none() {
            return Err(Error::new(
                ErrorCode::NoSuchEntity,
                format!("Policy {arn} version {id} does not exist or is not attachable."),
            ));
        }
        edit(policy)
    })?;
    Ok(())
}

/// Plans a change to the role `name` of the caller's account: `edit` changes a copy, which is
/// stored when it differs. Returns what `edit` returned and the snapshot with the change.
///
/// # Errors
/// `NoSuchEntity` for an unknown role; what `edit` returns; as [`write::change`].
pub(crate) fn edit_role<R>(
    cx: &Context<'_>,
    name: &str,
    edit: impl FnMut(&Plan<'_>, &mut Role) -> Result<R, Error>,
) -> Result<(R, Arc<Snapshot>), Error> {
    let missing = || no_such(Kind::Role, name);
    write::edit_copy(
        cx,
        |p| p.account.role(name).ok_or_else(missing),
        Entity::Role,
        edit,
    )
}

/// The caller's account's customer managed policy `arn` in `p`.
///
/// # Errors
/// `InvalidInput` for an ARN that is not a policy's; `NoSuchEntity` for an unknown policy.
pub(crate) fn find_policy<'p>(p: &Plan<'p>, arn: &str) -> Result<&'p ManagedPolicy, Error> {
    shared::check_arn(arn, "policy/")?;
    let id = &p.account.id;
    p.account
        .managed_policies
        .iter()
        .find(|m| m.arn(id) == arn)
        .ok_or_else(|| no_such_policy(arn))
}

/// Plans a change to the customer managed policy `arn`, as [`edit_role`] does for a role.
///
/// # Errors
/// As [`find_policy`]; what `edit` returns; as [`write::change`].
pub(crate) fn edit_policy<R>(
    cx: &Context<'_>,
    arn: &str,
    edit: impl FnMut(&Plan<'_>, &mut ManagedPolicy) -> Result<R, Error>,
) -> Result<(R, Arc<Snapshot>), Error> {
    write::edit_copy(cx, |p| find_policy(p, arn), Entity::ManagedPolicy, edit)
}

/// Removes the tags with these keys (ignoring case, as IAM's tag keys are); keys that are not
/// there are ignored, as IAM does.
pub(crate) fn untag(tags: &mut Tags, keys: &[String]) {
    tags.retain(|k, _| !keys.iter().any(|x| x.eq_ignore_ascii_case(k)));
}

/// The resource a managed policy's operation is authorized on: the policy's ARN.
///
/// # Errors
/// `InvalidInput` ("ARN X is not valid.") for an ARN that is not a policy's.
pub(crate) fn policy_resource(arn: &str) -> Result<String, Error> {
    shared::check_arn(arn, "policy/")?;
    Ok(arn.to_owned())
}

/// [`policy_resource`] as an operation's resource.
///
/// # Errors
/// As [`policy_resource`].
pub(crate) fn policy_arn(_: &Context<'_>, arn: &str) -> Result<String, Error> {
    policy_resource(arn)
}

/// `aws:TagKeys` with these keys (UntagRole, UntagPolicy).
pub(crate) fn tag_keys_condition(keys: &[String]) -> Conditions {
    vec![("aws:TagKeys".to_owned(), keys.to_vec())]
}

/// `iam:PermissionsBoundary` with the current boundary of the caller's account's user or role
/// `name`, when it has one (a group has none).
///
/// # Errors
/// As [`Context::caller`].
pub(crate) fn boundary_condition_of(
    cx: &Context<'_>,
    kind: Kind,
    name: &str,
) -> Result<Conditions, Error> {
    let boundary = shared::account(cx)?.and_then(|a| match kind {
        Kind::User => a.user(name)?.permissions_boundary.as_deref(),
        Kind::Role => a.role(name)?.permissions_boundary.as_deref(),
        Kind::Group => None,
    });
    Ok(write::boundary_condition(boundary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_duration_is_held_to_iams_range_with_the_wire_text() {
        assert_eq!(session_duration(3600).ok(), Some(3600));
        assert_eq!(session_duration(43200).ok(), Some(43200));
        for (n, text) in [
            (3599, "greater than or equal to 3600"),
            (-1, "greater than or equal to 3600"),
            (43201, "less than or equal to 43200"),
        ] {
            let e = session_duration(n)
                .err()
                .map(|e| (e.code().to_owned(), e.message().to_owned()));
            let (code, message) = e.unwrap_or_default();
            assert_eq!(code, "ValidationError");
            assert!(message.contains(text), "{message}");
            assert!(
                message.contains(&format!("Value '{n}' at 'maxSessionDuration'")),
                "{message}"
            );
        }
    }

    #[test]
    fn sizes_leave_whitespace_out_and_untag_ignores_case() {
        assert_eq!(size("{ \"a\" :\n\t1 }"), 7);
        let mut tags: Tags = [("Team", "x"), ("env", "y")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        untag(&mut tags, &["team".to_owned(), "absent".to_owned()]);
        assert_eq!(tags.keys().collect::<Vec<_>>(), ["env"]);
    }

    #[test]
    fn principals_resolve_in_accounts_of_the_model_only() {
        let data = IamData {
            accounts: vec![crate::iam::Account {
                id: "123456789012".into(),
                users: vec![crate::iam::User {
                    name: "u".into(),
                    path: "/p/".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            organization: None,
        };
        let trust = |aws: &str| {
            format!(
                r#"{{"Statement":{{"Effect":"Allow","Principal":{{"AWS":[{aws}]}},"Action":"sts:AssumeRole"}}}}"#
            )
        };
        let ok = |aws: &str| check_principals(&data, &trust(aws)).is_ok();
        assert!(ok(r#""arn:aws:iam::123456789012:user/p/u""#));
        assert!(ok(r#""arn:aws:iam::123456789012:root", "123456789012""#));
        assert!(ok(r#""arn:aws:iam::999999999999:user/anyone""#));
        assert!(
            !ok(r#""arn:aws:iam::123456789012:user/u""#),
            "the path counts"
        );
        assert!(!ok(r#""arn:aws:iam::123456789012:role/r""#));
        assert!(!ok(r#""arn:aws:iam::999999999999:group/g""#));
        let e = check_principals(&data, &trust(r#""arn:aws:iam::123456789012:role/r""#));
        assert_eq!(
            e.err().map(|e| e.message().to_owned()).as_deref(),
            Some(r#"Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/r""#)
        );
    }
}
