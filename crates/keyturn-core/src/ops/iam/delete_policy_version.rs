//! `iam:DeletePolicyVersion`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeletePolicyVersionRequest;

use super::admin;

operation! {
    /// `iam:DeletePolicyVersion` on the policy's ARN: deletes a version that is not the default.
    DeletePolicyVersion(DeletePolicyVersionRequest) -> NoOutput, on admin::policy_arn(policy_arn);

    fn run(cx, input) {
        let id = &input.version_id;
        admin::edit_version(cx, &input.policy_arn, id, |policy| {
            if policy.default_version == *id {
                return Err(Error::new(
                    ErrorCode::DeleteConflict,
                    "Cannot delete the default version of a policy.",
                ));
            }
            policy.versions.retain(|v| v.id != *id);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
