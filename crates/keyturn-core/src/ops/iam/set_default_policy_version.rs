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
        let (arn, id) = (&input.policy_arn, &input.version_id);
        admin::edit_policy(cx, arn, |_, policy| {
            admin::no_such_version(policy, arn, id)?;
            policy.default_version.clone_from(id);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
