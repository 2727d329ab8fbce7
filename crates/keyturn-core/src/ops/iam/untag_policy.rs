//! `iam:UntagPolicy`.

use crate::ops::prelude::*;
use keyturn_api::iam::UntagPolicyRequest;

use super::admin;

operation! {
    /// `iam:UntagPolicy` on the policy's ARN, with `aws:TagKeys`: removes the tags with these keys
    /// from a customer managed policy.
    UntagPolicy(UntagPolicyRequest) -> NoOutput;

    fn resource(_cx, input) { admin::policy_resource(&input.policy_arn) }

    fn conditions(_cx, input) { Ok(admin::tag_keys_condition(&input.tag_keys)) }

    fn run(cx, input) {
        admin::edit_policy(cx, &input.policy_arn, |_, policy| {
            admin::untag(&mut policy.tags, &input.tag_keys);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
