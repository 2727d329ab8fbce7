//! `iam:DeleteServiceLinkedRole`.

use keyturn_api::iam::{DeleteServiceLinkedRoleRequest, DeleteServiceLinkedRoleResponse};

use super::shared;
use super::{service_linked, write};
use crate::iam::EntityKind;
use crate::ops::prelude::*;

operation! {
    /// `iam:DeleteServiceLinkedRole` on the role's ARN: deletes a service-linked role at once (no
    /// linked service holds resources here) and answers the deletion task's id,
    /// `task/aws-service-role/SERVICE/ROLE/UUID`, which GetServiceLinkedRoleDeletionStatus reports
    /// as `SUCCEEDED`. The task is recorded in the account's dates, keyed by its id.
    DeleteServiceLinkedRole(DeleteServiceLinkedRoleRequest)
        -> DeleteServiceLinkedRoleResponse, on shared::role_arn(role_name);

    fn run(cx, input) {
        let uuid = uuid::Uuid::new_v4();
        let (task, _) = write::change(cx, |p| {
            write::view_of(cx, p.snapshot)?.role(&input.role_name)?;
            let Some(role) = p.account.role(&input.role_name) else {
                return Err(Error::new(ErrorCode::ServiceFailure, "role vanished"));
            };
            let Some(service) = role
                .path
                .strip_prefix(service_linked::PATH_PREFIX)
                .map(|s| s.trim_end_matches('/'))
            else {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("Role {} is not a service-linked role.", role.name),
                ));
            };
            let task = format!(
                "task{}{service}/{}/{uuid}",
                service_linked::PATH_PREFIX,
                role.name
            );
            p.forget(role.arn(&p.account.id));
            p.delete(EntityKind::Role, &role.name);
            p.created(task.clone());
            Ok(task)
        })?;
        Ok(DeleteServiceLinkedRoleResponse {
            deletion_task_id: task,
        })
    }
}
