//! `iam:GetWorkloadIdentityProviderDeletionStatus`.

use keyturn_api::iam::{
    GetWorkloadIdentityProviderDeletionStatusRequest,
    GetWorkloadIdentityProviderDeletionStatusResponse,
};

use super::workload_identity as wi;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetWorkloadIdentityProviderDeletionStatus` on `*`: the status of a deletion the
    /// caller's account sent, while its id is readable (24 hours). Keyturn deletes at once, so
    /// a readable task has SUCCEEDED.
    GetWorkloadIdentityProviderDeletionStatus(GetWorkloadIdentityProviderDeletionStatusRequest)
        -> GetWorkloadIdentityProviderDeletionStatusResponse;

    fn run(cx, input) {
        let caller = cx.caller()?;
        let now = cx.engine.clock().now();
        let task = caller
            .snapshot
            .data
            .account(&caller.account)
            .and_then(|a| a.workload_deletion_tasks.iter().find(|t| t.id == input.deletion_task_id))
            .filter(|t| wi::time_of(&t.expiration_time) > now)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NoSuchEntity,
                    format!("The deletion task {} does not exist or has expired.", input.deletion_task_id),
                )
            })?;
        Ok(GetWorkloadIdentityProviderDeletionStatusResponse {
            workload_identity_provider_arn: task.provider_arn.clone(),
            status: "SUCCEEDED".to_owned(),
        })
    }
}
