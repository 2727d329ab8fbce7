//! `iam:ListInstanceProfiles`.

use keyturn_api::iam::{ListInstanceProfilesRequest, ListInstanceProfilesResponse};

use super::{instance_profiles, shared};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListInstanceProfiles` on `arn:aws:iam::ACCT:instance-profile/` (the Service
    /// Authorization Reference gives it the instance-profile resource type): the profiles under
    /// `PathPrefix`, by name, paged.
    ListInstanceProfiles(ListInstanceProfilesRequest) -> ListInstanceProfilesResponse;

    fn resource(cx, _input) {
        Ok(format!(
            "arn:aws:iam::{}:instance-profile/",
            cx.caller()?.account
        ))
    }

    fn run(cx, input) {
        let prefix = input.path_prefix.as_deref();
        shared::list(cx, &input, |v| Ok(v.instance_profiles(prefix)), instance_profiles::shape)
    }
}
