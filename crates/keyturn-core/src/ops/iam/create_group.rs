//! `iam:CreateGroup`.

use crate::ids::UniqueIdKind;
use keyturn_api::iam::{CreateGroupRequest, CreateGroupResponse};

use super::shared;
use super::users_groups::GROUPS_PER_ACCOUNT;
use super::write;
use crate::iam::{Entity, Group};
use crate::ops::prelude::*;

operation! {
    /// `iam:CreateGroup` on the new group's ARN: an empty group (no members, no policies). Names
    /// are unique ignoring case; at most 300 groups per account.
    CreateGroup(CreateGroupRequest) -> CreateGroupResponse;

    fn resource(cx, input) { write::new_arn(cx, "group", input.path.as_deref(), &input.group_name) }

    fn run(cx, input) {
        let name = &input.group_name;
        let plan = |p: &write::Plan<'_>| {
            let a = p.account;
            write::admit_name(&a.groups, "Group", name, GROUPS_PER_ACCOUNT)?;
            let group = Group {
                name: name.clone(),
                id: write::new_id(UniqueIdKind::Group)?,
                path: write::path(input.path.as_deref()).to_owned(),
                ..Group::default()
            };
            Ok((group.arn(&a.id), Entity::Group(group)))
        };
        write::create(cx, plan, |v, _| {
            Ok(CreateGroupResponse {
                group: shared::group(v.group(name)?),
            })
        })
    }
}
