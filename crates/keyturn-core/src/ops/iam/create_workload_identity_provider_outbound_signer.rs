//! `iam:CreateWorkloadIdentityProviderOutboundSigner`.

use keyturn_api::iam::{
    CreateWorkloadIdentityProviderOutboundSignerRequest,
    CreateWorkloadIdentityProviderOutboundSignerResponse,
};

use super::workload_identity as wi;
use super::workload_identity_signers as signers;
use super::write;
use crate::ops::prelude::*;

operation! {
    /// `iam:CreateWorkloadIdentityProviderOutboundSigner` on the provider's ARN: attaches a
    /// certificate authority (Keyturn's stand-in for AWS Private CA: declared, ACTIVE) as an
    /// X.509 signer in the empty slot of its key algorithm. The entry is IN_TRANSITION, its CA
    /// certificate published, for `SigningDelayInHours` (default 1), then signs.
    CreateWorkloadIdentityProviderOutboundSigner(CreateWorkloadIdentityProviderOutboundSignerRequest)
        -> CreateWorkloadIdentityProviderOutboundSignerResponse, on wi::provider_on(workload_identity_provider_arn);

    fn run(cx, input) {
        let arn = &input.workload_identity_provider_arn;
        let entry = signers::incoming(cx, arn, &input.outbound_signer)?;
        let alg = entry.key_algorithm;
        let delay = signers::delay(input.signing_delay_in_hours, 1);
        wi::edit_provider(cx, arn, |p, now| {
            if p.slot(alg).next().is_some() {
                return Err(write::exists(format!(
                    "The provider already has an X.509 signer for key algorithm {}. Use \
                     UpdateWorkloadIdentityProviderOutboundSigner to rotate it.",
                    alg.as_str()
                )));
            }
            signers::record(p, entry.clone(), now + delay);
            Ok(())
        })?;
        Ok(CreateWorkloadIdentityProviderOutboundSignerResponse::default())
    }
}
