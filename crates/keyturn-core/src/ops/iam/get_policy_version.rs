//! `iam:GetPolicyVersion`.

use keyturn_api::iam::{GetPolicyVersionRequest, GetPolicyVersionResponse, PolicyVersion};

use super::admin;
use super::shared;
use crate::engine::view::PolicyVersionInfo;
use crate::ops::prelude::*;

/// A policy version as IAM writes it (document URL-encoded).
pub(crate) fn version(v: PolicyVersionInfo) -> PolicyVersion {
    PolicyVersion {
        document: Some(v.document),
        version_id: Some(v.version_id),
        is_default_version: Some(v.is_default_version),
        create_date: Some(v.create_date),
    }
}

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
            policy_version: Some(version(found)),
        })
    }
}
