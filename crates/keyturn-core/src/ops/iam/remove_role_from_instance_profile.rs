//! `iam:RemoveRoleFromInstanceProfile`.

use keyturn_api::NoOutput;
use keyturn_api::iam::RemoveRoleFromInstanceProfileRequest;

use super::{instance_profiles, write};
use crate::ops::{Context, Operation};
use crate::{Error, ErrorCode};

/// `iam:RemoveRoleFromInstanceProfile` on the profile's ARN: takes the role out of the profile
/// (`NoSuchEntity` for a role that does not exist or that the profile does not hold).
#[derive(Debug)]
pub struct RemoveRoleFromInstanceProfile;

impl Operation for RemoveRoleFromInstanceProfile {
    type Input = RemoveRoleFromInstanceProfileRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:RemoveRoleFromInstanceProfile");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        instance_profiles::arn(cx, &input.instance_profile_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
