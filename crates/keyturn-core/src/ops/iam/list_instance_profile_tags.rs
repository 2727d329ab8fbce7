//! `iam:ListInstanceProfileTags`.

use keyturn_api::iam::{ListInstanceProfileTagsRequest, ListInstanceProfileTagsResponse};

use super::{instance_profiles, shared};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListInstanceProfileTags` on the profile's ARN: its tags by key, paged.
#[derive(Debug)]
pub struct ListInstanceProfileTags;

impl Operation for ListInstanceProfileTags {
    type Input = ListInstanceProfileTagsRequest;
    type Output = ListInstanceProfileTagsResponse;
    const ACTION: Option<&'static str> = Some("iam:ListInstanceProfileTags");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        instance_profiles::arn(cx, &input.instance_profile_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let tags = v.instance_profile(&input.instance_profile_name)?.tags;
        let p = shared::page(tags, input.marker.as_deref(), input.max_items)?;
        Ok(ListInstanceProfileTagsResponse {
            tags: shared::tags(&p.items).unwrap_or_default(),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
