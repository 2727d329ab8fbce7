//! The IAM read view: what IAM's read operations (GetUser, ListRoles, GetPolicy,
//! GetAccountAuthorizationDetails, …) answer about one account, as plain Rust data.
//!
//! [`AccountView`] reads a [`Snapshot`]: the model it was built from, the unique ids the
//! snapshot derived (`AIDA…`, `AROA…`, `AGPA…`, `ANPA…`) and the policies it compiled. It answers
//! with the generated shapes of `keyturn_api::iam` (`User`, `Role`, `Policy`, …) as the read
//! operations send them; lists go through [`paginate`] after filtering by `PathPrefix`
//! ([`path_matches`]), and the list operations leave out what IAM's lists leave out
//! ([`listed_user`], [`listed_role`]).
//!
//! Order: every list is in byte order of the entity name (AWS's names are ASCII, so this is
//! ASCII order: `Admin` before `admin`), which is the order IAM lists in. Policy documents are
//! URL-encoded, as IAM returns them ([`url_encode_document`]).
//!
//! Error texts (`NoSuchEntity`, 404), each as IAM writes it, and where each was checked:
//! - "The user with name X cannot be found." (GetUser and every per-user call), "The role with
//!   name X cannot be found.", "The group with name X cannot be found.": AWS CLI output quoted
//!   in many public issue reports; moto and LocalStack answer the same.
//! - "The role policy with name P cannot be found." (likewise "user policy", "group policy"):
//!   AWS CLI output of GetRolePolicy quoted in public reports; moto's and LocalStack's
//!   GetUserPolicy and GetRolePolicy use the same texts.
//! - "Policy ARN does not exist or is not attachable.": AttachRolePolicy's NoSuchEntity from real
//!   AWS, quoted in Terraform runs (e.g. for `arn:aws:iam::aws:policy/service-role/ConfigRole`);
//!   "Policy ARN version V does not exist or is not attachable." (GetPolicyVersion): the same
//!   wording as other IAM emulators record it (not seen from AWS itself).
//! - "OpenIDConnect Provider not found for arn ARN": moto's tests and several emulators.
//! - "Manifest not found for arn ARN" (GetSAMLProvider): a cloud scanner's test fixture of AWS's
//!   error response, and other emulators.
//! - A bad `Marker`: `ValidationError` "Invalid Marker." ([`INVALID_MARKER`]).

mod details;
mod paging;
mod profiles;
#[cfg(test)]
mod tests;
mod types;

use crate::ErrorCode;
use std::collections::BTreeMap;

use keyturn_api::iam::{
    AccessKeyMetadata, AttachedPermissionsBoundary, AttachedPolicy,
    GetOpenIDConnectProviderResponse, GetSAMLProviderResponse, Group, MFADevice, Policy,
    PolicyDetail, PolicyVersion, Role, SAMLPrivateKey, SAMLProviderListEntry, Tag, User,
    VirtualMFADevice,
};
use time::OffsetDateTime;
use time::macros::datetime;

use crate::Error;
use crate::engine::Snapshot;
use crate::iam::managed::{self, AwsManagedPolicy};
use crate::iam::{self as model, Account, Tags};
use crate::ids::{AccountId, UniqueId};

pub use crate::iam::AccessKeyStatus;
pub use details::{AuthorizationDetail, EntityFilter, context_keys_for_custom_policies};
pub use paging::{
    DEFAULT_MAX_ITEMS, INVALID_MARKER, MAX_MAX_ITEMS, Page, paginate, path_matches,
    url_encode_document,
};
pub(crate) use profiles::no_such_instance_profile;
pub use types::{AssignmentStatus, PolicyFilter, PolicyHolder, PolicyScope, PolicyUsage};

/// The creation date of every entity whose configuration gives none: 2010-05-08T00:00:00Z, the
/// IAM API's version date.
///
/// A constant rather than, say, the time the store first loaded the model: the same on every
/// node, after every restart and across model reloads (the snapshot is rebuilt on every change),
/// so an unchanged entity never looks re-created to tools that compare `CreateDate`s, and no
/// store has to keep an extra timestamp. Set `create_date:` on an entity for a real one.
pub const DEFAULT_CREATE_DATE: OffsetDateTime = datetime!(2010-05-08 00:00:00 UTC);

/// A configured creation date (ISO-8601 / RFC 3339, `2024-01-31T12:00:00Z` or with an offset)
/// in the form [`Account::create_dates`] keeps: UTC, to the second. `None` when it is not one.
pub fn normalize_create_date(text: &str) -> Option<String> {
    let t = crate::clock::parse_iso8601(text)?;
    Some(crate::clock::iso8601(t.replace_nanosecond(0).ok()?))
}

/// One account of a snapshot, read as IAM's read operations answer.
#[derive(Debug, Clone, Copy)]
pub struct AccountView<'s> {
    snapshot: &'s Snapshot,
    account: &'s Account,
    id: AccountId,
}

/// A NoSuchEntity error for a missing user, role or group, in IAM's words.
fn no_such(kind: &str, name: &str) -> Error {
    Error::new(
        ErrorCode::NoSuchEntity,
        format!("The {kind} with name {name} cannot be found."),
    )
}

/// IAM's text for a missing managed policy.
fn no_such_policy(arn: &str) -> Error {
    Error::new(
        ErrorCode::NoSuchEntity,
        format!("Policy {arn} does not exist or is not attachable."),
    )
}

/// The model's tags as the shapes', by key.
pub fn tag_list(tags: &Tags) -> Vec<Tag> {
    tags.iter()
        .map(|(key, value)| Tag {
            key: key.clone(),
            value: value.clone(),
        })
        .collect()
}

/// The model's tags as a shape's `Tags`, `None` when there are none (IAM then omits `Tags`).
pub fn tags(tags: &Tags) -> Option<Vec<Tag>> {
    (!tags.is_empty()).then(|| tag_list(tags))
}

/// A permissions boundary as IAM writes it (type `PermissionsBoundaryPolicy`).
pub fn boundary(arn: Option<&String>) -> Option<AttachedPermissionsBoundary> {
    arn.map(|a| AttachedPermissionsBoundary {
        permissions_boundary_type: Some("PermissionsBoundaryPolicy".to_owned()),
        permissions_boundary_arn: Some(a.clone()),
    })
}

/// `Active` or `Inactive`, as the wire writes a key's status.
pub fn status_text(status: AccessKeyStatus) -> &'static str {
    match status {
        AccessKeyStatus::Active => "Active",
        AccessKeyStatus::Inactive => "Inactive",
    }
}

/// A user as IAM's lists show it (ListUsers, GetGroup's members, ListVirtualMFADevices):
/// without its boundary and tags, which only GetUser sends.
pub fn listed_user(u: User) -> User {
    User {
        permissions_boundary: None,
        tags: None,
        ..u
    }
}

/// A role as IAM's lists show it (ListRoles, an instance profile's roles): without its boundary
/// and tags, which only GetRole sends.
pub fn listed_role(r: Role) -> Role {
    Role {
        permissions_boundary: None,
        tags: None,
        ..r
    }
}

/// A count for the wire.
fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// IAM's NoSuchEntity for a missing OIDC provider: "OpenIDConnect Provider not found for arn ARN".
pub fn no_such_oidc_provider(arn: &str) -> Error {
    Error::new(
        ErrorCode::NoSuchEntity,
        format!("OpenIDConnect Provider not found for arn {arn}"),
    )
}

/// IAM's NoSuchEntity for a missing SAML provider: "Manifest not found for arn ARN".
pub fn no_such_saml_provider(arn: &str) -> Error {
    Error::new(
        ErrorCode::NoSuchEntity,
        format!("Manifest not found for arn {arn}"),
    )
}

/// A model entity that IAM lists by name, filtered by `PathPrefix`.
trait PathNamed {
    /// Its path (`/`, `/eng/`).
    fn path(&self) -> &str;
    /// Its name.
    fn name(&self) -> &str;
}

/// Implements [`PathNamed`] for model types with `path` and `name` fields.
macro_rules! path_named {
    ($($t:ty),* $(,)?) => {$(
        impl PathNamed for $t {
            fn path(&self) -> &str {
                &self.path
            }

            fn name(&self) -> &str {
                &self.name
            }
        }
    )*};
}

path_named!(
    model::User,
    model::Group,
    model::Role,
    model::InstanceProfile
);

/// The model's entities of `items` under `PathPrefix` `path_prefix` ([`path_matches`]).
fn under<'e, E: PathNamed>(
    items: &'e [E],
    path_prefix: Option<&'e str>,
) -> impl Iterator<Item = &'e E> {
    items
        .iter()
        .filter(move |e| path_matches(e.path(), path_prefix))
}

/// The model's entities `items` by name (byte order, as IAM lists), each as `info` reads it.
fn listed<'e, E: PathNamed + 'e, T>(
    items: impl IntoIterator<Item = &'e E>,
    info: impl FnMut(&'e E) -> T,
) -> Vec<T> {
    let mut list: Vec<&E> = items.into_iter().collect();
    list.sort_by(|a, b| a.name().cmp(b.name()));
    list.into_iter().map(info).collect()
}

fn by_name<T>(mut items: Vec<T>, name: impl Fn(&T) -> &str) -> Vec<T> {
    items.sort_by(|a, b| name(a).cmp(name(b)));
    items
}

fn policy_name_of(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

impl<'s> AccountView<'s> {
    /// The view of `account_id` in `snapshot`; `None` when the model has no such account.
    pub fn new(snapshot: &'s Snapshot, account_id: &str) -> Option<Self> {
        let account = snapshot.data.account(account_id)?;
        let id = account_id.parse().ok()?;
        Some(Self {
            snapshot,
            account,
            id,
        })
    }

    /// The account id.
    pub fn account_id(&self) -> AccountId {
        self.id
    }

    /// The model's account.
    pub fn account(&self) -> &'s Account {
        self.account
    }

    /// ListAccountAliases: the alias, if any (an account has at most one).
    pub fn account_aliases(&self) -> Vec<String> {
        self.account.alias.iter().cloned().collect()
    }

    /// The creation date the configuration gives for `key` (an ARN, serial or key id), else
    /// [`DEFAULT_CREATE_DATE`].
    pub fn create_date(&self, key: &str) -> OffsetDateTime {
        self.account
            .create_dates
            .get(key)
            .and_then(|text| crate::clock::parse_iso8601(text))
            .unwrap_or(DEFAULT_CREATE_DATE)
    }

    fn find_user(&self, name: &str) -> Result<&'s model::User, Error> {
        self.account.user(name).ok_or_else(|| no_such("user", name))
    }

    fn find_role(&self, name: &str) -> Result<&'s model::Role, Error> {
        self.account.role(name).ok_or_else(|| no_such("role", name))
    }

    fn find_group(&self, name: &str) -> Result<&'s model::Group, Error> {
        self.account
            .group(name)
            .ok_or_else(|| no_such("group", name))
    }

    fn unique_id(&self, arn: &str, fallback: impl FnOnce() -> Option<UniqueId>) -> UniqueId {
        self.snapshot
            .entity_ids
            .get(arn)
            .cloned()
            .or_else(fallback)
            .unwrap_or_else(|| managed::aws_policy_id(arn))
    }

    fn user_info(&self, u: &model::User) -> User {
        let compiled = self.snapshot.user(self.id, &u.name).map(|e| &e.unique_id);
        let (arn, user_id, create_date) = self.identity(u.arn(&self.account.id), compiled);
        User {
            path: u.path.clone(),
            user_name: u.name.clone(),
            user_id,
            create_date,
            arn,
            password_last_used: None,
            permissions_boundary: boundary(u.permissions_boundary.as_ref()),
            tags: tags(&u.tags),
        }
    }

    /// What the shape of an entity with ARN `arn` carries from the snapshot and the model's
    /// dates: the ARN, its unique id (the one the snapshot compiled with it, `compiled`, else as
    /// [`AccountView::unique_id`] finds it) and its creation date.
    fn identity(
        &self,
        arn: String,
        compiled: Option<&UniqueId>,
    ) -> (String, String, OffsetDateTime) {
        let id = compiled
            .cloned()
            .unwrap_or_else(|| self.unique_id(&arn, || None));
        let create_date = self.create_date(&arn);
        (arn, id.to_string(), create_date)
    }

    /// The entity of `items` whose ARN in this account (`arn_of`) is `arn`.
    fn find_by_arn<E>(
        &self,
        items: &'s [E],
        arn: &str,
        arn_of: fn(&E, &str) -> String,
    ) -> Option<&'s E> {
        items.iter().find(|e| arn_of(e, &self.account.id) == arn)
    }

    fn group_info(&self, g: &model::Group) -> Group {
        let (arn, group_id, create_date) = self.identity(g.arn(&self.account.id), None);
        Group {
            path: g.path.clone(),
            group_name: g.name.clone(),
            group_id,
            create_date,
            arn,
        }
    }

    fn role_info(&self, r: &model::Role) -> Role {
        let compiled = self.snapshot.roles.get(self.id, &r.name);
        let compiled = compiled.map(|e| &e.unique_id);
        let (arn, role_id, create_date) = self.identity(r.arn(&self.account.id), compiled);
        Role {
            path: r.path.clone(),
            role_name: r.name.clone(),
            role_id,
            create_date,
            arn,
            assume_role_policy_document: Some(url_encode_document(&r.trust_policy)),
            description: r.description.clone(),
            max_session_duration: Some(i32::try_from(r.max_session_duration).unwrap_or(i32::MAX)),
            permissions_boundary: boundary(r.permissions_boundary.as_ref()),
            tags: tags(&r.tags),
            ..Role::default()
        }
    }

    /// GetUser.
    ///
    /// # Errors
    /// `NoSuchEntity`: "The user with name X cannot be found."
    pub fn user(&self, name: &str) -> Result<User, Error> {
        Ok(self.user_info(self.find_user(name)?))
    }

    /// ListUsers (before paging): the users under `path_prefix`, by name.
    pub fn users(&self, path_prefix: Option<&str>) -> Vec<User> {
        listed(under(&self.account.users, path_prefix), |u| {
            self.user_info(u)
        })
    }

    /// GetGroup.
    ///
    /// # Errors
    /// `NoSuchEntity`: "The group with name X cannot be found."
    pub fn group(&self, name: &str) -> Result<Group, Error> {
        Ok(self.group_info(self.find_group(name)?))
    }

    /// GetGroup's `Users` (before paging): the group's members, by name.
    ///
    /// # Errors
    /// As [`AccountView::group`].
    pub fn group_members(&self, name: &str) -> Result<Vec<User>, Error> {
        let g = self.find_group(name)?;
        let members = self.account.users.iter();
        let members = members.filter(|u| u.groups.contains(&g.name));
        Ok(listed(members, |u| self.user_info(u)))
    }

    /// ListGroups (before paging).
    pub fn groups(&self, path_prefix: Option<&str>) -> Vec<Group> {
        listed(under(&self.account.groups, path_prefix), |g| {
            self.group_info(g)
        })
    }

    /// ListGroupsForUser (before paging).
    ///
    /// # Errors
    /// `NoSuchEntity` for an unknown user.
    pub fn groups_for_user(&self, user: &str) -> Result<Vec<Group>, Error> {
        let u = self.find_user(user)?;
        let list = u.groups.iter().filter_map(|n| self.account.group(n));
        Ok(listed(list, |g| self.group_info(g)))
    }

    /// GetRole.
    ///
    /// # Errors
    /// `NoSuchEntity`: "The role with name X cannot be found."
    pub fn role(&self, name: &str) -> Result<Role, Error> {
        Ok(self.role_info(self.find_role(name)?))
    }

    /// ListRoles (before paging).
    pub fn roles(&self, path_prefix: Option<&str>) -> Vec<Role> {
        listed(under(&self.account.roles, path_prefix), |r| {
            self.role_info(r)
        })
    }

    /// ListRoleTags (before paging).
    ///
    /// # Errors
    /// `NoSuchEntity` for an unknown role.
    pub fn role_tags(&self, role: &str) -> Result<Vec<Tag>, Error> {
        Ok(tag_list(&self.find_role(role)?.tags))
    }

    /// ListUserTags (before paging).
    ///
    /// # Errors
    /// `NoSuchEntity` for an unknown user.
    pub fn user_tags(&self, user: &str) -> Result<Vec<Tag>, Error> {
        Ok(tag_list(&self.find_user(user)?.tags))
    }

    /// The inline and managed policies of the user, group or role `name`.
    fn holder(
        &self,
        kind: PolicyHolder,
        name: &str,
    ) -> Result<(&'s crate::iam::InlinePolicies, &'s [String]), Error> {
        Ok(match kind {
            PolicyHolder::User => {
                let u = self.find_user(name)?;
                (&u.inline_policies, &u.managed_policies)
            }
            PolicyHolder::Group => {
                let g = self.find_group(name)?;
                (&g.inline_policies, &g.managed_policies)
            }
            PolicyHolder::Role => {
                let r = self.find_role(name)?;
                (&r.inline_policies, &r.managed_policies)
            }
        })
    }

    /// GetUserPolicy, GetGroupPolicy, GetRolePolicy: the inline policy `policy` of `name`.
    ///
    /// # Errors
    /// `NoSuchEntity`: the entity's text, or "The user policy with name P cannot be found."
    /// (`group`, `role`).
    pub fn inline_policy(
        &self,
        kind: PolicyHolder,
        name: &str,
        policy: &str,
    ) -> Result<PolicyDetail, Error> {
        inline(self.holder(kind, name)?.0, kind.word(), policy)
    }

    /// ListUserPolicies, ListGroupPolicies, ListRolePolicies (before paging): the inline
    /// policies' names, in order.
    ///
    /// # Errors
    /// `NoSuchEntity` for an unknown entity.
    pub fn inline_policy_names(
        &self,
        kind: PolicyHolder,
        name: &str,
    ) -> Result<Vec<String>, Error> {
        Ok(self.holder(kind, name)?.0.keys().cloned().collect())
    }

    /// ListAttachedUserPolicies, ListAttachedGroupPolicies, ListAttachedRolePolicies (before
    /// paging): by policy name, under `path_prefix` (the policy's path).
    ///
    /// # Errors
    /// `NoSuchEntity` for an unknown entity.
    pub fn attached_policies(
        &self,
        kind: PolicyHolder,
        name: &str,
        path_prefix: Option<&str>,
    ) -> Result<Vec<AttachedPolicy>, Error> {
        Ok(self.attached(self.holder(kind, name)?.1, path_prefix))
    }

    fn attached(&self, arns: &[String], path_prefix: Option<&str>) -> Vec<AttachedPolicy> {
        let list = arns
            .iter()
            .filter(|arn| path_matches(&policy_path_of(arn), path_prefix))
            .map(|arn| AttachedPolicy {
                policy_name: Some(policy_name_of(arn).to_owned()),
                policy_arn: Some(arn.clone()),
            });
        by_name(list.collect(), |p| {
            p.policy_name.as_deref().unwrap_or_default()
        })
    }

    /// How many users, groups and roles of the account attach `arn`, and how many users and
    /// roles use it as their boundary.
    fn usage(&self, arn: &str) -> (u32, u32) {
        let a = self.account;
        let has = |list: &[String]| list.iter().any(|x| x == arn);
        let attached = a.users.iter().filter(|u| has(&u.managed_policies)).count()
            + a.groups.iter().filter(|g| has(&g.managed_policies)).count()
            + a.roles.iter().filter(|r| has(&r.managed_policies)).count();
        let is = |b: &Option<String>| b.as_deref() == Some(arn);
        let boundary = a
            .users
            .iter()
            .filter(|u| is(&u.permissions_boundary))
            .count()
            + a.roles
                .iter()
                .filter(|r| is(&r.permissions_boundary))
                .count();
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        (clamp(attached), clamp(boundary))
    }

    fn customer_policy_info(&self, p: &crate::iam::ManagedPolicy) -> Policy {
        let arn = p.arn(&self.account.id);
        let (attachment_count, permissions_boundary_usage_count) = self.usage(&arn);
        let create_date = self.create_date(&arn);
        let update_date = p
            .current()
            .map_or(create_date, |v| self.version_date(&arn, v));
        Policy {
            policy_name: Some(p.name.clone()),
            policy_id: Some(self.unique_id(&arn, || None).to_string()),
            path: Some(p.path.clone()),
            default_version_id: Some(p.default_version.clone()),
            attachment_count: Some(int(attachment_count)),
            permissions_boundary_usage_count: Some(int(permissions_boundary_usage_count)),
            is_attachable: Some(true),
            create_date: Some(create_date),
            update_date: Some(update_date),
            description: p.description.clone(),
            tags: tags(&p.tags),
            arn: Some(arn),
        }
    }

    /// When a version of the customer managed policy `arn` was created: its own date, else the
    /// policy's.
    fn version_date(&self, arn: &str, v: &crate::iam::PolicyVersion) -> OffsetDateTime {
        v.create_date
            .as_deref()
            .and_then(crate::clock::parse_iso8601)
            .unwrap_or_else(|| self.create_date(arn))
    }

    fn aws_policy_info(&self, p: &AwsManagedPolicy) -> Policy {
        let (attachment_count, permissions_boundary_usage_count) = self.usage(&p.arn);
        Policy {
            policy_name: Some(p.name.clone()),
            policy_id: Some(p.policy_id.to_string()),
            arn: Some(p.arn.clone()),
            path: Some(p.path.clone()),
            default_version_id: Some(p.default_version_id.clone()),
            attachment_count: Some(int(attachment_count)),
            permissions_boundary_usage_count: Some(int(permissions_boundary_usage_count)),
            is_attachable: Some(true),
            create_date: Some(p.create_date),
            update_date: Some(p.update_date),
            description: None,
            tags: None,
        }
    }

    /// GetPolicy: a customer managed policy of this account or an AWS managed policy.
    ///
    /// # Errors
    /// `NoSuchEntity`: "Policy ARN does not exist or is not attachable."; `InternalFailure` if
    /// the embedded AWS policies cannot be read.
    pub fn policy(&self, arn: &str) -> Result<Policy, Error> {
        if let Some(p) = managed::aws_managed_policy(arn)? {
            return Ok(self.aws_policy_info(p));
        }
        self.customer_policy(arn)
            .map(|p| self.customer_policy_info(p))
            .ok_or_else(|| no_such_policy(arn))
    }

    /// The customer managed policy of this account with this ARN.
    pub fn customer_policy(&self, arn: &str) -> Option<&'s crate::iam::ManagedPolicy> {
        let policies = &self.account.managed_policies;
        self.find_by_arn(policies, arn, model::ManagedPolicy::arn)
    }

    /// GetPolicyVersion.
    ///
    /// # Errors
    /// `NoSuchEntity`: the policy's text, or "Policy ARN version V does not exist or is not
    /// attachable."
    pub fn policy_version(&self, arn: &str, version_id: &str) -> Result<PolicyVersion, Error> {
        self.policy_versions(arn)?
            .into_iter()
            .find(|v| v.version_id.as_deref() == Some(version_id))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NoSuchEntity,
                    format!(
                        "Policy {arn} version {version_id} does not exist or is not attachable."
                    ),
                )
            })
    }

    /// Every version of a managed policy, newest first (ListPolicyVersions;
    /// GetAccountAuthorizationDetails).
    ///
    /// # Errors
    /// As [`AccountView::policy`].
    pub fn policy_versions(&self, arn: &str) -> Result<Vec<PolicyVersion>, Error> {
        if let Some(p) = managed::aws_managed_policy(arn)? {
            return Ok(vec![PolicyVersion {
                document: Some(url_encode_document(&p.document)),
                version_id: Some(p.default_version_id.clone()),
                is_default_version: Some(true),
                create_date: Some(p.update_date),
            }]);
        }
        let p = self
            .customer_policy(arn)
            .ok_or_else(|| no_such_policy(arn))?;
        let current = p.current().map(|v| v.id.as_str());
        Ok(p.versions
            .iter()
            .rev()
            .map(|v| PolicyVersion {
                document: Some(url_encode_document(&v.document)),
                version_id: Some(v.id.clone()),
                is_default_version: Some(Some(v.id.as_str()) == current),
                create_date: Some(self.version_date(arn, v)),
            })
            .collect())
    }

    /// ListPolicies (before paging): customer managed policies of the account and AWS managed
    /// policies, as `filter` selects, by name (then ARN).
    ///
    /// # Errors
    /// `InternalFailure` if the embedded AWS policies cannot be read.
    pub fn policies(&self, filter: &PolicyFilter<'_>) -> Result<Vec<Policy>, Error> {
        let mut out = Vec::new();
        if filter.scope != PolicyScope::Aws {
            out.extend(
                self.account
                    .managed_policies
                    .iter()
                    .map(|p| self.customer_policy_info(p)),
            );
        }
        if filter.scope != PolicyScope::Local {
            let all = managed::aws_managed_policies()?;
            if filter.only_attached || filter.usage.is_some() {
                // Only those the account uses: no need to count usage for 1,595 policies.
                for arn in self.attached_aws_arns() {
                    if let Some(p) = all.get(arn) {
                        out.push(self.aws_policy_info(p));
                    }
                }
            } else {
                out.extend(all.iter().map(|p| self.aws_policy_info(p)));
            }
        }
        out.retain(|p| {
            let attached = p.attachment_count.is_some_and(|n| n > 0);
            let boundary = p.permissions_boundary_usage_count.is_some_and(|n| n > 0);
            path_matches(p.path.as_deref().unwrap_or_default(), filter.path_prefix)
                && (!filter.only_attached || attached || boundary)
                && match filter.usage {
                    None => true,
                    Some(PolicyUsage::PermissionsPolicy) => attached,
                    Some(PolicyUsage::PermissionsBoundary) => boundary,
                }
        });
        out.sort_by(|a, b| (a.policy_name.cmp(&b.policy_name)).then_with(|| a.arn.cmp(&b.arn)));
        Ok(out)
    }

    /// The AWS managed policy ARNs that some entity of the account attaches or uses as its
    /// boundary, sorted, without duplicates.
    pub fn attached_aws_arns(&self) -> Vec<&'s str> {
        let a = self.account;
        let mut arns: Vec<&str> = a
            .users
            .iter()
            .flat_map(|u| u.managed_policies.iter().chain(&u.permissions_boundary))
            .chain(
                a.roles
                    .iter()
                    .flat_map(|r| r.managed_policies.iter().chain(&r.permissions_boundary)),
            )
            .chain(a.groups.iter().flat_map(|g| g.managed_policies.iter()))
            .map(String::as_str)
            .filter(|arn| managed::is_aws_managed_arn(arn))
            .collect();
        arns.sort_unstable();
        arns.dedup();
        arns
    }

    /// ListAccessKeys (before paging): the keys of `user`, or of the root user when `None`
    /// (ListAccessKeys without `UserName` lists the caller's own keys), by key id. Secrets never
    /// leave.
    ///
    /// # Errors
    /// `NoSuchEntity` for an unknown user.
    pub fn access_keys(&self, user: Option<&str>) -> Result<Vec<AccessKeyMetadata>, Error> {
        let (owner, keys) = match user {
            Some(name) => {
                let u = self.find_user(name)?;
                (Some(u.name.clone()), &u.access_keys)
            }
            None => (None, &self.account.root.access_keys),
        };
        let list = keys.iter().map(|k| AccessKeyMetadata {
            user_name: owner.clone(),
            access_key_id: Some(k.id.clone()),
            status: Some(status_text(k.status).to_owned()),
            create_date: Some(self.create_date(&k.id)),
        });
        Ok(by_name(list.collect(), |k| {
            k.access_key_id.as_deref().unwrap_or_default()
        }))
    }

    /// ListMFADevices (before paging): the devices of `user`, by serial.
    ///
    /// # Errors
    /// `NoSuchEntity` for an unknown user.
    pub fn mfa_devices(&self, user: &str) -> Result<Vec<MFADevice>, Error> {
        let u = self.find_user(user)?;
        let list = u.mfa_devices.iter().map(|d| {
            let serial = d.serial(&self.account.id);
            MFADevice {
                user_name: u.name.clone(),
                enable_date: self.create_date(&serial),
                serial_number: serial,
            }
        });
        Ok(by_name(list.collect(), |d| &d.serial_number))
    }

    /// ListVirtualMFADevices (before paging), by serial: the devices assigned to users (with
    /// the user as the lists show it, and the enable date) and those assigned to nobody, as
    /// `status` selects; never the seed or QR code.
    pub fn virtual_mfa_devices(&self, status: AssignmentStatus) -> Vec<VirtualMFADevice> {
        let mut list = Vec::new();
        if status != AssignmentStatus::Unassigned {
            list.extend(self.account.users.iter().flat_map(|u| {
                u.mfa_devices.iter().map(move |d| {
                    let serial = d.serial(&self.account.id);
                    VirtualMFADevice {
                        user: Some(listed_user(self.user_info(u))),
                        enable_date: Some(self.create_date(&serial)),
                        serial_number: serial,
                        ..VirtualMFADevice::default()
                    }
                })
            }));
        }
        if status != AssignmentStatus::Assigned {
            list.extend(
                self.account
                    .virtual_mfa_devices
                    .iter()
                    .map(|d| VirtualMFADevice {
                        serial_number: d.serial(&self.account.id),
                        ..VirtualMFADevice::default()
                    }),
            );
        }
        by_name(list, |d| &d.serial_number)
    }

    /// ListOpenIDConnectProviders: the providers' ARNs, sorted.
    pub fn oidc_provider_arns(&self) -> Vec<String> {
        let mut arns: Vec<String> = self
            .account
            .oidc_providers
            .iter()
            .map(|p| p.arn(&self.account.id))
            .collect();
        arns.sort();
        arns
    }

    /// GetOpenIDConnectProvider.
    ///
    /// # Errors
    /// `NoSuchEntity`: "OpenIDConnect Provider not found for arn ARN".
    pub fn oidc_provider(&self, arn: &str) -> Result<GetOpenIDConnectProviderResponse, Error> {
        let p = self
            .find_by_arn(&self.account.oidc_providers, arn, model::OidcProvider::arn)
            .ok_or_else(|| no_such_oidc_provider(arn))?;
        let url = p.url.strip_prefix("https://").unwrap_or(&p.url);
        Ok(GetOpenIDConnectProviderResponse {
            url: Some(url.trim_end_matches('/').to_owned()),
            client_id_list: Some(p.client_ids.clone()),
            thumbprint_list: Some(p.thumbprints.clone()),
            create_date: Some(self.create_date(arn)),
            tags: tags(&p.tags),
            context_provider: p
                .context_provider
                .as_ref()
                .map(model::ContextProvider::to_api),
            ..GetOpenIDConnectProviderResponse::default()
        })
    }

    /// ListSAMLProviders: each provider's ARN, creation date and expiry, by ARN.
    pub fn saml_providers(&self) -> Vec<SAMLProviderListEntry> {
        let list = self.account.saml_providers.iter().map(|p| {
            let arn = p.arn(&self.account.id);
            SAMLProviderListEntry {
                create_date: Some(self.create_date(&arn)),
                arn: Some(arn),
                valid_until: p
                    .valid_until
                    .as_deref()
                    .and_then(crate::clock::parse_iso8601),
                is_trusted_identity_propagation_enabled: None,
            }
        });
        by_name(list.collect(), |p| p.arn.as_deref().unwrap_or_default())
    }

    /// GetSAMLProvider: its metadata document, unique id, creation and expiry dates, tags,
    /// encryption mode and private keys' ids (never the keys). A provider whose metadata the
    /// model names by file answers with the file's current text (read as AssumeRoleWithSAML
    /// reads it), or without a document when it cannot be read.
    ///
    /// # Errors
    /// `NoSuchEntity`: "Manifest not found for arn ARN".
    pub fn saml_provider(&self, arn: &str) -> Result<GetSAMLProviderResponse, Error> {
        let p = self
            .find_by_arn(&self.account.saml_providers, arn, model::SamlProvider::arn)
            .ok_or_else(|| no_such_saml_provider(arn))?;
        let document = p.metadata.clone().or_else(|| {
            p.metadata_file
                .as_ref()
                .and_then(|f| std::fs::read_to_string(f).ok())
        });
        let keys = p
            .private_keys
            .iter()
            .map(|k| SAMLPrivateKey {
                key_id: Some(k.key_id.clone()),
                timestamp: Some(
                    crate::clock::parse_iso8601(&k.timestamp).unwrap_or(DEFAULT_CREATE_DATE),
                ),
            })
            .collect::<Vec<_>>();
        Ok(GetSAMLProviderResponse {
            saml_provider_uuid: p.uuid.clone(),
            saml_metadata_document: document,
            create_date: Some(self.create_date(arn)),
            valid_until: p
                .valid_until
                .as_deref()
                .and_then(crate::clock::parse_iso8601),
            tags: tags(&p.tags),
            assertion_encryption_mode: p.assertion_encryption_mode.clone(),
            private_key_list: (!keys.is_empty()).then_some(keys),
            context_provider: p
                .context_provider
                .as_ref()
                .map(model::ContextProvider::to_api),
            ..GetSAMLProviderResponse::default()
        })
    }

    /// GetAccountSummary's `SummaryMap`: the account's counts and IAM's default quotas.
    pub fn account_summary(&self) -> BTreeMap<&'static str, i64> {
        details::account_summary(self)
    }
}

/// The path of a managed policy ARN (`/`, `/job-function/`): what lies between `policy` and the
/// name.
fn policy_path_of(arn: &str) -> String {
    let Some((_, rest)) = arn.split_once(":policy") else {
        return "/".to_owned();
    };
    match rest.rfind('/') {
        Some(i) => rest[..=i].to_owned(),
        None => "/".to_owned(),
    }
}

fn inline(
    policies: &crate::iam::InlinePolicies,
    kind: &str,
    name: &str,
) -> Result<PolicyDetail, Error> {
    policies
        .get(name)
        .map(|doc| inline_policy(name, doc))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::NoSuchEntity,
                format!("The {kind} policy with name {name} cannot be found."),
            )
        })
}

/// An inline policy as IAM writes it: its name and its document, URL-encoded.
fn inline_policy(name: &str, document: &str) -> PolicyDetail {
    PolicyDetail {
        policy_name: Some(name.to_owned()),
        policy_document: Some(url_encode_document(document)),
    }
}
