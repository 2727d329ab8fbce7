//! `iam:DeletePolicyVersion`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeletePolicyVersionRequest;

use super::admin;
use crate::ops::{Context, Operation};
use crate::{Error, ErrorCode};

/// `iam:DeletePolicyVersion` on the policy's ARN: deletes a version that is not the default.
#[derive(Debug)]
pub struct DeletePolicyVersion;

impl Operation for DeletePolicyVersion {
    type Input = DeletePolicyVersionRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeletePolicyVersion");

    fn resource(_cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        admin::policy_resource(&input.policy_arn)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
