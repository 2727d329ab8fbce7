//! `iam:DeleteWorkloadIdentityTemplate`.

use keyturn_api::iam::{
    DeleteWorkloadIdentityTemplateRequest, DeleteWorkloadIdentityTemplateResponse,
};

use super::workload_identity as wi;
use crate::iam::{Change, EntityKind, WorkloadIdentityTemplate};
use crate::ops::prelude::*;

operation! {
    /// `iam:DeleteWorkloadIdentityTemplate` on the template's ARN: deletes it (a template
    /// created again under the name gets a new id); `NoSuchEntity` when there is none.
    DeleteWorkloadIdentityTemplate(DeleteWorkloadIdentityTemplateRequest)
        -> DeleteWorkloadIdentityTemplateResponse, on wi::template_on(workload_identity_template_arn);

    fn run(cx, input) {
        let arn = &input.workload_identity_template_arn;
        wi::commit(cx, |s, caller, _| {
            let (account, t) = wi::owned::<WorkloadIdentityTemplate>(&s.data, caller, arn)?;
            let change = Change::Delete {
                account: account.id.clone(),
                kind: EntityKind::WorkloadIdentityTemplate,
                name: t.id.clone(),
            };
            Ok((vec![change], ()))
        })?;
        Ok(DeleteWorkloadIdentityTemplateResponse {
            workload_identity_template_arn: arn.clone(),
            status: "SUCCEEDED".to_owned(),
        })
    }
}
