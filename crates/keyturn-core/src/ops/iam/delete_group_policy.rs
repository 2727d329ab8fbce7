//! `iam:DeleteGroupPolicy`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeleteGroupPolicyRequest;

use super::shared::{self, Kind};
use super::users_groups::{Holder, change_inline};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:DeleteGroupPolicy` on the group's ARN: removes an inline policy (`NoSuchEntity` when the
/// group has none of that name).
#[derive(Debug)]
pub struct DeleteGroupPolicy;

impl Operation for DeleteGroupPolicy {
    type Input = DeleteGroupPolicyRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeleteGroupPolicy");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Group, &input.group_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
