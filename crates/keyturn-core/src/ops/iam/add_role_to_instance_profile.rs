//! `iam:AddRoleToInstanceProfile`.

use crate::ops::prelude::*;
use keyturn_api::iam::AddRoleToInstanceProfileRequest;

use super::shared::{self, Kind};
use super::{instance_profiles, write};

/// Roles per instance profile (IAM's fixed quota).
const ROLES: write::Quota = write::Quota::new(1, "InstanceSessionsPerInstanceProfile");

operation! {
    /// `iam:AddRoleToInstanceProfile` on the profile's ARN, and `iam:PassRole` on the role's (as
    /// AWS requires: whoever launches an instance with the profile hands it the role): gives the
    /// profile its role (an instance profile holds one: `LimitExceeded` for a second, or the same
    /// one again).
    AddRoleToInstanceProfile(AddRoleToInstanceProfileRequest)
        -> NoOutput, on instance_profiles::arn(instance_profile_name);

    fn run(cx, input) {
        let role_arn = shared::entity_arn(cx, Kind::Role, &input.role_name)?;
        cx.engine
            .require(cx.caller()?, "iam:PassRole", &role_arn, &[])?;
        instance_profiles::update(cx, &input.instance_profile_name, |p, profile| {
            write::view_of(cx, p.snapshot)?.role(&input.role_name)?;
            write::within(profile.roles.len(), ROLES)?;
            profile.roles.push(input.role_name.clone());
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
