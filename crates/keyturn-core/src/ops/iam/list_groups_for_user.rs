//! `iam:ListGroupsForUser`.

use keyturn_api::iam::{ListGroupsForUserRequest, ListGroupsForUserResponse};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListGroupsForUser` on the user's ARN: the user's groups, by name.
    ListGroupsForUser(ListGroupsForUserRequest)
        -> ListGroupsForUserResponse, on shared::user_arn(user_name);

    fn run(cx, input) {
        shared::list(cx, &input, |v| v.groups_for_user(&input.user_name), shared::group)
    }
}
