//! Instance profiles as IAM's read operations answer them (GetInstanceProfile,
//! ListInstanceProfiles, ListInstanceProfilesForRole, ListInstanceProfileTags).

use keyturn_api::iam::InstanceProfile;

use super::{AccountView, listed, listed_role, tags, under};
use crate::{Error, ErrorCode, iam};

/// IAM's text for a missing instance profile (`NoSuchEntity`), as the AWS CLI prints it:
/// "Instance Profile X cannot be found."
pub(crate) fn no_such_instance_profile(name: &str) -> Error {
    Error::new(
        ErrorCode::NoSuchEntity,
        format!("Instance Profile {name} cannot be found."),
    )
}

impl AccountView<'_> {
    /// An instance profile, with its roles as the lists show them.
    fn instance_profile_info(&self, p: &iam::InstanceProfile) -> InstanceProfile {
        let (arn, instance_profile_id, create_date) = self.identity(p.arn(&self.account.id), None);
        InstanceProfile {
            path: p.path.clone(),
            instance_profile_name: p.name.clone(),
            instance_profile_id,
            create_date,
            roles: p
                .roles
                .iter()
                .filter_map(|r| self.account.role(r))
                .map(|r| listed_role(self.role_info(r)))
                .collect(),
            tags: tags(&p.tags),
            arn,
        }
    }

    /// GetInstanceProfile.
    ///
    /// # Errors
    /// `NoSuchEntity`: "Instance Profile X cannot be found."
    pub fn instance_profile(&self, name: &str) -> Result<InstanceProfile, Error> {
        self.account
            .instance_profiles
            .iter()
            .find(|p| p.name == name)
            .map(|p| self.instance_profile_info(p))
            .ok_or_else(|| no_such_instance_profile(name))
    }

    /// ListInstanceProfiles (before paging): the profiles under `path_prefix`, by name.
    pub fn instance_profiles(&self, path_prefix: Option<&str>) -> Vec<InstanceProfile> {
        let list = under(&self.account.instance_profiles, path_prefix);
        listed(list, |p| self.instance_profile_info(p))
    }

    /// ListInstanceProfilesForRole (before paging): the profiles that hold `role`, by name.
    ///
    /// # Errors
    /// `NoSuchEntity` for an unknown role.
    pub fn instance_profiles_for_role(&self, role: &str) -> Result<Vec<InstanceProfile>, Error> {
        let r = self.find_role(role)?;
        let list = self.account.instance_profiles.iter();
        let list = list.filter(|p| p.roles.contains(&r.name));
        Ok(listed(list, |p| self.instance_profile_info(p)))
    }
}
