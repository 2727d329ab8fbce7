//! `iam:GetWorkloadIdentityProviderResourcePolicy`.

use keyturn_api::iam::{
    GetWorkloadIdentityProviderResourcePolicyRequest,
    GetWorkloadIdentityProviderResourcePolicyResponse,
};

use super::workload_identity as wi;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetWorkloadIdentityProviderResourcePolicy` on the provider's ARN: the policy as
    /// stored; `NoSuchEntity` for a provider without one.
    GetWorkloadIdentityProviderResourcePolicy(GetWorkloadIdentityProviderResourcePolicyRequest)
        -> GetWorkloadIdentityProviderResourcePolicyResponse, on wi::provider_on(workload_identity_provider_arn);

    fn run(cx, input) {
        let caller = cx.caller()?;
        let arn = &input.workload_identity_provider_arn;
        let (_, p) = wi::provider(&caller.snapshot.data, &caller.account, arn)?;
        let policy = p.resource_policy.clone().ok_or_else(|| {
            Error::new(
                ErrorCode::NoSuchEntity,
                format!("The workload identity provider {arn} has no resource policy."),
            )
        })?;
        Ok(GetWorkloadIdentityProviderResourcePolicyResponse {
            arn: arn.clone(),
            policy_document: policy,
        })
    }
}
