//! `iam:ListEntitiesForPolicy`.

use keyturn_api::iam::{
    ListEntitiesForPolicyRequest, ListEntitiesForPolicyResponse, PolicyGroup, PolicyRole,
    PolicyUser,
};

use super::admin;
use super::list_policies::usage;
use super::shared;
use crate::engine::view::PolicyUsage;
use crate::ops::prelude::*;

/// One entity that uses the policy.
enum Using {
    Group(PolicyGroup),
    User(PolicyUser),
    Role(PolicyRole),
}

operation! {
    /// `iam:ListEntitiesForPolicy` on the policy's ARN: the users, groups and roles of the caller's
    /// account that attach a managed policy (`PermissionsPolicy`) or use it as their permissions
    /// boundary (`PermissionsBoundary`); both without `PolicyUsageFilter`. `EntityFilter` (`User`,
    /// `Role`, `Group`) and `PathPrefix` (the entity's path) narrow the list; it is paged as one
    /// list (groups, then users, then roles, each by name).
    ListEntitiesForPolicy(ListEntitiesForPolicyRequest)
        -> ListEntitiesForPolicyResponse, on admin::policy_arn(policy_arn);

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let arn = input.policy_arn.as_str();
        v.policy(arn)?;
        let filter = usage(input.policy_usage_filter.as_deref())?;
        let attached_ok = filter != Some(PolicyUsage::PermissionsBoundary);
        let boundary_ok = filter != Some(PolicyUsage::PermissionsPolicy);
        let uses = |attached: &[String], boundary: Option<&str>| {
            (attached_ok && attached.iter().any(|x| x == arn))
                || (boundary_ok && boundary == Some(arn))
        };
        // `User`, `Role` and `Group` pick one kind of entity; `LocalManagedPolicy` and
        // `AWSManagedPolicy` filter on the policy's own type: every entity, or none.
        let kind_of_policy = if arn.contains(":aws:policy/") {
            "AWSManagedPolicy"
        } else {
            "LocalManagedPolicy"
        };
        let wants = |kind: &str| match input.entity_filter.as_deref() {
            None => true,
            Some(f @ ("LocalManagedPolicy" | "AWSManagedPolicy")) => f == kind_of_policy,
            Some(f) => f == kind,
        };
        let prefix = input.path_prefix.as_deref();
        let a = v.account();
        let mut all = Vec::new();
        if wants("Group") {
            for g in v.groups(prefix) {
                if a.group(&g.group_name)
                    .is_some_and(|m| uses(&m.managed_policies, None))
                {
                    all.push(Using::Group(PolicyGroup {
                        group_name: Some(g.group_name),
                        group_id: Some(g.group_id),
                    }));
                }
            }
        }
        if wants("User") {
            for u in v.users(prefix) {
                let m = a.user(&u.user_name);
                if m.is_some_and(|m| uses(&m.managed_policies, m.permissions_boundary.as_deref())) {
                    all.push(Using::User(PolicyUser {
                        user_name: Some(u.user_name),
                        user_id: Some(u.user_id),
                    }));
                }
            }
        }
        if wants("Role") {
            for r in v.roles(prefix) {
                let m = a.role(&r.role_name);
                if m.is_some_and(|m| uses(&m.managed_policies, m.permissions_boundary.as_deref())) {
                    all.push(Using::Role(PolicyRole {
                        role_name: Some(r.role_name),
                        role_id: Some(r.role_id),
                    }));
                }
            }
        }
        let p = shared::page(all, input.marker.as_deref(), input.max_items)?;
        let (mut groups, mut users, mut roles) = (Vec::new(), Vec::new(), Vec::new());
        for e in p.items {
            match e {
                Using::Group(g) => groups.push(g),
                Using::User(u) => users.push(u),
                Using::Role(r) => roles.push(r),
            }
        }
        Ok(ListEntitiesForPolicyResponse {
            policy_groups: Some(groups),
            policy_users: Some(users),
            policy_roles: Some(roles),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
