//! `iam:GetGroupPolicy`.

use keyturn_api::iam::{GetGroupPolicyRequest, GetGroupPolicyResponse};

use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:GetGroupPolicy` on the group's ARN: one inline policy, its document URL-encoded.
#[derive(Debug)]
pub struct GetGroupPolicy;

impl Operation for GetGroupPolicy {
    type Input = GetGroupPolicyRequest;
    type Output = GetGroupPolicyResponse;
    const ACTION: Option<&'static str> = Some("iam:GetGroupPolicy");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Group, &input.group_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let p = v.group_policy(&input.group_name, &input.policy_name)?;
        Ok(GetGroupPolicyResponse {
            group_name: input.group_name,
            policy_name: p.name,
            policy_document: p.document,
        })
    }
}
