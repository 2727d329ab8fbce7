//! `iam:ListAttachedGroupPolicies`.

use keyturn_api::iam::{ListAttachedGroupPoliciesRequest, ListAttachedGroupPoliciesResponse};

use super::shared::{self, Kind};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListAttachedGroupPolicies` on the group's ARN: its managed policies under `PathPrefix`
    /// (the policy's path), by name.
    ListAttachedGroupPolicies(ListAttachedGroupPoliciesRequest) -> ListAttachedGroupPoliciesResponse;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::Group, &input.group_name) }

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let items = v.attached_group_policies(&input.group_name, input.path_prefix.as_deref())?;
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListAttachedGroupPoliciesResponse {
            attached_policies: Some(p.items.into_iter().map(shared::attached).collect()),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
