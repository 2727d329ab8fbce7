//! `iam:ListAttachedUserPolicies`.

use keyturn_api::iam::{ListAttachedUserPoliciesRequest, ListAttachedUserPoliciesResponse};

use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListAttachedUserPolicies` on the user's ARN: its managed policies under `PathPrefix`
/// (the policy's path), by name.
#[derive(Debug)]
pub struct ListAttachedUserPolicies;

impl Operation for ListAttachedUserPolicies {
    type Input = ListAttachedUserPoliciesRequest;
    type Output = ListAttachedUserPoliciesResponse;
    const ACTION: Option<&'static str> = Some("iam:ListAttachedUserPolicies");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::User, &input.user_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
