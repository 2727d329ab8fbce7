//! `iam:GetWorkloadIdentityTemplate`.

use keyturn_api::iam::{GetWorkloadIdentityTemplateRequest, GetWorkloadIdentityTemplateResponse};

use super::workload_identity::{self as wi, template_answer};
use crate::iam::WorkloadIdentityTemplate;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetWorkloadIdentityTemplate` on the template's ARN: the template and its tags,
    /// never its attestation policy (GetWorkloadIdentityTemplateAttestationPolicy reads that).
    GetWorkloadIdentityTemplate(GetWorkloadIdentityTemplateRequest)
        -> GetWorkloadIdentityTemplateResponse, on wi::template_on(workload_identity_template_arn);

    fn run(cx, input) {
        let (account, t) = wi::seen::<WorkloadIdentityTemplate>(cx, &input.workload_identity_template_arn)?;
        Ok(template_answer!(GetWorkloadIdentityTemplateResponse, &account.id, t))
    }
}
