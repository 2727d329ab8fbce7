//! `iam:DeleteWorkloadIdentityTemplateAttestationPolicy`.

use keyturn_api::iam::{
    DeleteWorkloadIdentityTemplateAttestationPolicyRequest,
    DeleteWorkloadIdentityTemplateAttestationPolicyResponse,
};

use super::get_workload_identity_template_attestation_policy::no_policy;
use super::workload_identity as wi;
use crate::ops::prelude::*;

operation! {
    /// `iam:DeleteWorkloadIdentityTemplateAttestationPolicy` on the template's ARN: removes the
    /// policy (the template then admits nothing); `NoSuchEntity` for a template without one.
    DeleteWorkloadIdentityTemplateAttestationPolicy(DeleteWorkloadIdentityTemplateAttestationPolicyRequest)
        -> DeleteWorkloadIdentityTemplateAttestationPolicyResponse, on wi::template_on(workload_identity_template_arn);

    fn run(cx, input) {
        let arn = &input.workload_identity_template_arn;
        wi::edit_template(cx, arn, |t| t.attestation_policy.take().map(drop).ok_or_else(|| no_policy(arn)))?;
        Ok(DeleteWorkloadIdentityTemplateAttestationPolicyResponse::default())
    }
}
