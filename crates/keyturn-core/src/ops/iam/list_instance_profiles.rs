//! `iam:ListInstanceProfiles`.

use keyturn_api::iam::{ListInstanceProfilesRequest, ListInstanceProfilesResponse};

use super::{instance_profiles, shared};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListInstanceProfiles` on `arn:aws:iam::ACCT:instance-profile/` (the Service
/// Authorization Reference gives it the instance-profile resource type): the profiles under
/// `PathPrefix`, by name, paged.
#[derive(Debug)]
pub struct ListInstanceProfiles;

impl Operation for ListInstanceProfiles {
    type Input = ListInstanceProfilesRequest;
    type Output = ListInstanceProfilesResponse;
    const ACTION: Option<&'static str> = Some("iam:ListInstanceProfiles");

    fn resource(cx: &Context<'_>, _input: &Self::Input) -> Result<String, Error> {
        Ok(format!(
            "arn:aws:iam::{}:instance-profile/",
            cx.caller()?.account
        ))
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let items = v.instance_profiles(input.path_prefix.as_deref());
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListInstanceProfilesResponse {
            instance_profiles: p.items.into_iter().map(instance_profiles::shape).collect(),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
