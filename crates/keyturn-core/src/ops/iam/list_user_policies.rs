//! `iam:ListUserPolicies`.

use keyturn_api::iam::{ListUserPoliciesRequest, ListUserPoliciesResponse};

use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListUserPolicies` on the user's ARN: the names of its inline policies, in order.
#[derive(Debug)]
pub struct ListUserPolicies;

impl Operation for ListUserPolicies {
    type Input = ListUserPoliciesRequest;
    type Output = ListUserPoliciesResponse;
    const ACTION: Option<&'static str> = Some("iam:ListUserPolicies");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::User, &input.user_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
