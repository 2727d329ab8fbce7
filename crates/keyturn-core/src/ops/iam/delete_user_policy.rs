//! `iam:DeleteUserPolicy`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeleteUserPolicyRequest;

use super::shared::{self, Kind};
use super::users_groups::{Holder, change_inline};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:DeleteUserPolicy` on the user's ARN: removes an inline policy (`NoSuchEntity` when the user
/// has none of that name).
#[derive(Debug)]
pub struct DeleteUserPolicy;

impl Operation for DeleteUserPolicy {
    type Input = DeleteUserPolicyRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeleteUserPolicy");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::User, &input.user_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        change_inline(cx, Holder::User, &input.user_name, &input.policy_name, None)?;
        Ok(NoOutput)
    }
}
