//! `iam:UpdateWorkloadIdentityProviderOutboundSigner`.

use keyturn_api::iam::{
    UpdateWorkloadIdentityProviderOutboundSignerRequest,
    UpdateWorkloadIdentityProviderOutboundSignerResponse,
};

use super::workload_identity as wi;
use super::workload_identity_signers::{self as signers, attachable_ca, x509_member};
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
        let caller = cx.caller()?;
        let arn = &input.workload_identity_provider_arn;
        wi::owned_provider(&caller.snapshot.data, &caller.account, arn)?;
        let requested = x509_member(&input.outbound_signer)?;
        let ca = attachable_ca(&caller.snapshot.data, requested)?.clone();
        let entry = cx.engine.new_x509_signer(&requested.account_id, &ca, cx.engine.clock().now(), 0)?;
        let delay = signers::delay(input.signing_delay_in_hours, 24);
        wi::edit_provider(cx, arn, |p, now| signers::rotate(p, entry.clone(), now, delay))?;
        Ok(UpdateWorkloadIdentityProviderOutboundSignerResponse::default())
    }
}
