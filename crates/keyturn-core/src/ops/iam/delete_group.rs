//! `iam:DeleteGroup`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteGroupRequest;

use super::shared;
use super::write;
use crate::iam::EntityKind;

operation! {
    /// `iam:DeleteGroup` on the group's ARN. As IAM, refuses a group that still has members, inline
    /// policies or attached policies (`DeleteConflict`).
    DeleteGroup(DeleteGroupRequest) -> NoOutput, on shared::group_arn(group_name);

    fn run(cx, input) {
        let name = input.group_name.as_str();
        write::change(cx, |p| {
            write::view_of(cx, p.snapshot)?.group(name)?;
            let Some(group) = p.account.group(name) else {
                return Ok(());
            };
            let conflict = |text: &str| Err(Error::new(ErrorCode::DeleteConflict, text));
            if p.account
                .users
                .iter()
                .any(|u| u.groups.iter().any(|g| g == name))
            {
                return conflict("Cannot delete entity, must remove users from group first.");
            }
            if !group.inline_policies.is_empty() {
                return conflict("Cannot delete entity, must delete policies first.");
            }
            if !group.managed_policies.is_empty() {
                return conflict("Cannot delete entity, must detach all policies first.");
            }
            p.forget(group.arn(&p.account.id));
            p.delete(EntityKind::Group, name);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
