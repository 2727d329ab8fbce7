//! `iam:ListRolePolicies`.

use keyturn_api::iam::{ListRolePoliciesRequest, ListRolePoliciesResponse};

use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListRolePolicies` on the role's ARN: the names of its inline policies, in order.
#[derive(Debug)]
pub struct ListRolePolicies;

impl Operation for ListRolePolicies {
    type Input = ListRolePoliciesRequest;
    type Output = ListRolePoliciesResponse;
    const ACTION: Option<&'static str> = Some("iam:ListRolePolicies");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Role, &input.role_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
