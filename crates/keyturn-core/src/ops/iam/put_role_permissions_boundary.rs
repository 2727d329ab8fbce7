//! `iam:PutRolePermissionsBoundary`.

use keyturn_api::NoOutput;
use keyturn_api::iam::PutRolePermissionsBoundaryRequest;

use super::admin;
use super::shared::{self, Kind};
use super::write;
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:PutRolePermissionsBoundary` on the role's ARN, with `iam:PermissionsBoundary` (the new
/// boundary): sets the managed policy that bounds the role's permissions, from the next
/// request on (its sessions included).
#[derive(Debug)]
pub struct PutRolePermissionsBoundary;

impl Operation for PutRolePermissionsBoundary {
    type Input = PutRolePermissionsBoundaryRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:PutRolePermissionsBoundary");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Role, &input.role_name)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(write::boundary_condition(Some(&input.permissions_boundary)))
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        admin::edit_role(cx, &input.role_name, |p, role| {
            write::boundary_attachable(p, &input.permissions_boundary)?;
            role.permissions_boundary = Some(input.permissions_boundary.clone());
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
