//! `iam:GetWorkloadIdentityProvider`.

use keyturn_api::iam::{GetWorkloadIdentityProviderRequest, GetWorkloadIdentityProviderResponse};

use super::workload_identity::{self as wi, provider_answer};
use crate::iam::WorkloadIdentityProvider;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetWorkloadIdentityProvider` on the provider's ARN: the provider, its tags and its
    /// signers (at most ten per format, no retired entries), for its account or, when
    /// ORGANIZATION-scoped, any account of its organization.
    GetWorkloadIdentityProvider(GetWorkloadIdentityProviderRequest)
        -> GetWorkloadIdentityProviderResponse, on wi::provider_on(workload_identity_provider_arn);

    fn run(cx, input) {
        let (account, p) = wi::seen::<WorkloadIdentityProvider>(cx, &input.workload_identity_provider_arn)?;
        let now = cx.engine.clock().now();
        Ok(provider_answer!(GetWorkloadIdentityProviderResponse, cx, &account.id, p, now))
    }
}
