//! `iam:GetInstanceProfile`.

use keyturn_api::iam::{GetInstanceProfileRequest, GetInstanceProfileResponse};

use super::{instance_profiles, shared};
use crate::ops::prelude::*;

operation! {
    /// `iam:GetInstanceProfile` on the profile's ARN: the profile with its role and tags.
    GetInstanceProfile(GetInstanceProfileRequest)
        -> GetInstanceProfileResponse, on instance_profiles::arn(instance_profile_name);

    fn run(cx, input) {
        let v = shared::view(cx)?;
        Ok(GetInstanceProfileResponse {
            instance_profile: v.instance_profile(&input.instance_profile_name)?,
        })
    }
}
