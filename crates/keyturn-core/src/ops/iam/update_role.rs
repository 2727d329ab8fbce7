//! `iam:UpdateRole`.

use keyturn_api::iam::{UpdateRoleRequest, UpdateRoleResponse};

use super::admin;
use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:UpdateRole` on the role's ARN: sets its description and/or maximum session duration
    /// (the next AssumeRole is held to the new maximum).
    UpdateRole(UpdateRoleRequest) -> UpdateRoleResponse, on shared::role_arn(role_name);

    fn run(cx, input) {
        let duration = input
            .max_session_duration
            .map(admin::session_duration)
            .transpose()?;
        admin::edit_role(cx, &input.role_name, |_, role| {
            if let Some(d) = &input.description {
                role.description = Some(d.clone());
            }
            if let Some(n) = duration {
                role.max_session_duration = n;
            }
            Ok(())
        })?;
        Ok(UpdateRoleResponse {})
    }
}
