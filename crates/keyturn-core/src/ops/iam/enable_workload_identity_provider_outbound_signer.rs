//! `iam:EnableWorkloadIdentityProviderOutboundSigner`.

use keyturn_api::iam::{
    EnableWorkloadIdentityProviderOutboundSignerRequest,
    EnableWorkloadIdentityProviderOutboundSignerResponse,
};

use super::workload_identity as wi;
use super::workload_identity_signers as signers;
use crate::ops::prelude::*;

operation! {
    /// `iam:EnableWorkloadIdentityProviderOutboundSigner` on the provider's ARN: in each slot
    /// with nothing signing or waiting, the entry that stopped most recently (not one a
    /// cancelled rotation stopped) is IN_TRANSITION again and signs after
    /// `SigningDelayInHours` (default 1). JWT is refused.
    EnableWorkloadIdentityProviderOutboundSigner(EnableWorkloadIdentityProviderOutboundSignerRequest)
        -> EnableWorkloadIdentityProviderOutboundSignerResponse, on wi::provider_on(workload_identity_provider_arn);

    fn run(cx, input) {
        signers::x509_type(&input.signer_type)?;
        let delay = signers::delay(input.signing_delay_in_hours, 1);
        wi::edit_provider(cx, &input.workload_identity_provider_arn, |p, now| {
            signers::enable(p, now, delay);
            Ok(())
        })?;
        Ok(EnableWorkloadIdentityProviderOutboundSignerResponse::default())
    }
}
