//! `iam:UntagUser`.

use crate::ops::prelude::*;
use keyturn_api::iam::UntagUserRequest;

use super::shared::{self, Kind};
use super::write;
use crate::iam::Entity;

operation! {
    /// `iam:UntagUser` on the user's ARN, with `aws:TagKeys`: removes the tags with these keys
    /// (ignoring case, as IAM's tag keys are); a key the user does not have is no error.
    UntagUser(UntagUserRequest) -> NoOutput;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::User, &input.user_name) }

    fn conditions(_cx, input) { Ok(vec![("aws:TagKeys".to_owned(), input.tag_keys.clone())]) }

    fn run(cx, input) {
        write::change(cx, |p| {
            write::view_of(cx, p.snapshot)?.user(&input.user_name)?;
            let Some(mut user) = p.account.user(&input.user_name).cloned() else {
                return Ok(());
            };
            let before = user.tags.len();
            user.tags
                .retain(|k, _| !input.tag_keys.iter().any(|t| t.eq_ignore_ascii_case(k)));
            if user.tags.len() != before {
                p.put(Entity::User(user));
            }
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
