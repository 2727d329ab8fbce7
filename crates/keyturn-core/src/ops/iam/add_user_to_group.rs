//! `iam:AddUserToGroup`.

use crate::ops::prelude::*;
use keyturn_api::iam::AddUserToGroupRequest;

use super::shared;
use super::users_groups::member;
use super::write::{self, quota};
use crate::iam::Entity;

operation! {
    /// `iam:AddUserToGroup` on the group's ARN: adds the user (nothing changes if it is a member).
    AddUserToGroup(AddUserToGroupRequest) -> NoOutput, on shared::group_arn(group_name);

    fn run(cx, input) {
        write::change(cx, |p| {
            // IAM names the missing user before the missing group.
            write::view_of(cx, p.snapshot)?.user(&input.user_name)?;
            let Some(mut user) = member(cx, p, &input.group_name, &input.user_name)? else {
                return Ok(());
            };
            if user.groups.contains(&input.group_name) {
                return Ok(());
            }
            write::within(user.groups.len(), quota::GROUPS_PER_USER)?;
            user.groups.push(input.group_name.clone());
            p.put(Entity::User(user));
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
