//! `iam:ListPolicyTags`.

use keyturn_api::iam::{ListPolicyTagsRequest, ListPolicyTagsResponse};

use super::admin;
use super::shared;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListPolicyTags` on the policy's ARN: a managed policy's tags, by key.
#[derive(Debug)]
pub struct ListPolicyTags;

impl Operation for ListPolicyTags {
    type Input = ListPolicyTagsRequest;
    type Output = ListPolicyTagsResponse;
    const ACTION: Option<&'static str> = Some("iam:ListPolicyTags");

    fn resource(_cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        admin::policy_resource(&input.policy_arn)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let tags = v.policy(&input.policy_arn)?.tags;
        let p = shared::page(tags, input.marker.as_deref(), input.max_items)?;
        Ok(ListPolicyTagsResponse {
            tags: shared::tags(&p.items).unwrap_or_default(),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
