//! `iam:PutRolePolicy`.

use crate::ops::prelude::*;
use keyturn_api::iam::PutRolePolicyRequest;
use keyturn_policy::PolicyType;

use super::admin::{self, quota};
use super::shared::{self, Kind};

operation! {
    /// `iam:PutRolePolicy` on the role's ARN (with `iam:PermissionsBoundary`, the role's
    /// boundary): adds or replaces an inline policy. The role's inline policies together may not
    /// pass 10240 characters (whitespace not counted). It applies from the next request on, to
    /// the role's sessions already issued too (they are evaluated against the role's current
    /// policies, as in IAM).
    PutRolePolicy(PutRolePolicyRequest) -> NoOutput;

    fn resource(cx, input) { shared::entity_arn(cx, Kind::Role, &input.role_name) }

    fn conditions(cx, input) { admin::role_boundary_condition(cx, &input.role_name) }

    fn run(cx, input) {
        let document = admin::valid(&input.policy_document, PolicyType::Identity)?;
        admin::edit_role(cx, &input.role_name, |_, role| {
            role.inline_policies
                .insert(input.policy_name.clone(), document.clone());
            let total: usize = role.inline_policies.values().map(|d| admin::size(d)).sum();
            if total > quota::ROLE_INLINE_SIZE {
                return Err(admin::limit(format!(
                    "Maximum policy size of {} bytes exceeded for role {}",
                    quota::ROLE_INLINE_SIZE,
                    role.name
                )));
            }
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
