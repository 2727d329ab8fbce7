//! `iam:TagInstanceProfile`.

use crate::ops::prelude::*;
use keyturn_api::iam::TagInstanceProfileRequest;

use super::{instance_profiles, write};

operation! {
    /// `iam:TagInstanceProfile` on the profile's ARN, with `aws:RequestTag/K` and `aws:TagKeys`:
    /// adds the tags, replacing the values of keys it has (keys compare ignoring case).
    TagInstanceProfile(TagInstanceProfileRequest) -> NoOutput;

    fn resource(cx, input) { instance_profiles::arn(cx, &input.instance_profile_name) }

    fn conditions(_cx, input) { Ok(write::tag_conditions(Some(&input.tags))) }

    fn run(cx, input) {
        instance_profiles::update(cx, &input.instance_profile_name, |_, profile| {
            profile.tags = write::tags(Some(&input.tags), &profile.tags)?;
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
