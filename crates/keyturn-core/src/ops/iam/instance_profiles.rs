//! What the instance profile operations share: the ARN they are authorized on, finding the
//! profile a write changes, and the conversion to IAM's `InstanceProfile` shape (its roles in
//! GetRole's shape, as IAM answers them).

use keyturn_api::iam::{InstanceProfile, Tag};

use super::shared;
use super::write::{self, Plan};
use crate::Error;
use crate::engine::view::InstanceProfileInfo;
use crate::iam::{self, Entity, Tags};
use crate::ops::Context;

pub(crate) use crate::engine::view::no_such_instance_profile;

/// The ARN of the caller's account's instance profile `name`: with its path when it exists,
/// else at the root path.
pub(crate) fn arn(cx: &Context<'_>, name: &str) -> Result<String, Error> {
    shared::arn_in_account(cx, "instance-profile", name, |a| {
        let profile = a.instance_profiles.iter().find(|p| p.name == name);
        profile.map(|p| p.arn(&a.id))
    })
}

/// The profile `name` of the plan's account, to change and put back.
///
/// # Errors
/// `NoSuchEntity`: "Instance Profile X cannot be found."
pub(crate) fn find(p: &Plan<'_>, name: &str) -> Result<iam::InstanceProfile, Error> {
    p.account
        .instance_profiles
        .iter()
        .find(|i| i.name == name)
        .cloned()
        .ok_or_else(|| no_such_instance_profile(name))
}

/// Changes the profile `name` with `edit` and stores it.
///
/// # Errors
/// As [`find`]; what `edit` returns.
pub(crate) fn update(
    cx: &Context<'_>,
    name: &str,
    mut edit: impl FnMut(&Plan<'_>, &mut iam::InstanceProfile) -> Result<(), Error>,
) -> Result<(), Error> {
    write::change(cx, |p| {
        let mut profile = find(p, name)?;
        edit(p, &mut profile)?;
        p.put(Entity::InstanceProfile(profile));
        Ok(())
    })?;
    Ok(())
}

/// The model's tags as the shape's, `None` when there are none (IAM then omits `Tags`).
pub(crate) fn tag_list(tags: &Tags) -> Option<Vec<Tag>> {
    (!tags.is_empty()).then(|| {
        tags.iter()
            .map(|(key, value)| Tag {
                key: key.clone(),
                value: value.clone(),
            })
            .collect()
    })
}

/// An instance profile as IAM writes it, with its roles as GetRole shows them.
pub(crate) fn shape(p: InstanceProfileInfo) -> InstanceProfile {
    InstanceProfile {
        path: p.path,
        instance_profile_name: p.name,
        instance_profile_id: p.instance_profile_id.to_string(),
        arn: p.arn,
        create_date: p.create_date,
        roles: p
            .roles
            .into_iter()
            .map(|r| shared::role(r, false))
            .collect(),
        tags: shared::tags(&p.tags),
    }
}
