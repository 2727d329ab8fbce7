//! `iam:RemoveUserFromGroup`.

use keyturn_api::NoOutput;
use keyturn_api::iam::RemoveUserFromGroupRequest;

use super::shared::{self, Kind};
use super::users_groups::member;
use super::write;
use crate::iam::Entity;
use crate::ops::{Context, Operation};
use crate::{Error, ErrorCode};

/// `iam:RemoveUserFromGroup` on the group's ARN: the user leaves the group, and the group's
/// policies stop applying to it from the very next request. `NoSuchEntity` when the user is not
/// a member ("User X not in group G").
#[derive(Debug)]
pub struct RemoveUserFromGroup;

impl Operation for RemoveUserFromGroup {
    type Input = RemoveUserFromGroupRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:RemoveUserFromGroup");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Group, &input.group_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
