//! `iam:GetGroup`.

use keyturn_api::iam::{GetGroupRequest, GetGroupResponse};

use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:GetGroup` on the group's ARN: the group and its members (paged, by name).
#[derive(Debug)]
pub struct GetGroup;

impl Operation for GetGroup {
    type Input = GetGroupRequest;
    type Output = GetGroupResponse;
    const ACTION: Option<&'static str> = Some("iam:GetGroup");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::Group, &input.group_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let group = v.group(&input.group_name)?;
        let members = v.group_members(&input.group_name)?;
        let p = shared::page(members, input.marker.as_deref(), input.max_items)?;
        Ok(GetGroupResponse {
            group: shared::group(group),
            users: p
                .items
                .into_iter()
                .map(|u| shared::user(u, false))
                .collect(),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
