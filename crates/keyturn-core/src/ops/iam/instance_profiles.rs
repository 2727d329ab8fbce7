//! What the instance profile operations share: the ARN they are authorized on and finding the
//! profile a write changes.

use super::shared;
use super::write::{self, Plan};
use crate::Error;
use crate::iam::{self, Entity};
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
