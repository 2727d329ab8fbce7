//! `iam:GetRolePolicy`.

use keyturn_api::iam::{GetRolePolicyRequest, GetRolePolicyResponse};

use super::shared::{self, Kind};
use crate::ops::prelude::*;

operation! {
    /// `iam:GetRolePolicy` on the role's ARN: one inline policy, its document URL-encoded.
    GetRolePolicy(GetRolePolicyRequest) -> GetRolePolicyResponse;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::Role, &input.role_name) }

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let p = v.role_policy(&input.role_name, &input.policy_name)?;
        Ok(GetRolePolicyResponse {
            role_name: input.role_name,
            policy_name: p.name,
            policy_document: p.document,
        })
    }
}
