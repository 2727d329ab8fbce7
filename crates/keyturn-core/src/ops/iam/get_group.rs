//! `iam:GetGroup`.

use keyturn_api::iam::{GetGroupRequest, GetGroupResponse};

use super::shared;
use crate::engine::view;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetGroup` on the group's ARN: the group and its members (paged, by name).
    GetGroup(GetGroupRequest) -> GetGroupResponse, on shared::group_arn(group_name);

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let group = v.group(&input.group_name)?;
        let members = v.group_members(&input.group_name)?;
        let page = shared::paged(members, &input, view::listed_user)?;
        Ok(GetGroupResponse {
            group,
            ..page
        })
    }
}
