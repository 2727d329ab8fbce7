//! `iam:RemoveRoleFromInstanceProfile`.

use crate::ops::prelude::*;
use keyturn_api::iam::RemoveRoleFromInstanceProfileRequest;

use super::{instance_profiles, write};

operation! {
    /// `iam:RemoveRoleFromInstanceProfile` on the profile's ARN: takes the role out of the profile
    /// (`NoSuchEntity` for a role that does not exist or that the profile does not hold).
    RemoveRoleFromInstanceProfile(RemoveRoleFromInstanceProfileRequest)
        -> NoOutput, on instance_profiles::arn(instance_profile_name);

    fn run(cx, input) {
        let role = &input.role_name;
        instance_profiles::update(cx, &input.instance_profile_name, |p, profile| {
            write::view_of(cx, p.snapshot)?.role(role)?;
            if !profile.roles.contains(role) {
                return Err(Error::new(
                    ErrorCode::NoSuchEntity,
                    format!(
                        "Role {role} in Instance Profile {} cannot be found.",
                        profile.name
                    ),
                ));
            }
            profile.roles.retain(|r| r != role);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
