//! `iam:UntagPolicy`.

use keyturn_api::NoOutput;
use keyturn_api::iam::UntagPolicyRequest;

use super::admin;
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:UntagPolicy` on the policy's ARN, with `aws:TagKeys`: removes the tags with these keys
/// from a customer managed policy.
#[derive(Debug)]
pub struct UntagPolicy;

impl Operation for UntagPolicy {
    type Input = UntagPolicyRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:UntagPolicy");

    fn resource(_cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        admin::policy_resource(&input.policy_arn)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(admin::tag_keys_condition(&input.tag_keys))
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        admin::edit_policy(cx, &input.policy_arn, |_, policy| {
            admin::untag(&mut policy.tags, &input.tag_keys);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
