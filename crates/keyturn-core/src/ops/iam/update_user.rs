//! `iam:UpdateUser`.

use crate::ids::UniqueIdKind;
use crate::ops::prelude::*;
use keyturn_api::iam::UpdateUserRequest;

use super::shared;
use super::users_groups::{self, check_rename};
use super::write;
use crate::iam::{Entity, EntityKind};

operation! {
    /// `iam:UpdateUser` on the user's current ARN (and, when the ARN changes, on the new one too,
    /// as IAM requires permission on both): renames the user or moves it to another path. The user
    /// keeps its access keys, MFA devices, policies, boundary, tags, group memberships and creation
    /// date.
    UpdateUser(UpdateUserRequest) -> NoOutput, on shared::user_arn(user_name);

    fn run(cx, input) {
        write::change(cx, |p| {
            let mut user = write::user_in(p, &input.user_name)?.clone();
            let old_arn = user.arn(&p.account.id);
            if let Some(new) = &input.new_user_name {
                let names = p.account.users.iter().map(|u| u.name.as_str());
                check_rename(names, "User", &user.name, new)?;
                p.keep_id(
                    &cx.engine.keyring,
                    &mut user.id,
                    UniqueIdKind::User,
                    &user.name,
                )?;
                user.name.clone_from(new);
            }
            let path = input.new_path.as_ref();
            if !users_groups::relocate(cx, p, "iam:UpdateUser", &mut user, &old_arn, path)? {
                return Ok(());
            }
            let renamed = user.name != input.user_name;
            p.put(Entity::User(user));
            if renamed {
                p.delete(EntityKind::User, &input.user_name);
            }
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
