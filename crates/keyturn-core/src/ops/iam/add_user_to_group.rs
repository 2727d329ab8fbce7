//! `iam:AddUserToGroup`.

use keyturn_api::NoOutput;
use keyturn_api::iam::AddUserToGroupRequest;

use super::shared::{self, Kind};
use super::users_groups::member;
use super::write::{self, quota};
use crate::Error;
use crate::iam::Entity;
use crate::ops::{Context, Operation};

/// `iam:AddUserToGroup` on the group's ARN: adds the user (nothing changes if it is a member).
#[derive(Debug)]
pub struct AddUserToGroup;

impl Operation for AddUserToGroup {
    type Input = AddUserToGroupRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:AddUserToGroup");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Group, &input.group_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        write::change(cx, |p| {
            // IAM names the missing user before the missing group.
            write::view_of(cx, p.snapshot)?.user(&input.user_name)?;
            let Some(mut user) = member(cx, p, &input.group_name, &input.user_name)? else {
                return Ok(());
            };
            if user.groups.contains(&input.group_name) {
                return Ok(());
            }
            write::within(user.groups.len(), quota::GROUPS_PER_USER, "groups per user")?;
            user.groups.push(input.group_name.clone());
            p.put(Entity::User(user));
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
