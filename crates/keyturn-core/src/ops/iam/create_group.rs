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
        let snapshot = write::change(cx, |p| {
            let a = p.account;
            if write::taken(a.groups.iter().map(|g| g.name.as_str()), &input.group_name) {
                return Err(write::already_exists("Group", &input.group_name));
            }
            write::within(a.groups.len(), GROUPS_PER_ACCOUNT, "GroupsPerAccount")?;
            let group = Group {
                name: input.group_name.clone(),
                id: write::new_id(UniqueIdKind::Group)?,
                path: write::path(input.path.as_deref()).to_owned(),
                ..Group::default()
            };
            p.created(group.arn(&a.id));
            p.put(Entity::Group(group));
            Ok(())
        })?
        .1;
        let v = write::view_of(cx, &snapshot)?;
        Ok(CreateGroupResponse {
            group: shared::group(v.group(&input.group_name)?),
        })
    }
}
