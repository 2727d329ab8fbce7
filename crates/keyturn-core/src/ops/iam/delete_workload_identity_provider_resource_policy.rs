//! `iam:DeleteWorkloadIdentityProviderResourcePolicy`.

use keyturn_api::iam::{
    DeleteWorkloadIdentityProviderResourcePolicyRequest,
    DeleteWorkloadIdentityProviderResourcePolicyResponse,
};

use super::workload_identity as wi;
use crate::ops::prelude::*;

operation! {
    /// `iam:DeleteWorkloadIdentityProviderResourcePolicy` on the provider's ARN: removes the
    /// policy and keeps the provider; `NoSuchEntity` for a provider without one.
    DeleteWorkloadIdentityProviderResourcePolicy(DeleteWorkloadIdentityProviderResourcePolicyRequest)
        -> DeleteWorkloadIdentityProviderResourcePolicyResponse, on wi::provider_on(workload_identity_provider_arn);

    fn run(cx, input) {
        let arn = &input.workload_identity_provider_arn;
        wi::edit_provider(cx, arn, |p, _| {
            p.resource_policy.take().map(drop).ok_or_else(|| {
                Error::new(
                    ErrorCode::NoSuchEntity,
                    format!("The workload identity provider {arn} has no resource policy."),
                )
            })
        })?;
        Ok(DeleteWorkloadIdentityProviderResourcePolicyResponse::default())
    }
}
