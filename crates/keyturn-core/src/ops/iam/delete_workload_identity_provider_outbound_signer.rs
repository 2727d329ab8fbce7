//! `iam:DeleteWorkloadIdentityProviderOutboundSigner`.

use keyturn_api::iam::{
    DeleteWorkloadIdentityProviderOutboundSignerRequest,
    DeleteWorkloadIdentityProviderOutboundSignerResponse,
};

use super::workload_identity::{self as wi, invalid};
use super::workload_identity_signers::x509_member;
use crate::iam::workload::SignerStatus;
use crate::ops::prelude::*;

operation! {
    /// `iam:DeleteWorkloadIdentityProviderOutboundSigner` on the provider's ARN: removes the
    /// X.509 entry of the named CA (its trust material is no longer published). An ACTIVE or
    /// IN_TRANSITION entry is refused: disable it first.
    DeleteWorkloadIdentityProviderOutboundSigner(DeleteWorkloadIdentityProviderOutboundSignerRequest)
        -> DeleteWorkloadIdentityProviderOutboundSignerResponse, on wi::provider_on(workload_identity_provider_arn);

    fn run(cx, input) {
        let ca = x509_member(&input.outbound_signer)?;
        let (id, account) = (&ca.certificate_authority_id, &ca.account_id);
        wi::edit_provider(cx, &input.workload_identity_provider_arn, |p, now| {
            let at = p.x509_signers.iter().position(|s| s.is_ca(id, account)).ok_or_else(|| {
                Error::new(
                    ErrorCode::NoSuchEntity,
                    format!("The provider has no X.509 signer of certificate authority {id} of account {account}."),
                )
            })?;
            let status = p.x509_signers[at].status_at(now);
            if matches!(status, SignerStatus::Active | SignerStatus::InTransition) {
                return Err(invalid(format!(
                    "The X.509 signer of certificate authority {id} is {}: disable it first.",
                    status.as_str()
                )));
            }
            p.x509_signers.remove(at);
            Ok(())
        })?;
        Ok(DeleteWorkloadIdentityProviderOutboundSignerResponse {
            workload_identity_provider_arn: input.workload_identity_provider_arn.clone(),
            outbound_signer: input.outbound_signer.clone(),
            status: "SUCCEEDED".to_owned(),
        })
    }
}
