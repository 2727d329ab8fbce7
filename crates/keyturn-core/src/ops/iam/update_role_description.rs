//! `iam:UpdateRoleDescription`.

use keyturn_api::iam::{UpdateRoleDescriptionRequest, UpdateRoleDescriptionResponse};

use super::admin;
use super::shared::{self, Kind};
use super::write;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:UpdateRoleDescription` on the role's ARN: sets its description and answers the role.
#[derive(Debug)]
pub struct UpdateRoleDescription;

impl Operation for UpdateRoleDescription {
    type Input = UpdateRoleDescriptionRequest;
    type Output = UpdateRoleDescriptionResponse;
    const ACTION: Option<&'static str> = Some("iam:UpdateRoleDescription");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Role, &input.role_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let ((), snapshot) = admin::edit_role(cx, &input.role_name, |_, role| {
            role.description = Some(input.description.clone());
            Ok(())
        })?;
        let v = write::view_of(cx, &snapshot)?;
        let mut role = shared::role(v.role(&input.role_name)?, true);
        role.role_last_used = Some(shared::role_last_used(cx, &role.role_id));
        Ok(UpdateRoleDescriptionResponse { role: Some(role) })
    }
}
