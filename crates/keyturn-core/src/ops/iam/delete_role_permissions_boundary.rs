//! `iam:DeleteRolePermissionsBoundary`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteRolePermissionsBoundaryRequest;

use super::admin;
use super::shared::{self, Kind};

operation! {
    /// `iam:DeleteRolePermissionsBoundary` on the role's ARN, with `iam:PermissionsBoundary` (the
    /// current boundary): removes the role's permissions boundary.
    DeleteRolePermissionsBoundary(DeleteRolePermissionsBoundaryRequest)
        -> NoOutput, on shared::role_arn(role_name);

    fn conditions(cx, input) { admin::boundary_condition_of(cx, Kind::Role, &input.role_name) }

    fn run(cx, input) {
        admin::edit_role(cx, &input.role_name, |_, role| {
            role.permissions_boundary = None;
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
