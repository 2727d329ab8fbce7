//! `iam:ListInstanceProfileTags`.

use keyturn_api::iam::{ListInstanceProfileTagsRequest, ListInstanceProfileTagsResponse};

use super::{instance_profiles, shared};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListInstanceProfileTags` on the profile's ARN: its tags by key, paged.
    ListInstanceProfileTags(ListInstanceProfileTagsRequest) -> ListInstanceProfileTagsResponse;

    fn resource(cx, input) { instance_profiles::arn(cx, &input.instance_profile_name) }

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let tags = v.instance_profile(&input.instance_profile_name)?.tags;
        let p = shared::page(tags, input.marker.as_deref(), input.max_items)?;
        Ok(ListInstanceProfileTagsResponse {
            tags: shared::tags(&p.items).unwrap_or_default(),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
