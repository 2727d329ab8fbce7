//! `iam:ListAttachedRolePolicies`.

use keyturn_api::iam::{ListAttachedRolePoliciesRequest, ListAttachedRolePoliciesResponse};

use super::shared::{self, Kind};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListAttachedRolePolicies` on the role's ARN: its managed policies under `PathPrefix`
    /// (the policy's path), by name.
    ListAttachedRolePolicies(ListAttachedRolePoliciesRequest) -> ListAttachedRolePoliciesResponse;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::Role, &input.role_name) }

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let items = v.attached_role_policies(&input.role_name, input.path_prefix.as_deref())?;
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListAttachedRolePoliciesResponse {
            attached_policies: Some(p.items.into_iter().map(shared::attached).collect()),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
