//! `iam:GetRolePolicy`.

use keyturn_api::iam::{GetRolePolicyRequest, GetRolePolicyResponse};

use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:GetRolePolicy` on the role's ARN: one inline policy, its document URL-encoded.
#[derive(Debug)]
pub struct GetRolePolicy;

impl Operation for GetRolePolicy {
    type Input = GetRolePolicyRequest;
    type Output = GetRolePolicyResponse;
    const ACTION: Option<&'static str> = Some("iam:GetRolePolicy");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Role, &input.role_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let p = v.role_policy(&input.role_name, &input.policy_name)?;
        Ok(GetRolePolicyResponse {
            role_name: input.role_name,
            policy_name: p.name,
            policy_document: p.document,
        })
    }
}
