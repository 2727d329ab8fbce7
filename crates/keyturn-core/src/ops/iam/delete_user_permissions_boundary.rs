//! `iam:DeleteUserPermissionsBoundary`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteUserPermissionsBoundaryRequest;

use super::admin;
use super::shared::{self, Kind};
use super::users_groups::set_user_boundary;

operation! {
    /// `iam:DeleteUserPermissionsBoundary` on the user's ARN, with `iam:PermissionsBoundary` (the
    /// boundary being removed, when the user has one): the user's permissions are no longer
    /// limited by a boundary from the very next request. A user without one is no error.
    DeleteUserPermissionsBoundary(DeleteUserPermissionsBoundaryRequest)
        -> NoOutput, on shared::user_arn(user_name);

    fn conditions(cx, input) { admin::boundary_condition_of(cx, Kind::User, &input.user_name) }

    fn run(cx, input) {
        set_user_boundary(cx, &input.user_name, None)?;
        Ok(NoOutput)
    }
}
