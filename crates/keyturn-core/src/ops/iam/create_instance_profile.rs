//! `iam:CreateInstanceProfile`.

use crate::ids::UniqueIdKind;
use keyturn_api::iam::{CreateInstanceProfileRequest, CreateInstanceProfileResponse};

use super::{instance_profiles, write};
use crate::iam::{Entity, InstanceProfile};
use crate::ops::prelude::*;

/// Instance profiles per account (IAM's default quota).
const PROFILES: usize = 1000;

operation! {
    /// `iam:CreateInstanceProfile` on the new profile's ARN, with the request's tags as condition
    /// keys: an empty instance profile (AddRoleToInstanceProfile gives it its role).
    CreateInstanceProfile(CreateInstanceProfileRequest) -> CreateInstanceProfileResponse;

    fn resource(cx, input) {
        write::new_arn(cx, "instance-profile", input.path.as_deref(), &input.instance_profile_name)
    }

    fn conditions(_cx, input) { Ok(write::tag_conditions(input.tags.as_deref())) }

    fn run(cx, input) {
        let name = &input.instance_profile_name;
        let (_, snapshot) = write::change(cx, |p| {
            let a = p.account;
            let names = a.instance_profiles.iter().map(|i| i.name.as_str());
            if write::taken(names, name) {
                // IAM's wording for profiles differs from users' and roles'.
                return Err(Error::new(
                    ErrorCode::EntityAlreadyExists,
                    format!("Instance Profile {name} already exists."),
                ));
            }
            write::within(
                a.instance_profiles.len(),
                PROFILES,
                "InstanceProfilesPerAccount",
            )?;
            let profile = InstanceProfile {
                name: name.clone(),
                id: write::new_id(UniqueIdKind::InstanceProfile)?,
                path: write::path(input.path.as_deref()).to_owned(),
                roles: Vec::new(),
                tags: write::tags(input.tags.as_deref(), &Default::default())?,
            };
            p.created(profile.arn(&a.id));
            p.put(Entity::InstanceProfile(profile));
            Ok(())
        })?;
        let v = write::view_of(cx, &snapshot)?;
        Ok(CreateInstanceProfileResponse {
            instance_profile: instance_profiles::shape(v.instance_profile(name)?),
        })
    }
}
