//! `iam:UntagInstanceProfile`.

use crate::ops::prelude::*;
use keyturn_api::iam::UntagInstanceProfileRequest;

use super::instance_profiles;

operation! {
    /// `iam:UntagInstanceProfile` on the profile's ARN, with `aws:TagKeys`: removes the tags with
    /// these keys (ignoring case; keys it does not have are ignored, as IAM does).
    UntagInstanceProfile(UntagInstanceProfileRequest) -> NoOutput;

    fn resource(cx, input) { instance_profiles::arn(cx, &input.instance_profile_name) }

    fn conditions(_cx, input) { Ok(vec![("aws:TagKeys".to_owned(), input.tag_keys.clone())]) }

    fn run(cx, input) {
        instance_profiles::update(cx, &input.instance_profile_name, |_, profile| {
            profile
                .tags
                .retain(|k, _| !input.tag_keys.iter().any(|t| t.eq_ignore_ascii_case(k)));
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
