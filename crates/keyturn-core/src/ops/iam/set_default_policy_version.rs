//! `iam:SetDefaultPolicyVersion`.

use crate::ops::prelude::*;
use keyturn_api::iam::SetDefaultPolicyVersionRequest;

use super::admin;

operation! {
    /// `iam:SetDefaultPolicyVersion` on the policy's ARN: makes a version the default, the one
    /// evaluated from the next request on (for every entity the policy is attached to).
    SetDefaultPolicyVersion(SetDefaultPolicyVersionRequest)
        -> NoOutput, on admin::policy_arn(policy_arn);

    fn run(cx, input) {
        admin::edit_version(cx, &input.policy_arn, &input.version_id, |policy| {
            policy.default_version.clone_from(&input.version_id);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
