//! `iam:GetPolicy`.

use keyturn_api::iam::{GetPolicyRequest, GetPolicyResponse, Policy};

use super::admin;
use super::shared;
use crate::engine::view::PolicyInfo;
use crate::ops::prelude::*;

/// A managed policy as CreatePolicy writes it: its description is not echoed, and tags only
/// when it has some (what real IAM answers, checked by moto's AWS-verified
/// `test_policy_resource_returns_subset_of_available_attributes`).
pub(crate) fn created(p: PolicyInfo) -> Policy {
    let tags = shared::tags(&p.tags);
    Policy {
        description: None,
        tags,
        ..policy(p)
    }
}

/// A managed policy as GetPolicy writes it: its description when it has one, and its tags
/// always (an empty `Tags` element when it has none).
pub(crate) fn policy(p: PolicyInfo) -> Policy {
    let tags = Some(shared::tags(&p.tags).unwrap_or_default());
    Policy {
        policy_name: Some(p.name),
        policy_id: Some(p.policy_id.to_string()),
        arn: Some(p.arn),
        path: Some(p.path),
        default_version_id: Some(p.default_version_id),
        attachment_count: Some(shared::int(p.attachment_count)),
        permissions_boundary_usage_count: Some(shared::int(p.permissions_boundary_usage_count)),
        is_attachable: Some(p.is_attachable),
        description: p.description,
        create_date: Some(p.create_date),
        update_date: Some(p.update_date),
        tags,
    }
}

/// A managed policy as ListPolicies writes it: without description and tags (IAM shows them
/// in GetPolicy only).
pub(crate) fn listed(p: PolicyInfo) -> Policy {
    Policy {
        description: None,
        tags: None,
        ..policy(p)
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
