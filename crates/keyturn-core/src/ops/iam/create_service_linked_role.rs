//! `iam:CreateServiceLinkedRole`.

use crate::ids::UniqueIdKind;
use keyturn_api::iam::{CreateServiceLinkedRoleRequest, CreateServiceLinkedRoleResponse};

use super::admin::quota;
use super::{service_linked, shared, write};
use crate::iam::{DEFAULT_MAX_SESSION_DURATION, Entity, Role};
use crate::ops::prelude::*;

fn name(input: &CreateServiceLinkedRoleRequest) -> Result<String, Error> {
    service_linked::role_name(&input.aws_service_name, input.custom_suffix.as_deref())
}

operation! {
    /// `iam:CreateServiceLinkedRole` on the new role's ARN, with `iam:AWSServiceName`: a role at
    /// `/aws-service-role/SERVICE/` that only the service may assume, named as IAM names it.
    CreateServiceLinkedRole(CreateServiceLinkedRoleRequest) -> CreateServiceLinkedRoleResponse;

    fn resource(cx, input) {
        Ok(format!(
            "arn:aws:iam::{}:role{}{}",
            cx.caller()?.account,
            service_linked::role_path(&input.aws_service_name),
            name(input)?
        ))
    }

    fn conditions(_cx, input) {
        Ok(vec![(
            "iam:AWSServiceName".to_owned(),
            vec![input.aws_service_name.clone()],
        )])
    }

    fn run(cx, input) {
        let role_name = name(&input)?;
        let role_name = &role_name;
        let plan = |p: &write::Plan<'_>| {
            let a = p.account;
            write::admit_named(&a.roles, role_name, quota::ROLES, || {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "Service role name {role_name} has been taken in this account, please try a different suffix."
                    ),
                )
            })?;
            let role = Role {
                name: role_name.clone(),
                id: write::new_id(UniqueIdKind::Role)?,
                path: service_linked::role_path(&input.aws_service_name),
                max_session_duration: DEFAULT_MAX_SESSION_DURATION,
                trust_policy: service_linked::trust_policy(&input.aws_service_name),
                inline_policies: Default::default(),
                managed_policies: Vec::new(),
                permissions_boundary: None,
                tags: Default::default(),
                description: input.description.clone(),
            };
            Ok((role.arn(&a.id), Entity::Role(role)))
        };
        write::create(cx, plan, |v, _| {
            Ok(CreateServiceLinkedRoleResponse {
                role: Some(shared::role(v.role(role_name)?, false)),
            })
        })
    }
}
