//! `iam:CreateRole`.

use crate::ids::UniqueIdKind;
use keyturn_api::iam::{CreateRoleRequest, CreateRoleResponse};

use super::admin::{self, quota};
use super::shared;
use super::write;
use crate::iam::{DEFAULT_MAX_SESSION_DURATION, Entity, Role};
use crate::ops::prelude::*;

operation! {
    /// `iam:CreateRole` on the new role's ARN, with `iam:PermissionsBoundary` and the request's
    /// tags as condition keys: a role with its trust policy (checked as IAM checks one), path,
    /// description, maximum session duration, boundary and tags. It can be assumed from the very
    /// next request.
    CreateRole(CreateRoleRequest) -> CreateRoleResponse,
        when write::creation_conditions(permissions_boundary, tags);

    fn resource(cx, input) { write::new_arn(cx, "role", input.path.as_deref(), &input.role_name) }

    fn run(cx, input) {
        let trust_policy = admin::trust_policy(&input.assume_role_policy_document)?;
        let max_session_duration = input
            .max_session_duration
            .map_or(Ok(DEFAULT_MAX_SESSION_DURATION), admin::session_duration)?;
        let name = &input.role_name;
        let plan = |p: &write::Plan<'_>| {
            let a = p.account;
            write::admit_name(&a.roles, "Role", name, quota::ROLES)?;
            admin::check_principals(&p.snapshot.data, &trust_policy)?;
            write::any_boundary_attachable(p, input.permissions_boundary.as_deref())?;
            let role = Role {
                name: name.clone(),
                id: write::new_id(UniqueIdKind::Role)?,
                path: write::path(input.path.as_deref()).to_owned(),
                max_session_duration,
                trust_policy: trust_policy.clone(),
                inline_policies: Default::default(),
                managed_policies: Vec::new(),
                permissions_boundary: input.permissions_boundary.clone(),
                tags: write::tags(input.tags.as_deref(), &Default::default())?,
                description: input.description.clone(),
            };
            Ok((role.arn(&a.id), Entity::Role(role)))
        };
        write::create(cx, plan, |v, _| {
            Ok(CreateRoleResponse {
                role: keyturn_api::iam::Role {
                    role_last_used: None,
                    ..shared::role(v.role(name)?, true)
                },
            })
        })
    }
}
