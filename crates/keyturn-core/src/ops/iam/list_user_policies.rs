//! `iam:ListUserPolicies`.

use keyturn_api::iam::{ListUserPoliciesRequest, ListUserPoliciesResponse};

use super::shared::{self, Kind};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListUserPolicies` on the user's ARN: the names of its inline policies, in order.
    ListUserPolicies(ListUserPoliciesRequest) -> ListUserPoliciesResponse;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::User, &input.user_name) }

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let items = v.user_policy_names(&input.user_name)?;
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListUserPoliciesResponse {
            policy_names: p.items,
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
