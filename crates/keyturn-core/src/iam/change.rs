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
    AccessKey, Account, CredentialReport, DelegationRequest, Group, IamData, InstanceProfile,
    ManagedPolicy, MfaDevice, OidcProvider, PrivateCertificateAuthority, Role, SamlProvider,
    ServerCertificate, SigningCertificate, User, WorkloadDeletionTask, WorkloadIdentityProvider,
    WorkloadIdentityTemplate,
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
    /// A delegation request, by id.
    DelegationRequest,
    /// A workload identity provider, by id.
    WorkloadIdentityProvider,
    /// A workload identity template, by id.
    WorkloadIdentityTemplate,
    /// A certificate authority (Keyturn's stand-in for AWS Private CA), by id.
    PrivateCertificateAuthority,
    /// A workload identity provider deletion task, by id.
    WorkloadDeletionTask,
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
    /// A delegation request of the partner's account (boxed: it is the largest entity).
    DelegationRequest(Box<DelegationRequest>),
    /// A workload identity provider (boxed, with its signers).
    WorkloadIdentityProvider(Box<WorkloadIdentityProvider>),
    /// A workload identity template (boxed).
    WorkloadIdentityTemplate(Box<WorkloadIdentityTemplate>),
    /// A certificate authority.
    PrivateCertificateAuthority(PrivateCertificateAuthority),
    /// A workload identity provider deletion task.
    WorkloadDeletionTask(WorkloadDeletionTask),
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
            Self::DelegationRequest(e) => (EntityKind::DelegationRequest, &e.id),
            Self::WorkloadIdentityProvider(e) => (EntityKind::WorkloadIdentityProvider, &e.id),
            Self::WorkloadIdentityTemplate(e) => (EntityKind::WorkloadIdentityTemplate, &e.id),
            Self::PrivateCertificateAuthority(e) => {
                (EntityKind::PrivateCertificateAuthority, &e.id)
            }
            Self::WorkloadDeletionTask(e) => (EntityKind::WorkloadDeletionTask, &e.id),
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
    /// Turns the account's outbound web identity federation on or off.
    SetOutboundFederation {
        /// The account.
        account: String,
        /// Whether it is enabled.
        enabled: bool,
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

impl Change {
    /// The account the change is about.
    pub fn account(&self) -> &str {
        match self {
            Self::CreateAccount { account }
            | Self::SetAlias { account, .. }
            | Self::SetRootKeys { account, .. }
            | Self::SetRootSigningCertificates { account, .. }
            | Self::SetCredentialReport { account, .. }
            | Self::SetOutboundFederation { account, .. }
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
            Self::SetOutboundFederation { enabled, .. } => {
                account.outbound_web_identity_federation = *enabled;
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

/// An entity kept in a list of its account, found there by its key.
trait Listed: Sized {
    /// The name (for an OIDC provider, the URL) that identifies it in its account.
    fn key(&self) -> &str;

    /// The account's list of entities of this kind.
    fn list(account: &mut Account) -> &mut Vec<Self>;

    /// Puts `self` in `account`, in place of the one with its key if there is one.
    fn put_into(self, account: &mut Account) {
        let items = Self::list(account);
        match items.iter_mut().find(|i| i.key() == self.key()) {
            Some(slot) => *slot = self,
            None => items.push(self),
        }
    }

    /// Removes the entity with key `key` from `account`, if there is one.
    fn remove_from(account: &mut Account, key: &str) {
        Self::list(account).retain(|x| x.key() != key);
    }
}

/// Implements [`Listed`]: type, the field of [`Account`] that lists it, and its key field.
macro_rules! listed {
    ($($ty:ty => $list:ident by $key:ident),* $(,)?) => {$(
        impl Listed for $ty {
            fn key(&self) -> &str {
                &self.$key
            }

            fn list(account: &mut Account) -> &mut Vec<Self> {
                &mut account.$list
            }
        }
    )*};
}

listed! {
    User => users by name,
    Role => roles by name,
    Group => groups by name,
    ManagedPolicy => managed_policies by name,
    OidcProvider => oidc_providers by url,
    SamlProvider => saml_providers by name,
    InstanceProfile => instance_profiles by name,
    MfaDevice => virtual_mfa_devices by name,
    ServerCertificate => server_certificates by name,
    DelegationRequest => delegation_requests by id,
    WorkloadIdentityProvider => workload_identity_providers by id,
    WorkloadIdentityTemplate => workload_identity_templates by id,
    PrivateCertificateAuthority => private_certificate_authorities by id,
    WorkloadDeletionTask => workload_deletion_tasks by id,
}

fn put_entity(account: &mut Account, entity: Entity) {
    match entity {
        Entity::User(e) => e.put_into(account),
        Entity::Role(e) => e.put_into(account),
        Entity::Group(e) => e.put_into(account),
        Entity::ManagedPolicy(e) => e.put_into(account),
        Entity::OidcProvider(e) => e.put_into(account),
        Entity::SamlProvider(e) => e.put_into(account),
        Entity::InstanceProfile(e) => e.put_into(account),
        Entity::VirtualMfaDevice(e) => e.put_into(account),
        Entity::ServerCertificate(e) => e.put_into(account),
        Entity::DelegationRequest(e) => (*e).put_into(account),
        Entity::WorkloadIdentityProvider(e) => (*e).put_into(account),
        Entity::WorkloadIdentityTemplate(e) => (*e).put_into(account),
        Entity::PrivateCertificateAuthority(e) => e.put_into(account),
        Entity::WorkloadDeletionTask(e) => e.put_into(account),
    }
}

fn delete_entity(account: &mut Account, kind: EntityKind, name: &str) {
    match kind {
        EntityKind::User => User::remove_from(account, name),
        EntityKind::Role => Role::remove_from(account, name),
        EntityKind::Group => Group::remove_from(account, name),
        EntityKind::ManagedPolicy => ManagedPolicy::remove_from(account, name),
        EntityKind::OidcProvider => OidcProvider::remove_from(account, name),
        EntityKind::SamlProvider => SamlProvider::remove_from(account, name),
        EntityKind::InstanceProfile => InstanceProfile::remove_from(account, name),
        EntityKind::VirtualMfaDevice => MfaDevice::remove_from(account, name),
        EntityKind::ServerCertificate => ServerCertificate::remove_from(account, name),
        EntityKind::DelegationRequest => DelegationRequest::remove_from(account, name),
        EntityKind::WorkloadIdentityProvider => {
            WorkloadIdentityProvider::remove_from(account, name)
        }
        EntityKind::WorkloadIdentityTemplate => {
            WorkloadIdentityTemplate::remove_from(account, name)
        }
        EntityKind::PrivateCertificateAuthority => {
            PrivateCertificateAuthority::remove_from(account, name)
        }
        EntityKind::WorkloadDeletionTask => WorkloadDeletionTask::remove_from(account, name),
    }
}
