//! `iam:UpdateWorkloadIdentityProviderOutboundSigner`.

use keyturn_api::iam::{
    UpdateWorkloadIdentityProviderOutboundSignerRequest,
    UpdateWorkloadIdentityProviderOutboundSignerResponse,
};

use super::workload_identity as wi;
use super::workload_identity_signers as signers;
use crate::ops::prelude::*;

operation! {
    /// `iam:UpdateWorkloadIdentityProviderOutboundSigner` on the provider's ARN: rotates the
    /// slot of the named CA's key algorithm to it after `SigningDelayInHours` (default 24),
    /// cancels a pending rotation (the CA signing now), re-times one (the CA rotating in), or
    /// brings a stopped entry back as the incoming signer. A slot holds five entries; the
    /// oldest INACTIVE ones make room, else `LimitExceeded`.
    UpdateWorkloadIdentityProviderOutboundSigner(UpdateWorkloadIdentityProviderOutboundSignerRequest)
        -> UpdateWorkloadIdentityProviderOutboundSignerResponse, on wi::provider_on(workload_identity_provider_arn);

    fn run(cx, input) {
        let arn = &input.workload_identity_provider_arn;
        let entry = signers::incoming(cx, arn, &input.outbound_signer)?;
        let delay = signers::delay(input.signing_delay_in_hours, 24);
        wi::edit_provider(cx, arn, |p, now| signers::rotate(p, entry.clone(), now, delay))?;
        Ok(UpdateWorkloadIdentityProviderOutboundSignerResponse::default())
    }
}
