//! `iam:UpdateAssumeRolePolicy`.

use crate::ops::prelude::*;
use keyturn_api::iam::UpdateAssumeRolePolicyRequest;

use super::admin;
use super::shared;

operation! {
    /// `iam:UpdateAssumeRolePolicy` on the role's ARN: replaces the trust policy (checked as
    /// CreateRole checks it). The next AssumeRole is decided by the new policy; sessions already
    /// issued stay valid, as in IAM.
    UpdateAssumeRolePolicy(UpdateAssumeRolePolicyRequest)
        -> NoOutput, on shared::role_arn(role_name);

    fn run(cx, input) {
        let trust = admin::trust_policy(&input.policy_document)?;
        admin::edit_role(cx, &input.role_name, |p, role| {
            admin::check_principals(&p.snapshot.data, &trust)?;
            role.trust_policy.clone_from(&trust);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
