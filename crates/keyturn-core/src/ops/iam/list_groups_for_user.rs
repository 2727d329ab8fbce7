//! `iam:ListGroupsForUser`.

use keyturn_api::iam::{ListGroupsForUserRequest, ListGroupsForUserResponse};

use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListGroupsForUser` on the user's ARN: the user's groups, by name.
#[derive(Debug)]
pub struct ListGroupsForUser;

impl Operation for ListGroupsForUser {
    type Input = ListGroupsForUserRequest;
    type Output = ListGroupsForUserResponse;
    const ACTION: Option<&'static str> = Some("iam:ListGroupsForUser");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::User, &input.user_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let items = v.groups_for_user(&input.user_name)?;
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListGroupsForUserResponse {
            groups: p.items.into_iter().map(shared::group).collect(),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
