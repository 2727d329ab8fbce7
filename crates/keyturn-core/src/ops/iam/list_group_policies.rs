//! `iam:ListGroupPolicies`.

use keyturn_api::iam::{ListGroupPoliciesRequest, ListGroupPoliciesResponse};

use super::shared::{self, Kind};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListGroupPolicies` on the group's ARN: the names of its inline policies, in order.
    ListGroupPolicies(ListGroupPoliciesRequest) -> ListGroupPoliciesResponse;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::Group, &input.group_name) }

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let items = v.group_policy_names(&input.group_name)?;
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListGroupPoliciesResponse {
            policy_names: p.items,
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
