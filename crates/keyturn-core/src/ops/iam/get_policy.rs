//! `iam:GetPolicy`.

use keyturn_api::iam::{GetPolicyRequest, GetPolicyResponse, Policy};

use super::admin;
use super::shared;
use crate::ops::prelude::*;

/// A managed policy as CreatePolicy writes it: its description is not echoed, and tags only
/// when it has some (what real IAM answers, checked by moto's AWS-verified
/// `test_policy_resource_returns_subset_of_available_attributes`).
pub(crate) fn created(p: Policy) -> Policy {
    Policy {
        description: None,
        ..p
    }
}

/// A managed policy as GetPolicy writes it: its description when it has one, and its tags
/// always (an empty `Tags` element when it has none).
pub(crate) fn policy(p: Policy) -> Policy {
    Policy {
        tags: Some(p.tags.unwrap_or_default()),
        ..p
    }
}

/// A managed policy as ListPolicies writes it: without description and tags (IAM shows them
/// in GetPolicy only).
pub(crate) fn listed(p: Policy) -> Policy {
    Policy {
        description: None,
        tags: None,
        ..p
    }
}

operation! {
    /// `iam:GetPolicy` on the policy's ARN: a customer managed policy of the caller's account or
    /// an AWS managed policy (`arn:aws:iam::aws:policy/…`).
    GetPolicy(GetPolicyRequest) -> GetPolicyResponse, on admin::policy_arn(policy_arn);

    // AWS managed policies (`arn:aws:iam::aws:policy/…`) belong to no account: the engine
    // authorizes reading them with the caller's identity policies alone.

    fn run(cx, input) {
        let v = shared::view(cx)?;
        Ok(GetPolicyResponse {
            policy: Some(policy(v.policy(&input.policy_arn)?)),
        })
    }
}
