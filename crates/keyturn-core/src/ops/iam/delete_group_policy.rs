//! `iam:DeleteGroupPolicy`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteGroupPolicyRequest;

use super::shared::{self, Kind};
use super::users_groups::{Holder, change_inline};

operation! {
    /// `iam:DeleteGroupPolicy` on the group's ARN: removes an inline policy (`NoSuchEntity` when the
    /// group has none of that name).
    DeleteGroupPolicy(DeleteGroupPolicyRequest) -> NoOutput;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::Group, &input.group_name) }

    fn run(cx, input) {
        change_inline(
            cx,
            Holder::Group,
            &input.group_name,
            &input.policy_name,
            None,
        )?;
        Ok(NoOutput)
    }
}
