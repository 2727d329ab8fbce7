//! `iam:CreatePolicy`.

use crate::ids::UniqueIdKind;
use keyturn_api::iam::{CreatePolicyRequest, CreatePolicyResponse};

use super::admin::{self, quota};
use super::get_policy::created;
use super::write;
use crate::iam::{Entity, ManagedPolicy};
use crate::ops::prelude::*;

operation! {
    /// `iam:CreatePolicy` on the new policy's ARN, with the request's tags as condition keys: a
    /// customer managed policy whose one version, `v1`, is the default (its document checked as an
    /// identity policy, at most 6144 characters without whitespace).
    CreatePolicy(CreatePolicyRequest) -> CreatePolicyResponse;

    fn resource(cx, input) { write::new_arn(cx, "policy", input.path.as_deref(), &input.policy_name) }

    fn conditions(_cx, input) { Ok(write::tag_conditions(input.tags.as_deref())) }

    fn run(cx, input) {
        let document = admin::managed_document(&input.policy_document)?;
        let (arn, snapshot) = write::change(cx, |p| {
            let a = p.account;
            let names = a.managed_policies.iter().map(|m| m.name.as_str());
            if write::taken(names, &input.policy_name) {
                return Err(Error::new(
                    ErrorCode::EntityAlreadyExists,
                    format!(
                        "A policy called {} already exists. Duplicate names are not allowed.",
                        input.policy_name
                    ),
                ));
            }
            write::within(
                a.managed_policies.len(),
                quota::POLICIES,
                "PoliciesPerAccount",
            )?;
            let mut made = ManagedPolicy::new(
                input.policy_name.clone(),
                write::path(input.path.as_deref()).to_owned(),
                document.clone(),
            );
            made.id = write::new_id(UniqueIdKind::Policy)?;
            made.description.clone_from(&input.description);
            made.tags = write::tags(input.tags.as_deref(), &Default::default())?;
            let arn = made.arn(&a.id);
            p.created(arn.clone());
            p.put(Entity::ManagedPolicy(made));
            Ok(arn)
        })?;
        let v = write::view_of(cx, &snapshot)?;
        Ok(CreatePolicyResponse {
            policy: Some(created(v.policy(&arn)?)),
        })
    }
}
