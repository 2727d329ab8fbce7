//! `iam:GetAccountAuthorizationDetails`.

use keyturn_api::iam::{
    AttachedPolicy, GetAccountAuthorizationDetailsRequest, GetAccountAuthorizationDetailsResponse,
    GroupDetail, ManagedPolicyDetail, PolicyDetail, RoleDetail, UserDetail,
};

use super::get_policy::policy;
use super::get_policy_version::version;
use super::{instance_profiles, shared};
use crate::engine::view::{self, AuthorizationDetail, EntityFilter, InlinePolicy};
use crate::ops::prelude::*;

fn filter(values: &[String]) -> Result<Vec<EntityFilter>, Error> {
    values
        .iter()
        .map(|f| match f.as_str() {
            "User" => Ok(EntityFilter::User),
            "Role" => Ok(EntityFilter::Role),
            "Group" => Ok(EntityFilter::Group),
            "LocalManagedPolicy" => Ok(EntityFilter::LocalManagedPolicy),
            "AWSManagedPolicy" => Ok(EntityFilter::AwsManagedPolicy),
            other => Err(Error::new(
                ErrorCode::ValidationError,
                format!(
                    "1 validation error detected: Value '[{other}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [User, Role, LocalManagedPolicy, Group, AWSManagedPolicy]]"
                ),
            )),
        })
        .collect()
}

fn inline(list: Vec<InlinePolicy>) -> Option<Vec<PolicyDetail>> {
    Some(
        list.into_iter()
            .map(|p| PolicyDetail {
                policy_name: Some(p.name),
                policy_document: Some(p.document),
            })
            .collect(),
    )
}

/// The attached managed policies of a user, group or role, as the details list them.
fn attached(list: Vec<view::AttachedPolicy>) -> Option<Vec<AttachedPolicy>> {
    Some(list.into_iter().map(shared::attached).collect())
}

operation! {
    /// `iam:GetAccountAuthorizationDetails` on `*` (no resource type): every user, group, role and
    /// managed policy of the account (customer managed, then the AWS managed ones in use) with
    /// their policies, as `Filter` selects. One `Marker` pages over all entries in that order; each
    /// page's entries go to their four lists.
    GetAccountAuthorizationDetails(GetAccountAuthorizationDetailsRequest)
        -> GetAccountAuthorizationDetailsResponse;

    fn run(cx, input) {
        let wanted = filter(input.filter.as_deref().unwrap_or_default())?;
        let v = shared::view(cx)?;
        let items = v.authorization_details(&wanted)?;
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        let (mut users, mut groups, mut roles, mut policies) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for entry in p.items {
            match entry {
                AuthorizationDetail::User(d) => {
                    let u = d.user;
                    users.push(UserDetail {
                        permissions_boundary: shared::boundary(u.permissions_boundary.as_ref()),
                        tags: shared::tags(&u.tags),
                        path: Some(u.path),
                        user_name: Some(u.name),
                        user_id: Some(u.user_id.to_string()),
                        arn: Some(u.arn),
                        create_date: Some(u.create_date),
                        user_policy_list: inline(d.inline_policies),
                        group_list: Some(d.groups),
                        attached_managed_policies: attached(d.attached_policies),
                    });
                }
                AuthorizationDetail::Group(d) => {
                    let g = d.group;
                    groups.push(GroupDetail {
                        path: Some(g.path),
                        group_name: Some(g.name),
                        group_id: Some(g.group_id.to_string()),
                        arn: Some(g.arn),
                        create_date: Some(g.create_date),
                        group_policy_list: inline(d.inline_policies),
                        attached_managed_policies: attached(d.attached_policies),
                    });
                }
                AuthorizationDetail::Role(d) => {
                    let r = d.role;
                    let profiles = v
                        .instance_profiles_for_role(&r.name)?
                        .into_iter()
                        .map(instance_profiles::shape)
                        .collect();
                    let last_used = shared::role_last_used(cx, &r.role_id.to_string());
                    roles.push(RoleDetail {
                        permissions_boundary: shared::boundary(r.permissions_boundary.as_ref()),
                        tags: shared::tags(&r.tags),
                        path: Some(r.path),
                        role_name: Some(r.name),
                        role_id: Some(r.role_id.to_string()),
                        arn: Some(r.arn),
                        create_date: Some(r.create_date),
                        assume_role_policy_document: Some(r.assume_role_policy_document),
                        instance_profile_list: Some(profiles),
                        role_policy_list: inline(d.inline_policies),
                        attached_managed_policies: attached(d.attached_policies),
                        role_last_used: Some(last_used),
                    });
                }
                AuthorizationDetail::Policy(d) => {
                    // The detail is GetPolicy's answer (without tags) and the versions.
                    let p = policy(d.policy);
                    policies.push(ManagedPolicyDetail {
                        policy_name: p.policy_name,
                        policy_id: p.policy_id,
                        arn: p.arn,
                        path: p.path,
                        default_version_id: p.default_version_id,
                        attachment_count: p.attachment_count,
                        permissions_boundary_usage_count: p.permissions_boundary_usage_count,
                        is_attachable: p.is_attachable,
                        description: p.description,
                        create_date: p.create_date,
                        update_date: p.update_date,
                        policy_version_list: Some(d.versions.into_iter().map(version).collect()),
                    });
                }
            }
        }
        Ok(GetAccountAuthorizationDetailsResponse {
            user_detail_list: Some(users),
            group_detail_list: Some(groups),
            role_detail_list: Some(roles),
            policies: Some(policies),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
