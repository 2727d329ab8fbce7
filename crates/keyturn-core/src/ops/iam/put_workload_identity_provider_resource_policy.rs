//! `iam:PutWorkloadIdentityProviderResourcePolicy`.

use keyturn_api::iam::{
    PutWorkloadIdentityProviderResourcePolicyRequest,
    PutWorkloadIdentityProviderResourcePolicyResponse,
};

use super::workload_identity as wi;
use crate::ops::prelude::*;

operation! {
    /// `iam:PutWorkloadIdentityProviderResourcePolicy` on the provider's ARN: attaches the
    /// resource policy (a valid resource-based policy, kept as given) or replaces the one
    /// attached.
    PutWorkloadIdentityProviderResourcePolicy(PutWorkloadIdentityProviderResourcePolicyRequest)
        -> PutWorkloadIdentityProviderResourcePolicyResponse, on wi::provider_on(workload_identity_provider_arn);

    fn run(cx, input) {
        wi::check_policy(&input.policy_document)?;
        wi::edit_provider(cx, &input.workload_identity_provider_arn, |p, _| {
            p.resource_policy = Some(input.policy_document.clone());
            Ok(())
        })?;
        Ok(PutWorkloadIdentityProviderResourcePolicyResponse::default())
    }
}
