//! `iam:ListAttachedUserPolicies`.

use keyturn_api::iam::{ListAttachedUserPoliciesRequest, ListAttachedUserPoliciesResponse};

use super::shared::{self, Kind};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListAttachedUserPolicies` on the user's ARN: its managed policies under `PathPrefix`
    /// (the policy's path), by name.
    ListAttachedUserPolicies(ListAttachedUserPoliciesRequest) -> ListAttachedUserPoliciesResponse;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::User, &input.user_name) }

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let items = v.attached_user_policies(&input.user_name, input.path_prefix.as_deref())?;
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListAttachedUserPoliciesResponse {
            attached_policies: Some(p.items.into_iter().map(shared::attached).collect()),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
