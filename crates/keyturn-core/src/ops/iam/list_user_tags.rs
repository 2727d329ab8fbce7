//! `iam:ListUserTags`.

use keyturn_api::iam::{ListUserTagsRequest, ListUserTagsResponse};

use super::shared::{self, Kind};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListUserTags` on the user's ARN: its tags, by key.
    ListUserTags(ListUserTagsRequest) -> ListUserTagsResponse;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::User, &input.user_name) }

    fn run(cx, input) {
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
