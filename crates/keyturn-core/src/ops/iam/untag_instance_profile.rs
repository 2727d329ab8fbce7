//! `iam:UntagInstanceProfile`.

use keyturn_api::NoOutput;
use keyturn_api::iam::UntagInstanceProfileRequest;

use super::instance_profiles;
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:UntagInstanceProfile` on the profile's ARN, with `aws:TagKeys`: removes the tags with
/// these keys (ignoring case; keys it does not have are ignored, as IAM does).
#[derive(Debug)]
pub struct UntagInstanceProfile;

impl Operation for UntagInstanceProfile {
    type Input = UntagInstanceProfileRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:UntagInstanceProfile");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        instance_profiles::arn(cx, &input.instance_profile_name)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(vec![("aws:TagKeys".to_owned(), input.tag_keys.clone())])
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        instance_profiles::update(cx, &input.instance_profile_name, |_, profile| {
            profile
                .tags
                .retain(|k, _| !input.tag_keys.iter().any(|t| t.eq_ignore_ascii_case(k)));
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
