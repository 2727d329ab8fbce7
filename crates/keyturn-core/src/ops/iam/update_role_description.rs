//! `iam:UpdateRoleDescription`.

use keyturn_api::iam::{UpdateRoleDescriptionRequest, UpdateRoleDescriptionResponse};

use super::admin;
use super::shared;
use super::write;
use crate::ops::prelude::*;

operation! {
    /// `iam:UpdateRoleDescription` on the role's ARN: sets its description and answers the role.
    UpdateRoleDescription(UpdateRoleDescriptionRequest)
        -> UpdateRoleDescriptionResponse, on shared::role_arn(role_name);

    fn run(cx, input) {
        let ((), snapshot) = admin::edit_role(cx, &input.role_name, |_, role| {
            role.description = Some(input.description.clone());
            Ok(())
        })?;
        let v = write::view_of(cx, &snapshot)?;
        let mut role = v.role(&input.role_name)?;
        role.role_last_used = Some(shared::role_last_used(cx, &role.role_id));
        Ok(UpdateRoleDescriptionResponse { role: Some(role) })
    }
}
