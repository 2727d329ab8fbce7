//! `iam:ListRolePolicies`.

use keyturn_api::iam::{ListRolePoliciesRequest, ListRolePoliciesResponse};

use super::shared::{self, Kind};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListRolePolicies` on the role's ARN: the names of its inline policies, in order.
    ListRolePolicies(ListRolePoliciesRequest) -> ListRolePoliciesResponse;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::Role, &input.role_name) }

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let items = v.role_policy_names(&input.role_name)?;
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListRolePoliciesResponse {
            policy_names: p.items,
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
