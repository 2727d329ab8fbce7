//! `iam:CreateInstanceProfile`.

use crate::ids::UniqueIdKind;
use keyturn_api::iam::{CreateInstanceProfileRequest, CreateInstanceProfileResponse};

use super::{instance_profiles, write};
use crate::iam::{Entity, InstanceProfile};
use crate::ops::prelude::*;

/// Instance profiles per account (IAM's default quota).
const PROFILES: write::Quota = write::Quota::new(1000, "InstanceProfilesPerAccount");

operation! {
    /// `iam:CreateInstanceProfile` on the new profile's ARN, with the request's tags as condition
    /// keys: an empty instance profile (AddRoleToInstanceProfile gives it its role).
    CreateInstanceProfile(CreateInstanceProfileRequest) -> CreateInstanceProfileResponse,
        when write::requested_tags(tags);

    fn resource(cx, input) {
        write::new_arn(cx, "instance-profile", input.path.as_deref(), &input.instance_profile_name)
    }

    fn run(cx, input) {
        let name = &input.instance_profile_name;
        let plan = |p: &write::Plan<'_>| {
            let a = p.account;
            // IAM's wording for profiles differs from users' and roles'.
            write::admit_named(&a.instance_profiles, name, PROFILES, || {
                write::exists(format!("Instance Profile {name} already exists."))
            })?;
            let profile = InstanceProfile {
                name: name.clone(),
                id: write::new_id(UniqueIdKind::InstanceProfile)?,
                path: write::path(input.path.as_deref()).to_owned(),
                roles: Vec::new(),
                tags: write::tags(input.tags.as_deref(), &Default::default())?,
            };
            Ok((profile.arn(&a.id), Entity::InstanceProfile(profile)))
        };
        write::create(cx, plan, |v, _| {
            Ok(CreateInstanceProfileResponse {
                instance_profile: instance_profiles::shape(v.instance_profile(name)?),
            })
        })
    }
}
