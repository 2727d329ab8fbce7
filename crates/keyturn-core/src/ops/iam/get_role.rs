//! `iam:GetRole`.

use keyturn_api::iam::{GetRoleRequest, GetRoleResponse};

use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:GetRole` on the role's ARN: the role with its trust policy (URL-encoded), boundary and
/// tags.
#[derive(Debug)]
pub struct GetRole;

impl Operation for GetRole {
    type Input = GetRoleRequest;
    type Output = GetRoleResponse;
    const ACTION: Option<&'static str> = Some("iam:GetRole");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Role, &input.role_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let mut role = shared::role(v.role(&input.role_name)?, true);
        role.role_last_used = Some(shared::role_last_used(cx, &role.role_id));
        Ok(GetRoleResponse { role })
    }
}
