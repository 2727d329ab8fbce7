//! `iam:SetDefaultPolicyVersion`.

use keyturn_api::NoOutput;
use keyturn_api::iam::SetDefaultPolicyVersionRequest;

use super::admin;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:SetDefaultPolicyVersion` on the policy's ARN: makes a version the default, the one
/// evaluated from the next request on (for every entity the policy is attached to).
#[derive(Debug)]
pub struct SetDefaultPolicyVersion;

impl Operation for SetDefaultPolicyVersion {
    type Input = SetDefaultPolicyVersionRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:SetDefaultPolicyVersion");

    fn resource(_cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        admin::policy_resource(&input.policy_arn)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        admin::edit_version(cx, &input.policy_arn, &input.version_id, |policy| {
            policy.default_version.clone_from(&input.version_id);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
