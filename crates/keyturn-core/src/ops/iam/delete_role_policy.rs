//! `iam:DeleteRolePolicy`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeleteRolePolicyRequest;

use super::admin;
use super::shared::{self, Kind};
use crate::ops::{Conditions, Context, Operation};
use crate::{Error, ErrorCode};

/// `iam:DeleteRolePolicy` on the role's ARN (with `iam:PermissionsBoundary`, the role's
/// boundary): removes an inline policy, from the next request on (for the role's sessions
/// too).
#[derive(Debug)]
pub struct DeleteRolePolicy;

impl Operation for DeleteRolePolicy {
    type Input = DeleteRolePolicyRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeleteRolePolicy");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Role, &input.role_name)
    }

    fn conditions(cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        admin::role_boundary_condition(cx, &input.role_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
