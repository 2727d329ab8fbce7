//! `iam:PutGroupPolicy`.

use keyturn_api::NoOutput;
use keyturn_api::iam::PutGroupPolicyRequest;

use super::shared::{self, Kind};
use super::users_groups::{Holder, change_inline};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:PutGroupPolicy` on the group's ARN: adds or replaces an inline policy. The document must be
/// an identity policy the compiler accepts (`MalformedPolicyDocument` with AWS's text otherwise),
/// and the group's inline policies together at most 5,120 characters, whitespace not counted
/// (`LimitExceeded`). It decides its members' very next request.
#[derive(Debug)]
pub struct PutGroupPolicy;

impl Operation for PutGroupPolicy {
    type Input = PutGroupPolicyRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:PutGroupPolicy");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Group, &input.group_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        change_inline(
            cx,
            Holder::Group,
            &input.group_name,
            &input.policy_name,
            Some(&input.policy_document),
        )?;
        Ok(NoOutput)
    }
}
