//! `iam:RemoveUserFromGroup`.

use crate::ops::prelude::*;
use keyturn_api::iam::RemoveUserFromGroupRequest;

use super::shared;
use super::users_groups::member;
use super::write;
use crate::iam::Entity;

operation! {
    /// `iam:RemoveUserFromGroup` on the group's ARN: the user leaves the group, and the group's
    /// policies stop applying to it from the very next request. `NoSuchEntity` when the user is not
    /// a member ("User X not in group G").
    RemoveUserFromGroup(RemoveUserFromGroupRequest) -> NoOutput, on shared::group_arn(group_name);

    fn run(cx, input) {
        write::change(cx, |p| {
            let Some(mut user) = member(cx, p, &input.group_name, &input.user_name)? else {
                return Ok(());
            };
            let before = user.groups.len();
            user.groups.retain(|g| *g != input.group_name);
            if user.groups.len() == before {
                return Err(Error::new(
                    ErrorCode::NoSuchEntity,
                    format!("User {} not in group {}", input.user_name, input.group_name),
                ));
            }
            p.put(Entity::User(user));
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
