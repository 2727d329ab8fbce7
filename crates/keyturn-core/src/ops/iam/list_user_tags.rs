//! `iam:ListUserTags`.

use keyturn_api::iam::{ListUserTagsRequest, ListUserTagsResponse};

use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListUserTags` on the user's ARN: its tags, by key.
#[derive(Debug)]
pub struct ListUserTags;

impl Operation for ListUserTags {
    type Input = ListUserTagsRequest;
    type Output = ListUserTagsResponse;
    const ACTION: Option<&'static str> = Some("iam:ListUserTags");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::User, &input.user_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let items = v.user_tags(&input.user_name)?;
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListUserTagsResponse {
            tags: shared::tags(&p.items).unwrap_or_default(),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
