//! `iam:CreatePolicyVersion`.

use keyturn_api::iam::{CreatePolicyVersionRequest, CreatePolicyVersionResponse};

use super::admin::{self, quota};
use super::write;
use crate::iam::PolicyVersion;
use crate::ops::prelude::*;

operation! {
    /// `iam:CreatePolicyVersion` on the policy's ARN: adds a version (`v` and the next number; the
    /// numbers keep counting after deletions), the default one with `SetAsDefault` (which then
    /// decides the next request). At most 5 versions, as IAM.
    CreatePolicyVersion(CreatePolicyVersionRequest)
        -> CreatePolicyVersionResponse, on admin::policy_arn(policy_arn);

    fn run(cx, input) {
        let document = admin::managed_document(&input.policy_document)?;
        let (id, snapshot) = admin::edit_policy(cx, &input.policy_arn, |p, policy| {
            if policy.versions.len() >= quota::VERSIONS {
                return Err(admin::limit(format!(
                    "A managed policy can have up to {} versions. Before you create a new version, you must delete an existing version.",
                    quota::VERSIONS
                )));
            }
            policy.last_version = policy.last_version.saturating_add(1);
            let id = format!("v{}", policy.last_version);
            policy.versions.push(PolicyVersion {
                id: id.clone(),
                document: document.clone(),
                create_date: Some(crate::clock::iso8601(p.now)),
            });
            if input.set_as_default == Some(true) {
                policy.default_version.clone_from(&id);
            }
            Ok(id)
        })?;
        let v = write::view_of(cx, &snapshot)?;
        let made = v.policy_version(&input.policy_arn, &id)?;
        Ok(CreatePolicyVersionResponse {
            policy_version: Some(keyturn_api::iam::PolicyVersion {
                document: None,
                ..made
            }),
        })
    }
}
