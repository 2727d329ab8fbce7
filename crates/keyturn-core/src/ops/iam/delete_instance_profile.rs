//! `iam:DeleteInstanceProfile`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteInstanceProfileRequest;

use super::instance_profiles;
use super::write::{self, Left};
use crate::iam::EntityKind;

operation! {
    /// `iam:DeleteInstanceProfile` on the profile's ARN: deletes a profile without a role
    /// (`DeleteConflict` while it has one).
    DeleteInstanceProfile(DeleteInstanceProfileRequest)
        -> NoOutput, on instance_profiles::arn(instance_profile_name);

    fn run(cx, input) {
        write::change(cx, |p| {
            let profile = instance_profiles::find(p, &input.instance_profile_name)?;
            write::nothing_left(&[(!profile.roles.is_empty(), Left::ProfileRoles)])?;
            let arn = profile.arn(&p.account.id);
            p.remove(arn, EntityKind::InstanceProfile, &profile.name);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
