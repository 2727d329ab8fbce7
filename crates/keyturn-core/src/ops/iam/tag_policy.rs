//! `iam:TagPolicy`.

use crate::ops::prelude::*;
use keyturn_api::iam::TagPolicyRequest;

use super::admin;
use super::write;

operation! {
    /// `iam:TagPolicy` on the policy's ARN, with `aws:RequestTag/…` and `aws:TagKeys`: adds tags to
    /// a customer managed policy, replacing those with the same key (ignoring case); at most 50.
    TagPolicy(TagPolicyRequest) -> NoOutput;

    fn resource(_cx, input) { admin::policy_resource(&input.policy_arn) }

    fn conditions(_cx, input) { Ok(write::tag_conditions(Some(&input.tags))) }

    fn run(cx, input) {
        admin::edit_policy(cx, &input.policy_arn, |_, policy| {
            policy.tags = write::tags(Some(&input.tags), &policy.tags)?;
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
