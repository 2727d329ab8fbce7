//! `iam:ListUsers`.

use keyturn_api::iam::{ListUsersRequest, ListUsersResponse};

use super::shared;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListUsers` on `*` (no resource type): the users under `PathPrefix`, by name, without
/// their boundaries and tags (as IAM lists them).
#[derive(Debug)]
pub struct ListUsers;

impl Operation for ListUsers {
    type Input = ListUsersRequest;
    type Output = ListUsersResponse;
    const ACTION: Option<&'static str> = Some("iam:ListUsers");

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let items = v.users(input.path_prefix.as_deref());
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListUsersResponse {
            users: p
                .items
                .into_iter()
                .map(|u| shared::user(u, false))
                .collect(),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
