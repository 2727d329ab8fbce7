//! `iam:ListRoleTags`.

use keyturn_api::iam::{ListRoleTagsRequest, ListRoleTagsResponse};

use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListRoleTags` on the role's ARN: its tags, by key.
#[derive(Debug)]
pub struct ListRoleTags;

impl Operation for ListRoleTags {
    type Input = ListRoleTagsRequest;
    type Output = ListRoleTagsResponse;
    const ACTION: Option<&'static str> = Some("iam:ListRoleTags");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Role, &input.role_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let items = v.role_tags(&input.role_name)?;
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListRoleTagsResponse {
            tags: shared::tags(&p.items).unwrap_or_default(),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
