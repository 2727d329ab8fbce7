//! `iam:GetRole`.

use keyturn_api::iam::{GetRoleRequest, GetRoleResponse};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetRole` on the role's ARN: the role with its trust policy (URL-encoded), boundary and
    /// tags.
    GetRole(GetRoleRequest) -> GetRoleResponse, on shared::role_arn(role_name);

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let mut role = v.role(&input.role_name)?;
        role.role_last_used = Some(shared::role_last_used(cx, &role.role_id));
        Ok(GetRoleResponse { role })
    }
}
