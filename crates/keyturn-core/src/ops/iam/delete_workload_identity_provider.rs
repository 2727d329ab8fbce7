//! `iam:DeleteWorkloadIdentityProvider`.

use keyturn_api::iam::{
    DeleteWorkloadIdentityProviderRequest, DeleteWorkloadIdentityProviderResponse,
};
use time::Duration;

use super::workload_identity as wi;
use crate::iam::workload::{DELETION_TASK_HOURS, WorkloadDeletionTask};
use crate::iam::{Change, Entity, EntityKind, WorkloadIdentityProvider};
use crate::ops::prelude::*;

/// A fresh deletion task id: `task/workload-identity-provider/NAME/UUID`.
fn task_id(name: &str) -> String {
    format!(
        "task/workload-identity-provider/{name}/{}",
        uuid::Uuid::new_v4()
    )
}

operation! {
    /// `iam:DeleteWorkloadIdentityProvider` on the provider's ARN: deletes an empty provider
    /// (no template references it, no X.509 signer is left: `DeleteConflict`) and answers a
    /// deletion task id the caller's account can read for 24 hours.
    DeleteWorkloadIdentityProvider(DeleteWorkloadIdentityProviderRequest)
        -> DeleteWorkloadIdentityProviderResponse, on wi::provider_on(workload_identity_provider_arn);

    fn run(cx, input) {
        let arn = &input.workload_identity_provider_arn;
        let (task, _) = wi::commit(cx, |s, caller, now| {
            let (account, p) = wi::owned::<WorkloadIdentityProvider>(&s.data, caller, arn)?;
            let referenced = s
                .data
                .accounts
                .iter()
                .flat_map(|a| &a.workload_identity_templates)
                .any(|t| t.provider_arn == *arn);
            if referenced {
                return Err(Error::new(
                    ErrorCode::DeleteConflict,
                    "Cannot delete a workload identity provider that workload identity templates reference.",
                ));
            }
            if !p.x509_signers.is_empty() {
                return Err(Error::new(
                    ErrorCode::DeleteConflict,
                    "Cannot delete a workload identity provider that has X.509 outbound signers. Delete them first.",
                ));
            }
            let task = WorkloadDeletionTask {
                id: task_id(&p.name),
                provider_arn: arn.clone(),
                expiration_time: crate::clock::iso8601(now + Duration::hours(DELETION_TASK_HOURS)),
            };
            let mut changes = vec![Change::Delete {
                account: account.id.clone(),
                kind: EntityKind::WorkloadIdentityProvider,
                name: p.id.clone(),
            }];
            // Tasks past their 24 hours go with the next deletion.
            if let Some(own) = s.data.account(caller) {
                for old in &own.workload_deletion_tasks {
                    if wi::time_of(&old.expiration_time) <= now {
                        changes.push(Change::Delete {
                            account: caller.to_owned(),
                            kind: EntityKind::WorkloadDeletionTask,
                            name: old.id.clone(),
                        });
                    }
                }
            }
            changes.push(Change::Put {
                account: caller.to_owned(),
                entity: Entity::WorkloadDeletionTask(task.clone()),
            });
            Ok((changes, task.id))
        })?;
        Ok(DeleteWorkloadIdentityProviderResponse {
            deletion_task_id: Some(task),
        })
    }
}
