//! `iam:DeleteInstanceProfile`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeleteInstanceProfileRequest;

use super::{instance_profiles, write};
use crate::iam::EntityKind;
use crate::ops::{Context, Operation};
use crate::{Error, ErrorCode};

/// `iam:DeleteInstanceProfile` on the profile's ARN: deletes a profile without a role
/// (`DeleteConflict` while it has one).
#[derive(Debug)]
pub struct DeleteInstanceProfile;

impl Operation for DeleteInstanceProfile {
    type Input = DeleteInstanceProfileRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeleteInstanceProfile");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        instance_profiles::arn(cx, &input.instance_profile_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
