//! `iam:GetPolicyVersion`.

use keyturn_api::iam::{GetPolicyVersionRequest, GetPolicyVersionResponse};

use super::admin;
use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetPolicyVersion` on the policy's ARN: one version of a managed policy (the model keeps
    /// one, the default).
    GetPolicyVersion(GetPolicyVersionRequest)
        -> GetPolicyVersionResponse, on admin::policy_arn(policy_arn);

    // AWS managed policies (`arn:aws:iam::aws:policy/…`) belong to no account: the engine
    // authorizes reading them with the caller's identity policies alone.

    fn run(cx, input) {
        let found = shared::view(cx)?.policy_version(&input.policy_arn, &input.version_id)?;
        Ok(GetPolicyVersionResponse {
            policy_version: Some(found),
        })
    }
}
