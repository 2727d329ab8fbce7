//! `iam:PutRolePermissionsBoundary`.

use crate::ops::prelude::*;
use keyturn_api::iam::PutRolePermissionsBoundaryRequest;

use super::admin;
use super::shared;
use super::write;

operation! {
    /// `iam:PutRolePermissionsBoundary` on the role's ARN, with `iam:PermissionsBoundary` (the new
    /// boundary): sets the managed policy that bounds the role's permissions, from the next
    /// request on (its sessions included).
    PutRolePermissionsBoundary(PutRolePermissionsBoundaryRequest)
        -> NoOutput, on shared::role_arn(role_name), when write::new_boundary(permissions_boundary);

    fn run(cx, input) {
        admin::edit_role(cx, &input.role_name, |p, role| {
            write::boundary_attachable(p, &input.permissions_boundary)?;
            role.permissions_boundary = Some(input.permissions_boundary.clone());
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
