//! `iam:ListEntitiesForPolicy`.

use keyturn_api::iam::{
    ListEntitiesForPolicyRequest, ListEntitiesForPolicyResponse, PolicyGroup, PolicyRole,
    PolicyUser,
};

use super::admin;
use super::list_policies::usage;
use super::shared::{self, Kind};
use crate::engine::view::PolicyUsage;
use crate::ops::prelude::*;

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
        // Each entity under the prefix as (kind, name, unique id): groups, users, roles, by name.
        let mut all: Vec<(Kind, String, String)> = Vec::new();
        if wants("Group") {
            let groups = v.groups(prefix).into_iter();
            all.extend(groups.map(|g| (Kind::Group, g.group_name, g.group_id)));
        }
        if wants("User") {
            let users = v.users(prefix).into_iter();
            all.extend(users.map(|u| (Kind::User, u.user_name, u.user_id)));
        }
        if wants("Role") {
            let roles = v.roles(prefix).into_iter();
            all.extend(roles.map(|r| (Kind::Role, r.role_name, r.role_id)));
        }
        // Those that attach the policy or use it as their boundary (groups have no boundary).
        all.retain(|(kind, name, _)| match kind {
            Kind::Group => a.group(name).is_some_and(|m| uses(&m.managed_policies, None)),
            Kind::User => a
                .user(name)
                .is_some_and(|m| uses(&m.managed_policies, m.permissions_boundary.as_deref())),
            Kind::Role => a
                .role(name)
                .is_some_and(|m| uses(&m.managed_policies, m.permissions_boundary.as_deref())),
        });
        let p = shared::page(all, input.marker.as_deref(), input.max_items)?;
        let (mut groups, mut users, mut roles) = (Vec::new(), Vec::new(), Vec::new());
        for (kind, name, id) in p.items {
            let (name, id) = (Some(name), Some(id));
            match kind {
                Kind::Group => groups.push(PolicyGroup { group_name: name, group_id: id }),
                Kind::User => users.push(PolicyUser { user_name: name, user_id: id }),
                Kind::Role => roles.push(PolicyRole { role_name: name, role_id: id }),
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
