//! `iam:ListGroups`.

use keyturn_api::iam::{ListGroupsRequest, ListGroupsResponse};

use super::shared;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListGroups` on `*` (no resource type): the groups under `PathPrefix`, by name.
#[derive(Debug)]
pub struct ListGroups;

impl Operation for ListGroups {
    type Input = ListGroupsRequest;
    type Output = ListGroupsResponse;
    const ACTION: Option<&'static str> = Some("iam:ListGroups");

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let items = v.groups(input.path_prefix.as_deref());
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListGroupsResponse {
            groups: p.items.into_iter().map(shared::group).collect(),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
