//! `iam:ListPolicyTags`.

use keyturn_api::iam::{ListPolicyTagsRequest, ListPolicyTagsResponse};

use super::admin;
use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListPolicyTags` on the policy's ARN: a managed policy's tags, by key.
    ListPolicyTags(ListPolicyTagsRequest) -> ListPolicyTagsResponse;

    fn resource(_cx, input) { admin::policy_resource(&input.policy_arn) }

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let tags = v.policy(&input.policy_arn)?.tags;
        let p = shared::page(tags, input.marker.as_deref(), input.max_items)?;
        Ok(ListPolicyTagsResponse {
            tags: shared::tags(&p.items).unwrap_or_default(),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
