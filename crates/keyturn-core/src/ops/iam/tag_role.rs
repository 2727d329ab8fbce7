//! `iam:TagRole`.

use crate::ops::prelude::*;
use keyturn_api::iam::TagRoleRequest;

use super::admin;
use super::shared::{self, Kind};
use super::write;

operation! {
    /// `iam:TagRole` on the role's ARN, with `aws:RequestTag/…` and `aws:TagKeys`: adds tags,
    /// replacing those with the same key (ignoring case); at most 50.
    TagRole(TagRoleRequest) -> NoOutput;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::Role, &input.role_name) }

    fn conditions(_cx, input) { Ok(write::tag_conditions(Some(&input.tags))) }

    fn run(cx, input) {
        admin::edit_role(cx, &input.role_name, |_, role| {
            role.tags = write::tags(Some(&input.tags), &role.tags)?;
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
