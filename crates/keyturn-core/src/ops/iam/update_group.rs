//! `iam:UpdateGroup`.

use crate::ids::UniqueIdKind;
use crate::ops::prelude::*;
use keyturn_api::iam::UpdateGroupRequest;

use super::shared;
use super::users_groups::{self, check_rename};
use super::write;
use crate::iam::{Entity, EntityKind};

operation! {
    /// `iam:UpdateGroup` on the group's current ARN (and, when the ARN changes, on the new one too,
    /// as IAM requires permission on both): renames the group or moves it to another path. Its
    /// members follow it (each member's memberships name the new group), and it keeps its policies
    /// and creation date.
    UpdateGroup(UpdateGroupRequest) -> NoOutput, on shared::group_arn(group_name);

    fn run(cx, input) {
        let old = input.group_name.as_str();
        write::change(cx, |p| {
            let mut group = write::group_in(p, old)?.clone();
            let old_arn = group.arn(&p.account.id);
            if let Some(new) = &input.new_group_name {
                let names = p.account.groups.iter().map(|g| g.name.as_str());
                check_rename(names, "Group", old, new)?;
                p.keep_id(&cx.engine.keyring, &mut group.id, UniqueIdKind::Group, old)?;
                group.name.clone_from(new);
            }
            let path = input.new_path.as_ref();
            if !users_groups::relocate(cx, p, "iam:UpdateGroup", &mut group, &old_arn, path)? {
                return Ok(());
            }
            let new = group.name.clone();
            p.put(Entity::Group(group));
            if new != old {
                p.delete(EntityKind::Group, old);
                let members = p
                    .account
                    .users
                    .iter()
                    .filter(|u| u.groups.iter().any(|g| g == old));
                for mut user in members.cloned().collect::<Vec<_>>() {
                    for g in &mut user.groups {
                        if g == old {
                            g.clone_from(&new);
                        }
                    }
                    p.put(Entity::User(user));
                }
            }
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
