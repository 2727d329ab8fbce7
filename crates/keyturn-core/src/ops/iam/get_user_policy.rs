//! `iam:GetUserPolicy`.

use keyturn_api::iam::{GetUserPolicyRequest, GetUserPolicyResponse};

use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:GetUserPolicy` on the user's ARN: one inline policy, its document URL-encoded.
#[derive(Debug)]
pub struct GetUserPolicy;

impl Operation for GetUserPolicy {
    type Input = GetUserPolicyRequest;
    type Output = GetUserPolicyResponse;
    const ACTION: Option<&'static str> = Some("iam:GetUserPolicy");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::User, &input.user_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let p = v.user_policy(&input.user_name, &input.policy_name)?;
        Ok(GetUserPolicyResponse {
            user_name: input.user_name,
            policy_name: p.name,
            policy_document: p.document,
        })
    }
}
