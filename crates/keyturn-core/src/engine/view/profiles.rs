//! Instance profiles as IAM's read operations answer them (GetInstanceProfile,
//! ListInstanceProfiles, ListInstanceProfilesForRole, ListInstanceProfileTags).

use time::OffsetDateTime;

use super::{AccountView, RoleInfo, Tag, by_name, path_matches, tags};
use crate::iam::InstanceProfile;
use crate::ids::UniqueId;
use crate::{Error, ErrorCode};

/// An instance profile with its roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceProfileInfo {
    /// The path.
    pub path: String,
    /// The name.
    pub name: String,
    /// `AIPA…`.
    pub instance_profile_id: UniqueId,
    /// `arn:aws:iam::ACCT:instance-profile/PATH/NAME`.
    pub arn: String,
    /// When it was created.
    pub create_date: OffsetDateTime,
    /// Its roles (at most one), as GetRole shows them.
    pub roles: Vec<RoleInfo>,
    /// Its tags, by key.
    pub tags: Vec<Tag>,
}

/// IAM's text for a missing instance profile (`NoSuchEntity`), as the AWS CLI prints it:
/// "Instance Profile X cannot be found."
pub(crate) fn no_such_instance_profile(name: &str) -> Error {
    Error::new(
        ErrorCode::NoSuchEntity,
        format!("Instance Profile {name} cannot be found."),
    )
}

impl AccountView<'_> {
    fn instance_profile_info(&self, p: &InstanceProfile) -> InstanceProfileInfo {
        let arn = p.arn(&self.account.id);
        InstanceProfileInfo {
            path: p.path.clone(),
            name: p.name.clone(),
            instance_profile_id: self.unique_id(&arn, || None),
            create_date: self.create_date(&arn),
            roles: p
                .roles
                .iter()
                .filter_map(|r| self.account.role(r))
                .map(|r| self.role_info(r))
                .collect(),
            tags: tags(&p.tags),
            arn,
        }
    }

    /// GetInstanceProfile.
    ///
    /// # Errors
    /// `NoSuchEntity`: "Instance Profile X cannot be found."
    pub fn instance_profile(&self, name: &str) -> Result<InstanceProfileInfo, Error> {
        self.account
            .instance_profiles
            .iter()
            .find(|p| p.name == name)
            .map(|p| self.instance_profile_info(p))
            .ok_or_else(|| no_such_instance_profile(name))
    }

    /// ListInstanceProfiles (before paging): the profiles under `path_prefix`, by name.
    pub fn instance_profiles(&self, path_prefix: Option<&str>) -> Vec<InstanceProfileInfo> {
        let list = self.account.instance_profiles.iter();
        let list = list.filter(|p| path_matches(&p.path, path_prefix));
        by_name(list.map(|p| self.instance_profile_info(p)).collect(), |p| {
            &p.name
        })
    }

    /// ListInstanceProfilesForRole (before paging): the profiles that hold `role`, by name.
    ///
    /// # Errors
    /// `NoSuchEntity` for an unknown role.
    pub fn instance_profiles_for_role(
        &self,
        role: &str,
    ) -> Result<Vec<InstanceProfileInfo>, Error> {
        let r = self.find_role(role)?;
        let list = self.account.instance_profiles.iter();
        let list = list.filter(|p| p.roles.contains(&r.name));
        Ok(by_name(
            list.map(|p| self.instance_profile_info(p)).collect(),
            |p| &p.name,
        ))
    }
}
