//! `iam:DeleteGroup`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteGroupRequest;

use super::shared;
use super::write::{self, Left};
use crate::iam::EntityKind;

operation! {
    /// `iam:DeleteGroup` on the group's ARN. As IAM, refuses a group that still has members, inline
    /// policies or attached policies (`DeleteConflict`).
    DeleteGroup(DeleteGroupRequest) -> NoOutput, on shared::group_arn(group_name);

    fn run(cx, input) {
        let name = input.group_name.as_str();
        write::change(cx, |p| {
            let group = write::group_in(p, name)?;
            let users = &p.account.users;
            write::nothing_left(&[
                (users.iter().any(|u| u.groups.iter().any(|g| g == name)), Left::Memberships),
                (!group.inline_policies.is_empty(), Left::InlinePolicies),
                (!group.managed_policies.is_empty(), Left::AttachedPolicies),
            ])?;
            p.remove(group.arn(&p.account.id), EntityKind::Group, name);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
