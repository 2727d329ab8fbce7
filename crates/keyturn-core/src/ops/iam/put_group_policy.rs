//! `iam:PutGroupPolicy`.

use crate::ops::prelude::*;
use keyturn_api::iam::PutGroupPolicyRequest;

use super::shared::{self, Kind};
use super::users_groups::{Holder, change_inline};

operation! {
    /// `iam:PutGroupPolicy` on the group's ARN: adds or replaces an inline policy. The document must be
    /// an identity policy the compiler accepts (`MalformedPolicyDocument` with AWS's text otherwise),
    /// and the group's inline policies together at most 5,120 characters, whitespace not counted
    /// (`LimitExceeded`). It decides its members' very next request.
    PutGroupPolicy(PutGroupPolicyRequest) -> NoOutput;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::Group, &input.group_name) }

    fn run(cx, input) {
        change_inline(
            cx,
            Holder::Group,
            &input.group_name,
            &input.policy_name,
            Some(&input.policy_document),
        )?;
        Ok(NoOutput)
    }
}
