//! `iam:GetWorkloadIdentityTemplateAttestationPolicy`.

use keyturn_api::iam::{
    GetWorkloadIdentityTemplateAttestationPolicyRequest,
    GetWorkloadIdentityTemplateAttestationPolicyResponse,
};

use super::workload_identity as wi;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetWorkloadIdentityTemplateAttestationPolicy` on the template's ARN: the policy as
    /// stored; `NoSuchEntity` for a template without one.
    GetWorkloadIdentityTemplateAttestationPolicy(GetWorkloadIdentityTemplateAttestationPolicyRequest)
        -> GetWorkloadIdentityTemplateAttestationPolicyResponse, on wi::template_on(workload_identity_template_arn);

    fn run(cx, input) {
        let caller = cx.caller()?;
        let arn = &input.workload_identity_template_arn;
        let (_, t) = wi::template(&caller.snapshot.data, &caller.account, arn)?;
        let policy = t.attestation_policy.clone().ok_or_else(|| no_policy(arn))?;
        Ok(GetWorkloadIdentityTemplateAttestationPolicyResponse {
            workload_identity_template_arn: arn.clone(),
            attestation_policy: policy,
        })
    }
}

/// `NoSuchEntity` for a template that holds no attestation policy.
pub(crate) fn no_policy(arn: &str) -> Error {
    Error::new(
        ErrorCode::NoSuchEntity,
        format!("The workload identity template {arn} has no attestation policy."),
    )
}
