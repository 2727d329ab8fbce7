//! `iam:PutUserPermissionsBoundary`.

use crate::ops::prelude::*;
use keyturn_api::iam::PutUserPermissionsBoundaryRequest;

use super::shared;
use super::users_groups::set_user_boundary;
use super::write;

operation! {
    /// `iam:PutUserPermissionsBoundary` on the user's ARN, with `iam:PermissionsBoundary` (the new
    /// boundary): sets or replaces the user's permissions boundary, which must be an attachable
    /// managed policy (a customer managed policy of the account, or an AWS managed policy). It
    /// limits the user's very next request.
    PutUserPermissionsBoundary(PutUserPermissionsBoundaryRequest)
        -> NoOutput, on shared::user_arn(user_name), when write::new_boundary(permissions_boundary);

    fn run(cx, input) {
        set_user_boundary(cx, &input.user_name, Some(&input.permissions_boundary))?;
        Ok(NoOutput)
    }
}
