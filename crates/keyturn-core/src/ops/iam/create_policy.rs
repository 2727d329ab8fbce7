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
    CreatePolicy(CreatePolicyRequest) -> CreatePolicyResponse, when write::requested_tags(tags);

    fn resource(cx, input) { write::new_arn(cx, "policy", input.path.as_deref(), &input.policy_name) }

    fn run(cx, input) {
        let document = admin::managed_document(&input.policy_document)?;
        let plan = |p: &write::Plan<'_>| {
            let a = p.account;
            let name = &input.policy_name;
            write::admit_named(&a.managed_policies, name, quota::POLICIES, || {
                write::exists(format!(
                    "A policy called {name} already exists. Duplicate names are not allowed."
                ))
            })?;
            let mut made = ManagedPolicy::new(
                input.policy_name.clone(),
                write::path(input.path.as_deref()).to_owned(),
                document.clone(),
            );
            made.id = write::new_id(UniqueIdKind::Policy)?;
            made.description.clone_from(&input.description);
            made.tags = write::tags(input.tags.as_deref(), &Default::default())?;
            Ok((made.arn(&a.id), Entity::ManagedPolicy(made)))
        };
        write::create(cx, plan, |v, arn| {
            Ok(CreatePolicyResponse {
                policy: Some(created(v.policy(&arn)?)),
            })
        })
    }
}
