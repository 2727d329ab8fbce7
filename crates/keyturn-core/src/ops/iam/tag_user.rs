//! `iam:TagUser`.

use crate::ops::prelude::*;
use keyturn_api::iam::TagUserRequest;

use super::shared::{self, Kind};
use super::write;
use crate::iam::Entity;

operation! {
    /// `iam:TagUser` on the user's ARN, with `aws:RequestTag/K` and `aws:TagKeys`: adds the tags,
    /// replacing the value of a key the user has (keys compare ignoring case); at most 50 tags.
    TagUser(TagUserRequest) -> NoOutput;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::User, &input.user_name) }

    fn conditions(_cx, input) { Ok(write::tag_conditions(Some(&input.tags))) }

    fn run(cx, input) {
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
