//! `iam:PutWorkloadIdentityTemplateAttestationPolicy`.

use keyturn_api::iam::{
    PutWorkloadIdentityTemplateAttestationPolicyRequest,
    PutWorkloadIdentityTemplateAttestationPolicyResponse,
};

use super::workload_identity as wi;
use crate::ops::prelude::*;

operation! {
    /// `iam:PutWorkloadIdentityTemplateAttestationPolicy` on the template's ARN: sets the
    /// attestation policy (an upsert). The policy is a valid resource-based policy whose
    /// conditions on attested values name only the template's placeholders.
    PutWorkloadIdentityTemplateAttestationPolicy(PutWorkloadIdentityTemplateAttestationPolicyRequest)
        -> PutWorkloadIdentityTemplateAttestationPolicyResponse, on wi::template_on(workload_identity_template_arn);

    fn run(cx, input) {
        wi::edit_template(cx, &input.workload_identity_template_arn, |t| {
            wi::check_attestation_policy(&input.attestation_policy, &t.path_pattern)?;
            t.attestation_policy = Some(input.attestation_policy.clone());
            Ok(())
        })?;
        Ok(PutWorkloadIdentityTemplateAttestationPolicyResponse::default())
    }
}
