//! `iam:TagPolicy`.

use keyturn_api::NoOutput;
use keyturn_api::iam::TagPolicyRequest;

use super::admin;
use super::write;
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:TagPolicy` on the policy's ARN, with `aws:RequestTag/…` and `aws:TagKeys`: adds tags to
/// a customer managed policy, replacing those with the same key (ignoring case); at most 50.
#[derive(Debug)]
pub struct TagPolicy;

impl Operation for TagPolicy {
    type Input = TagPolicyRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:TagPolicy");

    fn resource(_cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        admin::policy_resource(&input.policy_arn)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(write::tag_conditions(Some(&input.tags)))
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        admin::edit_policy(cx, &input.policy_arn, |_, policy| {
            policy.tags = write::tags(Some(&input.tags), &policy.tags)?;
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
