//! `iam:ListRoleTags`.

use keyturn_api::iam::{ListRoleTagsRequest, ListRoleTagsResponse};

use super::shared::{self, Kind};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListRoleTags` on the role's ARN: its tags, by key.
    ListRoleTags(ListRoleTagsRequest) -> ListRoleTagsResponse;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::Role, &input.role_name) }

    fn run(cx, input) {
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
