//! `iam:DeletePolicy`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeletePolicyRequest;

use super::admin;
use super::write;
use crate::iam::EntityKind;

operation! {
    /// `iam:DeletePolicy` on the policy's ARN: deletes a customer managed policy. As IAM, refuses
    /// one that is attached to (or is the permissions boundary of) an entity, or that has versions
    /// other than the default (`DeleteConflict`).
    DeletePolicy(DeletePolicyRequest) -> NoOutput, on admin::policy_arn(policy_arn);

    fn run(cx, input) {
        let arn = &input.policy_arn;
        write::change(cx, |p| {
            let policy = admin::find_policy(p, arn)?;
            let a = p.account;
            let has = |list: &[String]| list.iter().any(|x| x == arn);
            let is = |b: &Option<String>| b.as_deref() == Some(arn.as_str());
            let used = a
                .users
                .iter()
                .any(|u| has(&u.managed_policies) || is(&u.permissions_boundary))
                || a.groups.iter().any(|g| has(&g.managed_policies))
                || a.roles
                    .iter()
                    .any(|r| has(&r.managed_policies) || is(&r.permissions_boundary));
            let conflict = |text: &str| Err(Error::new(ErrorCode::DeleteConflict, text));
            if used {
                return conflict("Cannot delete a policy attached to entities.");
            }
            if policy.versions.len() > 1 {
                return conflict(
                    "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
                );
            }
            p.forget(arn.clone());
            p.delete(EntityKind::ManagedPolicy, &policy.name);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
