//! `iam:TagInstanceProfile`.

use keyturn_api::NoOutput;
use keyturn_api::iam::TagInstanceProfileRequest;

use super::{instance_profiles, write};
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:TagInstanceProfile` on the profile's ARN, with `aws:RequestTag/K` and `aws:TagKeys`:
/// adds the tags, replacing the values of keys it has (keys compare ignoring case).
#[derive(Debug)]
pub struct TagInstanceProfile;

impl Operation for TagInstanceProfile {
    type Input = TagInstanceProfileRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:TagInstanceProfile");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        instance_profiles::arn(cx, &input.instance_profile_name)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(write::tag_conditions(Some(&input.tags)))
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        instance_profiles::update(cx, &input.instance_profile_name, |_, profile| {
            profile.tags = write::tags(Some(&input.tags), &profile.tags)?;
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
