//! `iam:GetUserPolicy`.

use keyturn_api::iam::{GetUserPolicyRequest, GetUserPolicyResponse};

use super::shared::{self, Kind};
use crate::ops::prelude::*;

operation! {
    /// `iam:GetUserPolicy` on the user's ARN: one inline policy, its document URL-encoded.
    GetUserPolicy(GetUserPolicyRequest) -> GetUserPolicyResponse;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::User, &input.user_name) }

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let p = v.user_policy(&input.user_name, &input.policy_name)?;
        Ok(GetUserPolicyResponse {
            user_name: input.user_name,
            policy_name: p.name,
            policy_document: p.document,
        })
    }
}
