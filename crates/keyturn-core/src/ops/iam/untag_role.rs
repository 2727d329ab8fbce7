//! `iam:UntagRole`.

use crate::ops::prelude::*;
use keyturn_api::iam::UntagRoleRequest;

use super::admin;
use super::shared::{self, Kind};

operation! {
    /// `iam:UntagRole` on the role's ARN, with `aws:TagKeys`: removes the tags with these keys.
    UntagRole(UntagRoleRequest) -> NoOutput;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::Role, &input.role_name) }

    fn conditions(_cx, input) { Ok(admin::tag_keys_condition(&input.tag_keys)) }

    fn run(cx, input) {
        admin::edit_role(cx, &input.role_name, |_, role| {
            admin::untag(&mut role.tags, &input.tag_keys);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
