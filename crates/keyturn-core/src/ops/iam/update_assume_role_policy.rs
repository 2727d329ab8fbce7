//! `iam:UpdateAssumeRolePolicy`.

use keyturn_api::NoOutput;
use keyturn_api::iam::UpdateAssumeRolePolicyRequest;

use super::admin;
use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:UpdateAssumeRolePolicy` on the role's ARN: replaces the trust policy (checked as
/// CreateRole checks it). The next AssumeRole is decided by the new policy; sessions already
/// issued stay valid, as in IAM.
#[derive(Debug)]
pub struct UpdateAssumeRolePolicy;

impl Operation for UpdateAssumeRolePolicy {
    type Input = UpdateAssumeRolePolicyRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:UpdateAssumeRolePolicy");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Role, &input.role_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let trust = admin::trust_policy(&input.policy_document)?;
        admin::edit_role(cx, &input.role_name, |p, role| {
            admin::check_principals(&p.snapshot.data, &trust)?;
            role.trust_policy.clone_from(&trust);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
