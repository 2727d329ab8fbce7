//! `iam:DeleteRolePermissionsBoundary`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeleteRolePermissionsBoundaryRequest;

use super::admin;
use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:DeleteRolePermissionsBoundary` on the role's ARN, with `iam:PermissionsBoundary` (the
/// current boundary): removes the role's permissions boundary.
#[derive(Debug)]
pub struct DeleteRolePermissionsBoundary;

impl Operation for DeleteRolePermissionsBoundary {
    type Input = DeleteRolePermissionsBoundaryRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeleteRolePermissionsBoundary");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Role, &input.role_name)
    }

    fn conditions(cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        admin::role_boundary_condition(cx, &input.role_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        admin::edit_role(cx, &input.role_name, |_, role| {
            role.permissions_boundary = None;
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
