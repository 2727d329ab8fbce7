//! The policies of users, groups and roles: `Put…Policy`, `Get…Policy`, `Delete…Policy` and
//! `List…Policies` (inline policies) and `ListAttached…Policies` (managed policies). One
//! implementation of each over [`Kind`] (users and groups share `users_groups`' inline policy
//! change; roles theirs, with the role's boundary as a condition key and the role quota), and
//! the macro that declares a kind's five operations ([`entity_policies`]).

use keyturn_api::iam::{
    DeleteGroupPolicyRequest, DeleteRolePolicyRequest, DeleteUserPolicyRequest,
    GetGroupPolicyRequest, GetGroupPolicyResponse, GetRolePolicyRequest, GetRolePolicyResponse,
    GetUserPolicyRequest, GetUserPolicyResponse, ListAttachedGroupPoliciesRequest,
    ListAttachedGroupPoliciesResponse, ListAttachedRolePoliciesRequest,
    ListAttachedRolePoliciesResponse, ListAttachedUserPoliciesRequest,
    ListAttachedUserPoliciesResponse, ListGroupPoliciesRequest, ListGroupPoliciesResponse,
    ListRolePoliciesRequest, ListRolePoliciesResponse, ListUserPoliciesRequest,
    ListUserPoliciesResponse, PutGroupPolicyRequest, PutRolePolicyRequest, PutUserPolicyRequest,
};
use keyturn_policy::PolicyType;

use super::admin::{self, quota};
use super::shared::{self, Kind};
use super::users_groups::{Holder, change_inline};
use crate::ops::prelude::*;

/// The condition keys of changing an inline policy: for a role, `iam:PermissionsBoundary` with
/// its current boundary; none for users and groups.
fn conditions(cx: &Context<'_>, kind: Kind, name: &str) -> Result<Conditions, Error> {
    match kind {
        Kind::Role => admin::boundary_condition_of(cx, kind, name),
        Kind::User | Kind::Group => Ok(Vec::new()),
    }
}

/// Adds or replaces (`Some`) or removes (`None`) the inline policy `policy` of `name`.
fn change(
    cx: &Context<'_>,
    kind: Kind,
    name: &str,
    policy: &str,
    document: Option<&str>,
) -> Result<NoOutput, Error> {
    match (kind, document) {
        (Kind::User, _) => change_inline(cx, Holder::User, name, policy, document)?,
        (Kind::Group, _) => change_inline(cx, Holder::Group, name, policy, document)?,
        (Kind::Role, Some(document)) => put_role_policy(cx, name, policy, document)?,
        (Kind::Role, None) => delete_role_policy(cx, name, policy)?,
    }
    Ok(NoOutput)
}

/// PutRolePolicy: the role's inline policies together may not pass 10240 characters
/// (whitespace not counted).
fn put_role_policy(
    cx: &Context<'_>,
    name: &str,
    policy: &str,
    document: &str,
) -> Result<(), Error> {
    let document = admin::valid(document, PolicyType::Identity)?;
    admin::edit_role(cx, name, |_, role| {
        role.inline_policies
            .insert(policy.to_owned(), document.clone());
        let total: usize = role.inline_policies.values().map(|d| admin::size(d)).sum();
        if total > quota::ROLE_INLINE_SIZE {
            return Err(admin::limit(format!(
                "Maximum policy size of {} bytes exceeded for role {}",
                quota::ROLE_INLINE_SIZE,
                role.name
            )));
        }
        Ok(())
    })?;
    Ok(())
}

/// DeleteRolePolicy: `NoSuchEntity` when the role has no inline policy `policy`.
fn delete_role_policy(cx: &Context<'_>, name: &str, policy: &str) -> Result<(), Error> {
    admin::edit_role(cx, name, |_, role| {
        role.inline_policies
            .remove(policy)
            .map(|_| ())
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NoSuchEntity,
                    format!("The role policy with name {policy} cannot be found."),
                )
            })
    })?;
    Ok(())
}

/// Declares the five policy operations of a kind over the functions above:
/// `entity_policies!(Role(role_name), Put…, Get…, Delete…, List…, ListAttached…)`, each with its
/// docs, where `Role` is the [`Kind`] and `role_name` the requests' member that names the
/// entity.
macro_rules! entity_policies {
    (
        $kind:ident($field:ident),
        $(#[$pm:meta])* $put:ident($put_in:ty),
        $(#[$gm:meta])* $get:ident($get_in:ty) -> $get_out:ident,
        $(#[$dm:meta])* $delete:ident($delete_in:ty),
        $(#[$lm:meta])* $list:ident($list_in:ty) -> $list_out:ident,
        $(#[$am:meta])* $attached:ident($attached_in:ty) -> $attached_out:ident $(,)?
    ) => {
        operation! {
            $(#[$pm])*
            $put($put_in) -> NoOutput;

            fn resource(cx, input) { shared::entity_arn(cx, Kind::$kind, &input.$field) }

            fn conditions(cx, input) { conditions(cx, Kind::$kind, &input.$field) }

            fn run(cx, input) {
                let (name, document) = (&input.$field, Some(input.policy_document.as_str()));
                change(cx, Kind::$kind, name, &input.policy_name, document)
            }
        }

        operation! {
            $(#[$gm])*
            $get($get_in) -> $get_out;

            fn resource(cx, input) { shared::entity_arn(cx, Kind::$kind, &input.$field) }

            fn run(cx, input) {
                let v = shared::view(cx)?;
                let p = v.inline_policy(Kind::$kind, &input.$field, &input.policy_name)?;
                let (policy_name, policy_document) = (p.name, p.document);
                Ok($get_out { $field: input.$field, policy_name, policy_document })
            }
        }

        operation! {
            $(#[$dm])*
            $delete($delete_in) -> NoOutput;

            fn resource(cx, input) { shared::entity_arn(cx, Kind::$kind, &input.$field) }

            fn conditions(cx, input) { conditions(cx, Kind::$kind, &input.$field) }

            fn run(cx, input) { change(cx, Kind::$kind, &input.$field, &input.policy_name, None) }
        }

        operation! {
            $(#[$lm])*
            $list($list_in) -> $list_out;

            fn resource(cx, input) { shared::entity_arn(cx, Kind::$kind, &input.$field) }

            fn run(cx, input) {
                let items = shared::view(cx)?.inline_policy_names(Kind::$kind, &input.$field)?;
                shared::paged(items, &input, std::convert::identity)
            }
        }

        operation! {
            $(#[$am])*
            $attached($attached_in) -> $attached_out;

            fn resource(cx, input) { shared::entity_arn(cx, Kind::$kind, &input.$field) }

            fn run(cx, input) {
                let (v, prefix) = (shared::view(cx)?, input.path_prefix.as_deref());
                let items = v.attached_policies(Kind::$kind, &input.$field, prefix)?;
                shared::paged(items, &input, shared::attached)
            }
        }
    };
}

entity_policies!(
    User(user_name),
    /// `iam:PutUserPolicy` on the user's ARN: adds or replaces an inline policy. The document
    /// must be an identity policy the compiler accepts (`MalformedPolicyDocument` with AWS's
    /// text otherwise), and the user's inline policies together at most 2,048 characters,
    /// whitespace not counted (`LimitExceeded`). It decides the very next request.
    PutUserPolicy(PutUserPolicyRequest),
    /// `iam:GetUserPolicy` on the user's ARN: one inline policy, its document URL-encoded.
    GetUserPolicy(GetUserPolicyRequest) -> GetUserPolicyResponse,
    /// `iam:DeleteUserPolicy` on the user's ARN: removes an inline policy (`NoSuchEntity` when
    /// the user has none of that name).
    DeleteUserPolicy(DeleteUserPolicyRequest),
    /// `iam:ListUserPolicies` on the user's ARN: the names of its inline policies, in order.
    ListUserPolicies(ListUserPoliciesRequest) -> ListUserPoliciesResponse,
    /// `iam:ListAttachedUserPolicies` on the user's ARN: its managed policies under
    /// `PathPrefix` (the policy's path), by name.
    ListAttachedUserPolicies(ListAttachedUserPoliciesRequest) -> ListAttachedUserPoliciesResponse,
);

entity_policies!(
    Group(group_name),
    /// `iam:PutGroupPolicy` on the group's ARN: adds or replaces an inline policy. The document
    /// must be an identity policy the compiler accepts (`MalformedPolicyDocument` with AWS's
    /// text otherwise), and the group's inline policies together at most 5,120 characters,
    /// whitespace not counted (`LimitExceeded`). It decides its members' very next request.
    PutGroupPolicy(PutGroupPolicyRequest),
    /// `iam:GetGroupPolicy` on the group's ARN: one inline policy, its document URL-encoded.
    GetGroupPolicy(GetGroupPolicyRequest) -> GetGroupPolicyResponse,
    /// `iam:DeleteGroupPolicy` on the group's ARN: removes an inline policy (`NoSuchEntity`
    /// when the group has none of that name).
    DeleteGroupPolicy(DeleteGroupPolicyRequest),
    /// `iam:ListGroupPolicies` on the group's ARN: the names of its inline policies, in order.
    ListGroupPolicies(ListGroupPoliciesRequest) -> ListGroupPoliciesResponse,
    /// `iam:ListAttachedGroupPolicies` on the group's ARN: its managed policies under
    /// `PathPrefix` (the policy's path), by name.
    ListAttachedGroupPolicies(ListAttachedGroupPoliciesRequest)
        -> ListAttachedGroupPoliciesResponse,
);

entity_policies!(
    Role(role_name),
    /// `iam:PutRolePolicy` on the role's ARN (with `iam:PermissionsBoundary`, the role's
    /// boundary): adds or replaces an inline policy. The role's inline policies together may
    /// not pass 10240 characters (whitespace not counted). It applies from the next request on,
    /// to the role's sessions already issued too (they are evaluated against the role's current
    /// policies, as in IAM).
    PutRolePolicy(PutRolePolicyRequest),
    /// `iam:GetRolePolicy` on the role's ARN: one inline policy, its document URL-encoded.
    GetRolePolicy(GetRolePolicyRequest) -> GetRolePolicyResponse,
    /// `iam:DeleteRolePolicy` on the role's ARN (with `iam:PermissionsBoundary`, the role's
    /// boundary): removes an inline policy, from the next request on (for the role's sessions
    /// too).
    DeleteRolePolicy(DeleteRolePolicyRequest),
    /// `iam:ListRolePolicies` on the role's ARN: the names of its inline policies, in order.
    ListRolePolicies(ListRolePoliciesRequest) -> ListRolePoliciesResponse,
    /// `iam:ListAttachedRolePolicies` on the role's ARN: its managed policies under
    /// `PathPrefix` (the policy's path), by name.
    ListAttachedRolePolicies(ListAttachedRolePoliciesRequest) -> ListAttachedRolePoliciesResponse,
);
