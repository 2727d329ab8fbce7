//! `iam:TagUser`.

use keyturn_api::NoOutput;
use keyturn_api::iam::TagUserRequest;

use super::shared::{self, Kind};
use super::write;
use crate::Error;
use crate::iam::Entity;
use crate::ops::{Conditions, Context, Operation};

/// `iam:TagUser` on the user's ARN, with `aws:RequestTag/K` and `aws:TagKeys`: adds the tags,
/// replacing the value of a key the user has (keys compare ignoring case); at most 50 tags.
#[derive(Debug)]
pub struct TagUser;

impl Operation for TagUser {
    type Input = TagUserRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:TagUser");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::User, &input.user_name)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(write::tag_conditions(Some(&input.tags)))
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        write::change(cx, |p| {
            write::view_of(cx, p.snapshot)?.user(&input.user_name)?;
            let Some(mut user) = p.account.user(&input.user_name).cloned() else {
                return Ok(());
            };
            user.tags = write::tags(Some(&input.tags), &user.tags)?;
            p.put(Entity::User(user));
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
