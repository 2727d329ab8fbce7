//! `iam:DeleteUserPermissionsBoundary`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteUserPermissionsBoundaryRequest;

use super::shared;
use super::users_groups::set_user_boundary;
use super::write;

operation! {
    /// `iam:DeleteUserPermissionsBoundary` on the user's ARN, with `iam:PermissionsBoundary` (the
    /// boundary being removed, when the user has one): the user's permissions are no longer
    /// limited by a boundary from the very next request. A user without one is no error.
    DeleteUserPermissionsBoundary(DeleteUserPermissionsBoundaryRequest)
        -> NoOutput, on shared::user_arn(user_name);

    fn conditions(cx, input) {
        let caller = cx.caller()?;
        let current = caller
            .snapshot
            .data
            .account(&caller.account)
            .and_then(|a| a.user(&input.user_name))
            .and_then(|u| u.permissions_boundary.as_deref());
        Ok(write::boundary_condition(current))
    }

    fn run(cx, input) {
        set_user_boundary(cx, &input.user_name, None)?;
        Ok(NoOutput)
    }
}
