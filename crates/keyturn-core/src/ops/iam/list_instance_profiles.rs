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
        let items = shared::view(cx)?.instance_profiles(input.path_prefix.as_deref());
        shared::paged(items, &input, instance_profiles::shape)
    }
}
