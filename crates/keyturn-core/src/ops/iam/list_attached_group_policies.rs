//! `iam:ListAttachedGroupPolicies`.

use keyturn_api::iam::{ListAttachedGroupPoliciesRequest, ListAttachedGroupPoliciesResponse};

use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListAttachedGroupPolicies` on the group's ARN: its managed policies under `PathPrefix`
/// (the policy's path), by name.
#[derive(Debug)]
pub struct ListAttachedGroupPolicies;

impl Operation for ListAttachedGroupPolicies {
    type Input = ListAttachedGroupPoliciesRequest;
    type Output = ListAttachedGroupPoliciesResponse;
    const ACTION: Option<&'static str> = Some("iam:ListAttachedGroupPolicies");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Group, &input.group_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
