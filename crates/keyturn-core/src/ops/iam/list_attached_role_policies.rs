//! `iam:ListAttachedRolePolicies`.

use keyturn_api::iam::{ListAttachedRolePoliciesRequest, ListAttachedRolePoliciesResponse};

use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListAttachedRolePolicies` on the role's ARN: its managed policies under `PathPrefix`
/// (the policy's path), by name.
#[derive(Debug)]
pub struct ListAttachedRolePolicies;

impl Operation for ListAttachedRolePolicies {
    type Input = ListAttachedRolePoliciesRequest;
    type Output = ListAttachedRolePoliciesResponse;
    const ACTION: Option<&'static str> = Some("iam:ListAttachedRolePolicies");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Role, &input.role_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
