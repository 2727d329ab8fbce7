//! `iam:GetServiceLinkedRoleDeletionStatus`.

use keyturn_api::iam::{
    GetServiceLinkedRoleDeletionStatusRequest, GetServiceLinkedRoleDeletionStatusResponse,
};

use super::{service_linked, shared};
use crate::ops::prelude::*;

operation! {
    /// `iam:GetServiceLinkedRoleDeletionStatus` on the ARN of the role the task deleted: every task
    /// finishes at once here, so a known task is `SUCCEEDED`; an id that is not a task id is
    /// `InvalidInput`, an unknown task `NoSuchEntity`.
    GetServiceLinkedRoleDeletionStatus(GetServiceLinkedRoleDeletionStatusRequest)
        -> GetServiceLinkedRoleDeletionStatusResponse;

    fn resource(cx, input) {
        let id = &input.deletion_task_id;
        let (service, role) =
            service_linked::parse_task(id).ok_or_else(|| service_linked::invalid_task(id))?;
        Ok(format!(
            "arn:aws:iam::{}:role{}{role}",
            cx.caller()?.account,
            service_linked::role_path(service)
        ))
    }

    fn run(cx, input) {
        let v = shared::view(cx)?;
        if !v
            .account()
            .create_dates
            .contains_key(&input.deletion_task_id)
        {
            return Err(Error::new(
                ErrorCode::NoSuchEntity,
                format!("Deletion task {} cannot be found.", input.deletion_task_id),
            ));
        }
        Ok(GetServiceLinkedRoleDeletionStatusResponse {
            status: "SUCCEEDED".to_owned(),
            reason: None,
        })
    }
}
