//! `iam:DisableWorkloadIdentityProviderOutboundSigner`.

use keyturn_api::iam::{
    DisableWorkloadIdentityProviderOutboundSignerRequest,
    DisableWorkloadIdentityProviderOutboundSignerResponse,
};

use super::workload_identity as wi;
use super::workload_identity_signers as signers;
use crate::ops::prelude::*;

operation! {
    /// `iam:DisableWorkloadIdentityProviderOutboundSigner` on the provider's ARN: every X.509
    /// entry signing or waiting to sign stops now and stays VALIDATING for 12 hours. Idempotent;
    /// JWT is refused.
    DisableWorkloadIdentityProviderOutboundSigner(DisableWorkloadIdentityProviderOutboundSignerRequest)
        -> DisableWorkloadIdentityProviderOutboundSignerResponse, on wi::provider_on(workload_identity_provider_arn);

    fn run(cx, input) {
        signers::x509_type(&input.signer_type)?;
        wi::edit_provider(cx, &input.workload_identity_provider_arn, |p, now| {
            signers::disable(p, now);
            Ok(())
        })?;
        Ok(DisableWorkloadIdentityProviderOutboundSignerResponse::default())
    }
}
