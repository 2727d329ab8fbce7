//! Typed changes to the IAM model: what the IAM write operations produce and what an
//! [`IamStore`](crate::store::IamStore) commits atomically.
//!
//! A change names one entity of one account (create or replace it whole, or delete it), or one
//! account-level fact (the account itself, its alias, a creation date). Operations compute their
//! changes from the snapshot they ran against; the store applies them all or none, and only if
//! the model is still at the generation that snapshot was built from (compare-and-set), so two
//! writers never lose each other's updates. [`Change::apply`] is the one implementation of what a
//! change does to [`IamData`]: every store uses it.

use serde::{Deserialize, Serialize};

use super::{
    AccessKey, Account, CredentialReport, Group, IamData, InstanceProfile, ManagedPolicy,
    MfaDevice, OidcProvider, Role, SamlProvider, ServerCertificate, SigningCertificate, User,
};

/// The kinds of entity a [`Change`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityKind {
    /// An IAM user, by name.
    User,
    /// An IAM role, by name.
    Role,
    /// An IAM group, by name.
    Group,
    /// A customer managed policy, by name.
    ManagedPolicy,
    /// An OpenID Connect provider, by URL.
    OidcProvider,
    /// A SAML provider, by name.
    SamlProvider,
    /// An instance profile, by name.
    InstanceProfile,
    /// A virtual MFA device not assigned to a user, by name.
    VirtualMfaDevice,
    /// A server certificate, by name.
    ServerCertificate,
}

/// One entity, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entity {
    /// An IAM user (with its keys, devices, policies and tags).
    User(User),
    /// An IAM role.
    Role(Role),
    /// An IAM group.
    Group(Group),
    /// A customer managed policy (with its versions).
    ManagedPolicy(ManagedPolicy),
    /// An OpenID Connect provider.
    OidcProvider(OidcProvider),
    /// A SAML provider.
    SamlProvider(SamlProvider),
    /// An instance profile.
    InstanceProfile(InstanceProfile),
    /// A virtual MFA device not assigned to a user.
    VirtualMfaDevice(MfaDevice),
    /// A server certificate.
    ServerCertificate(ServerCertificate),
}

impl Entity {
    /// The entity's kind and the name that identifies it in its account.
    pub fn key(&self) -> (EntityKind, &str) {
        match self {
            Self::User(e) => (EntityKind::User, &e.name),
            Self::Role(e) => (EntityKind::Role, &e.name),
            Self::Group(e) => (EntityKind::Group, &e.name),
            Self::ManagedPolicy(e) => (EntityKind::ManagedPolicy, &e.name),
            Self::OidcProvider(e) => (EntityKind::OidcProvider, &e.url),
            Self::SamlProvider(e) => (EntityKind::SamlProvider, &e.name),
            Self::InstanceProfile(e) => (EntityKind::InstanceProfile, &e.name),
            Self::VirtualMfaDevice(e) => (EntityKind::VirtualMfaDevice, &e.name),
            Self::ServerCertificate(e) => (EntityKind::ServerCertificate, &e.name),
        }
    }
}

/// One change to the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[expect(
    clippy::large_enum_variant,
    reason = "a change lives briefly in a short list; boxing each entity would allocate once more per write for nothing"
)]
pub enum Change {
    /// Adds an empty account (nothing changes if it exists).
    CreateAccount {
        /// The 12-digit id.
        account: String,
    },
    /// Sets or clears the account's alias.
    SetAlias {
        /// The account.
        account: String,
        /// The alias.
        alias: Option<String>,
    },
    /// Replaces the root user's access keys.
    SetRootKeys {
        /// The account.
        account: String,
        /// The keys.
        keys: Vec<AccessKey>,
    },
    /// Replaces the root user's signing certificates.
    SetRootSigningCertificates {
        /// The account.
        account: String,
        /// The certificates.
        certificates: Vec<SigningCertificate>,
    },
    /// Sets or clears the account's credential report.
    SetCredentialReport {
        /// The account.
        account: String,
        /// The report.
        report: Option<CredentialReport>,
    },
    /// Creates an entity, or replaces the one of the same kind and name (keeping its place).
    Put {
        /// The account.
        account: String,
        /// The entity.
        entity: Entity,
    },
    /// Removes an entity (nothing changes if there is none).
    Delete {
        /// The account.
        account: String,
        /// Its kind.
        kind: EntityKind,
        /// Its name (for an OIDC provider, its URL).
        name: String,
    },
    /// Sets or clears the creation date recorded under `key` (an ARN, a serial, a key id).
    SetCreateDate {
        /// The account.
        account: String,
        /// What the date is for.
        key: String,
        /// ISO-8601 text.
        date: Option<String>,
    },
}

/// A change that cannot apply: its account is not in the model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("account `{0}` is not in the model")]
pub struct UnknownAccount(pub String);

fn put<T>(items: &mut Vec<T>, item: T, same: impl Fn(&T) -> bool) {
    match items.iter_mut().find(|i| same(i)) {
        Some(slot) => *slot = item,
        None => items.push(item),
    }
}

impl Change {
    /// The account the change is about.
    pub fn account(&self) -> &str {
        match self {
            Self::CreateAccount { account }
            | Self::SetAlias { account, .. }
            | Self::SetRootKeys { account, .. }
            | Self::SetRootSigningCertificates { account, .. }
            | Self::SetCredentialReport { account, .. }
            | Self::Put { account, .. }
            | Self::Delete { account, .. }
            | Self::SetCreateDate { account, .. } => account,
        }
    }

    /// Applies the change to `data`.
    ///
    /// # Errors
    /// [`UnknownAccount`] when the change names an account `data` does not have (other than
    /// [`Change::CreateAccount`]).
    pub fn apply(&self, data: &mut IamData) -> Result<(), UnknownAccount> {
        if let Self::CreateAccount { account } = self {
            if data.account(account).is_none() {
                data.accounts.push(Account {
                    id: account.clone(),
                    ..Account::default()
                });
            }
            return Ok(());
        }
        let id = self.account();
        let account = data
            .accounts
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or_else(|| UnknownAccount(id.to_owned()))?;
        match self {
            Self::CreateAccount { .. } => {}
            Self::SetAlias { alias, .. } => account.alias.clone_from(alias),
            Self::SetRootKeys { keys, .. } => account.root.access_keys.clone_from(keys),
            Self::SetRootSigningCertificates { certificates, .. } => {
                account.root.signing_certificates.clone_from(certificates);
            }
            Self::SetCredentialReport { report, .. } => {
                account.credential_report.clone_from(report)
            }
            Self::Put { entity, .. } => put_entity(account, entity.clone()),
            Self::Delete { kind, name, .. } => delete_entity(account, *kind, name),
            Self::SetCreateDate { key, date, .. } => match date {
                Some(date) => {
                    account.create_dates.insert(key.clone(), date.clone());
                }
                None => {
                    account.create_dates.remove(key);
                }
            },
        }
        Ok(())
    }

    /// Applies `changes` in order to a copy of `data`.
    ///
    /// # Errors
    /// As [`Change::apply`]; `data` is then unchanged.
    pub fn apply_all(data: &IamData, changes: &[Change]) -> Result<IamData, UnknownAccount> {
        let mut next = data.clone();
        for change in changes {
            change.apply(&mut next)?;
        }
        Ok(next)
    }
}

fn put_entity(account: &mut Account, entity: Entity) {
    match entity {
        Entity::User(e) => {
            let name = e.name.clone();
            put(&mut account.users, e, |x| x.name == name);
        }
        Entity::Role(e) => {
            let name = e.name.clone();
            put(&mut account.roles, e, |x| x.name == name);
        }
        Entity::Group(e) => {
            let name = e.name.clone();
            put(&mut account.groups, e, |x| x.name == name);
        }
        Entity::ManagedPolicy(e) => {
            let name = e.name.clone();
            put(&mut account.managed_policies, e, |x| x.name == name);
        }
        Entity::OidcProvider(e) => {
            let url = e.url.clone();
            put(&mut account.oidc_providers, e, |x| x.url == url);
        }
        Entity::SamlProvider(e) => {
            let name = e.name.clone();
            put(&mut account.saml_providers, e, |x| x.name == name);
        }
        Entity::InstanceProfile(e) => {
            let name = e.name.clone();
            put(&mut account.instance_profiles, e, |x| x.name == name);
        }
        Entity::VirtualMfaDevice(e) => {
            let name = e.name.clone();
            put(&mut account.virtual_mfa_devices, e, |x| x.name == name);
        }
        Entity::ServerCertificate(e) => {
            let name = e.name.clone();
            put(&mut account.server_certificates, e, |x| x.name == name);
        }
    }
}

fn delete_entity(account: &mut Account, kind: EntityKind, name: &str) {
    match kind {
        EntityKind::User => account.users.retain(|x| x.name != name),
        EntityKind::Role => account.roles.retain(|x| x.name != name),
        EntityKind::Group => account.groups.retain(|x| x.name != name),
        EntityKind::ManagedPolicy => account.managed_policies.retain(|x| x.name != name),
        EntityKind::OidcProvider => account.oidc_providers.retain(|x| x.url != name),
        EntityKind::SamlProvider => account.saml_providers.retain(|x| x.name != name),
        EntityKind::InstanceProfile => account.instance_profiles.retain(|x| x.name != name),
        EntityKind::VirtualMfaDevice => account.virtual_mfa_devices.retain(|x| x.name != name),
        EntityKind::ServerCertificate => account.server_certificates.retain(|x| x.name != name),
    }
}
