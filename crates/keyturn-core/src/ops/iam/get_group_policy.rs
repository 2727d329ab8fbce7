//! `iam:GetGroupPolicy`.

use keyturn_api::iam::{GetGroupPolicyRequest, GetGroupPolicyResponse};

use super::shared::{self, Kind};
use crate::ops::prelude::*;

operation! {
    /// `iam:GetGroupPolicy` on the group's ARN: one inline policy, its document URL-encoded.
    GetGroupPolicy(GetGroupPolicyRequest) -> GetGroupPolicyResponse;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::Group, &input.group_name) }

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let p = v.group_policy(&input.group_name, &input.policy_name)?;
        Ok(GetGroupPolicyResponse {
            group_name: input.group_name,
            policy_name: p.name,
            policy_document: p.document,
        })
    }
}
