//! `iam:PutUserPolicy`.

use crate::ops::prelude::*;
use keyturn_api::iam::PutUserPolicyRequest;

use super::shared::{self, Kind};
use super::users_groups::{Holder, change_inline};

operation! {
    /// `iam:PutUserPolicy` on the user's ARN: adds or replaces an inline policy. The document must be
    /// an identity policy the compiler accepts (`MalformedPolicyDocument` with AWS's text otherwise),
    /// and the user's inline policies together at most 2,048 characters, whitespace not counted
    /// (`LimitExceeded`). It decides the very next request.
    PutUserPolicy(PutUserPolicyRequest) -> NoOutput;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::User, &input.user_name) }

    fn run(cx, input) {
        change_inline(
            cx,
            Holder::User,
            &input.user_name,
            &input.policy_name,
            Some(&input.policy_document),
        )?;
        Ok(NoOutput)
    }
}
