//! `iam:DeleteUserPolicy`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteUserPolicyRequest;

use super::shared::{self, Kind};
use super::users_groups::{Holder, change_inline};

operation! {
    /// `iam:DeleteUserPolicy` on the user's ARN: removes an inline policy (`NoSuchEntity` when the user
    /// has none of that name).
    DeleteUserPolicy(DeleteUserPolicyRequest) -> NoOutput;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::User, &input.user_name) }

    fn run(cx, input) {
        change_inline(cx, Holder::User, &input.user_name, &input.policy_name, None)?;
        Ok(NoOutput)
    }
}
