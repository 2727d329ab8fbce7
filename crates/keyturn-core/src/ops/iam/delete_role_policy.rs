//! `iam:DeleteRolePolicy`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteRolePolicyRequest;

use super::admin;
use super::shared::{self, Kind};

operation! {
    /// `iam:DeleteRolePolicy` on the role's ARN (with `iam:PermissionsBoundary`, the role's
    /// boundary): removes an inline policy, from the next request on (for the role's sessions
    /// too).
    DeleteRolePolicy(DeleteRolePolicyRequest) -> NoOutput;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::Role, &input.role_name) }

    fn conditions(cx, input) { admin::role_boundary_condition(cx, &input.role_name) }

    fn run(cx, input) {
        admin::edit_role(cx, &input.role_name, |_, role| {
            role.inline_policies
                .remove(&input.policy_name)
                .map(|_| ())
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::NoSuchEntity,
                        format!(
                            "The role policy with name {} cannot be found.",
                            input.policy_name
                        ),
                    )
                })
        })?;
        Ok(NoOutput)
    }
}
