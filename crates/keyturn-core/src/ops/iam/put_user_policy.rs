//! `iam:PutUserPolicy`.

use keyturn_api::NoOutput;
use keyturn_api::iam::PutUserPolicyRequest;

use super::shared::{self, Kind};
use super::users_groups::{Holder, change_inline};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:PutUserPolicy` on the user's ARN: adds or replaces an inline policy. The document must be
/// an identity policy the compiler accepts (`MalformedPolicyDocument` with AWS's text otherwise),
/// and the user's inline policies together at most 2,048 characters, whitespace not counted
/// (`LimitExceeded`). It decides the very next request.
#[derive(Debug)]
pub struct PutUserPolicy;

impl Operation for PutUserPolicy {
    type Input = PutUserPolicyRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:PutUserPolicy");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::User, &input.user_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        change_inline(
            cx,
            Holder::User,
            &input.user_name,
            &input.policy_name,
            Some(&input.policy_document),
        )?;
        Ok(NoOutput)
    }
}
