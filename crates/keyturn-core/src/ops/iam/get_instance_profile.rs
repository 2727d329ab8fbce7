//! `iam:GetInstanceProfile`.

use keyturn_api::iam::{GetInstanceProfileRequest, GetInstanceProfileResponse};

use super::{instance_profiles, shared};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:GetInstanceProfile` on the profile's ARN: the profile with its role and tags.
#[derive(Debug)]
pub struct GetInstanceProfile;

impl Operation for GetInstanceProfile {
    type Input = GetInstanceProfileRequest;
    type Output = GetInstanceProfileResponse;
    const ACTION: Option<&'static str> = Some("iam:GetInstanceProfile");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        instance_profiles::arn(cx, &input.instance_profile_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        Ok(GetInstanceProfileResponse {
            instance_profile: instance_profiles::shape(
                v.instance_profile(&input.instance_profile_name)?,
            ),
        })
    }
}
