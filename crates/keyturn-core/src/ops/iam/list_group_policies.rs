//! `iam:ListGroupPolicies`.

use keyturn_api::iam::{ListGroupPoliciesRequest, ListGroupPoliciesResponse};

use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListGroupPolicies` on the group's ARN: the names of its inline policies, in order.
#[derive(Debug)]
pub struct ListGroupPolicies;

impl Operation for ListGroupPolicies {
    type Input = ListGroupPoliciesRequest;
    type Output = ListGroupPoliciesResponse;
    const ACTION: Option<&'static str> = Some("iam:ListGroupPolicies");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Group, &input.group_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
