//! `iam:DeleteInstanceProfile`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteInstanceProfileRequest;

use super::{instance_profiles, write};
use crate::iam::EntityKind;

operation! {
    /// `iam:DeleteInstanceProfile` on the profile's ARN: deletes a profile without a role
    /// (`DeleteConflict` while it has one).
    DeleteInstanceProfile(DeleteInstanceProfileRequest)
        -> NoOutput, on instance_profiles::arn(instance_profile_name);

    fn run(cx, input) {
        write::change(cx, |p| {
            let profile = instance_profiles::find(p, &input.instance_profile_name)?;
            if !profile.roles.is_empty() {
                return Err(Error::new(
                    ErrorCode::DeleteConflict,
                    "Cannot delete entity, must remove roles from instance profile first.",
                ));
            }
            p.forget(profile.arn(&p.account.id));
            p.delete(EntityKind::InstanceProfile, &profile.name);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
