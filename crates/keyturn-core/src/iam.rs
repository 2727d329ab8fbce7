//! The IAM model as plain data: accounts, users, roles, groups, managed policies, identity
//! providers and their credentials.
//!
//! [`IamData`] is what the configuration produces, what an [`IamStore`](crate::store::IamStore)
//! keeps, and what the engine compiles into its read-mostly snapshot. It is serde-serialisable
//! (the stores persist it as JSON) and does no validation of its own: the configuration loader
//! validates before building it. Policy documents are kept as compact JSON text; ARNs and ids
//! as plain strings.
//!
//! Secrets (secret access keys, MFA seeds) are held in [`SecretString`], whose `Debug` prints
//! `***`. They still serialise in clear text, because the stores must keep them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod change;
pub mod context_provider;
mod credentials;
mod delegation;
pub mod managed;
pub mod workload;
pub mod workload_ca;

pub use change::{Change, Entity, EntityKind, UnknownAccount};
pub use context_provider::{ContextProvider, KeyDefinition};
pub use credentials::{
    CredentialReport, ServerCertificate, SigningCertificate, SshPublicKey, server_certificate_arn,
};
pub use delegation::{DelegatedIdentity, DelegationParameter, DelegationRequest, DelegationState};
pub use workload::{
    PrivateCertificateAuthority, WorkloadDeletionTask, WorkloadIdentityProvider,
    WorkloadIdentityTemplate,
};

#[cfg(test)]
mod tests;

/// A secret string (secret access key, MFA seed): the project's one secret type, from the API
/// layer. Serialises as the plain string, for storage.
pub use keyturn_api::SecretString;

/// Tags: key → value. Keys are unique ignoring case (the configuration checks it).
pub type Tags = BTreeMap<String, String>;

/// Inline policies: policy name → policy document (compact JSON text).
pub type InlinePolicies = BTreeMap<String, String>;

fn default_path() -> String {
    "/".to_owned()
}

fn is_default_path(path: &str) -> bool {
    path == "/"
}

/// The default maximum session duration of a role, in seconds.
pub const DEFAULT_MAX_SESSION_DURATION: u32 = 3600;

fn default_max_session_duration() -> u32 {
    DEFAULT_MAX_SESSION_DURATION
}

/// The whole IAM model: every account.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IamData {
    /// The accounts, in configuration order.
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// The AWS Organizations organization the accounts belong to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Box<crate::org::Organization>>,
}

/// One AWS account.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The 12-digit account id.
    pub id: String,
    /// The account alias, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// The root user's credentials.
    #[serde(default)]
    pub root: Root,
    /// IAM users.
    #[serde(default)]
    pub users: Vec<User>,
    /// IAM roles.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// IAM groups.
    #[serde(default)]
    pub groups: Vec<Group>,
    /// Customer managed policies.
    #[serde(default)]
    pub managed_policies: Vec<ManagedPolicy>,
    /// OpenID Connect identity providers.
    #[serde(default)]
    pub oidc_providers: Vec<OidcProvider>,
    /// SAML identity providers.
    #[serde(default)]
    pub saml_providers: Vec<SamlProvider>,
    /// Instance profiles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instance_profiles: Vec<InstanceProfile>,
    /// Virtual MFA devices not assigned to a user (an assigned one is in its user's
    /// `mfa_devices`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub virtual_mfa_devices: Vec<MfaDevice>,
    /// Server certificates (UploadServerCertificate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub server_certificates: Vec<ServerCertificate>,
    /// The newest credential report (GenerateCredentialReport); not part of a configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_report: Option<CredentialReport>,
    /// Creation dates given in the configuration (ISO-8601 text), keyed by what names the
    /// entity: the ARN of a user, group, role, customer managed policy or identity provider, the
    /// serial of an MFA device (its enable date), the id of an access key. Entities without one
    /// are dated [`view::DEFAULT_CREATE_DATE`]. Kept beside the entities rather than in them so
    /// that the entity types keep their shape for the code that builds them field by field.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub create_dates: BTreeMap<String, String>,
    /// Whether outbound web identity federation is enabled (EnableOutboundWebIdentityFederation):
    /// the account's principals may call GetWebIdentityToken and its issuer is published.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub outbound_web_identity_federation: bool,
    /// The delegation requests this account made as a partner (CreateDelegationRequest).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delegation_requests: Vec<DelegationRequest>,
    /// Workload identity providers this account created (of either scope).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workload_identity_providers: Vec<WorkloadIdentityProvider>,
    /// Workload identity templates this account created (of either scope).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workload_identity_templates: Vec<WorkloadIdentityTemplate>,
    /// The certificate authorities Keyturn stands in for AWS Private CA with (configuration).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private_certificate_authorities: Vec<PrivateCertificateAuthority>,
    /// The deletions of workload identity providers this account sent, while readable.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workload_deletion_tasks: Vec<WorkloadDeletionTask>,
}

/// The account root user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Root {
    /// Root access keys (AWS discourages them; supported for completeness).
    #[serde(default)]
    pub access_keys: Vec<AccessKey>,
    /// Root signing certificates (UploadSigningCertificate called by root without `UserName`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signing_certificates: Vec<SigningCertificate>,
}

/// Whether an access key may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum AccessKeyStatus {
    /// The key signs requests.
    #[default]
    Active,
    /// The key is kept but refused (`InvalidClientTokenId`).
    Inactive,
}

impl AccessKeyStatus {
    fn is_active(&self) -> bool {
        matches!(self, Self::Active)
    }
}

/// A long-term access key (`AKIA…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessKey {
    /// The access key id, `AKIA` + 16 base32 characters.
    pub id: String,
    /// The secret access key.
    pub secret: SecretString,
    /// Active (default) or inactive.
    #[serde(default, skip_serializing_if = "AccessKeyStatus::is_active")]
    pub status: AccessKeyStatus,
}

/// A virtual MFA device (TOTP), serial `arn:aws:iam::ACCOUNT:mfa/PATH/NAME`
/// (`arn:aws:iam::ACCOUNT:mfa/NAME` at the default path `/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MfaDevice {
    /// The device name, the last part of its serial.
    pub name: String,
    /// The path, `/` by default (CreateVirtualMFADevice's `Path`).
    #[serde(default = "default_path", skip_serializing_if = "is_default_path")]
    pub path: String,
    /// The TOTP seed, base32.
    pub seed_base32: SecretString,
    /// Tags (CreateVirtualMFADevice's `Tags`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: Tags,
}

impl Default for MfaDevice {
    fn default() -> Self {
        Self {
            name: String::new(),
            path: default_path(),
            seed_base32: SecretString::default(),
            tags: Tags::new(),
        }
    }
}

impl MfaDevice {
    /// The device's serial number in `account_id`.
    pub fn serial(&self, account_id: &str) -> String {
        crate::mfa::device_serial_at(account_id, &self.path, &self.name)
    }
}

/// An IAM user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// The user name.
    pub name: String,
    /// The unique id (`AIDA…`): random when the entity was created through the API, given or
    /// absent in a configuration; absent, the id is derived from the keyring, the account and
    /// the name ([`crate::keyring::Keyring::unique_id`]). Kept across renames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The path, `/` by default.
    #[serde(default = "default_path", skip_serializing_if = "is_default_path")]
    pub path: String,
    /// Names of the groups the user belongs to (same account).
    #[serde(default)]
    pub groups: Vec<String>,
    /// Long-term access keys.
    #[serde(default)]
    pub access_keys: Vec<AccessKey>,
    /// Virtual MFA devices.
    #[serde(default)]
    pub mfa_devices: Vec<MfaDevice>,
    /// Inline policies.
    #[serde(default)]
    pub inline_policies: InlinePolicies,
    /// ARNs of attached managed policies.
    #[serde(default)]
    pub managed_policies: Vec<String>,
    /// ARN of the permissions boundary policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
    /// X.509 signing certificates (at most two).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signing_certificates: Vec<SigningCertificate>,
    /// SSH public keys (at most five).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ssh_public_keys: Vec<SshPublicKey>,
}

impl User {
    /// `arn:aws:iam::ACCOUNT:user/PATH/NAME`.
    pub fn arn(&self, account_id: &str) -> String {
        format!("arn:aws:iam::{account_id}:user{}{}", self.path, self.name)
    }
}

/// An IAM role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// The role name.
    pub name: String,
    /// The unique id (`AROA…`): random when the entity was created through the API, given or
    /// absent in a configuration; absent, the id is derived from the keyring, the account and
    /// the name ([`crate::keyring::Keyring::unique_id`]). Kept across renames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The path, `/` by default.
    #[serde(default = "default_path", skip_serializing_if = "is_default_path")]
    pub path: String,
    /// Maximum session duration in seconds, 3600–43200.
    #[serde(default = "default_max_session_duration")]
    pub max_session_duration: u32,
    /// The trust policy (compact JSON text).
    pub trust_policy: String,
    /// Inline policies.
    #[serde(default)]
    pub inline_policies: InlinePolicies,
    /// ARNs of attached managed policies.
    #[serde(default)]
    pub managed_policies: Vec<String>,
    /// ARN of the permissions boundary policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<String>,
    /// Tags (`iam:ResourceTag/*` in the trust policy; `aws:PrincipalTag/*` of its sessions).
    #[serde(default)]
    pub tags: Tags,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Role {
    /// `arn:aws:iam::ACCOUNT:role/PATH/NAME`.
    pub fn arn(&self, account_id: &str) -> String {
        format!("arn:aws:iam::{account_id}:role{}{}", self.path, self.name)
    }
}

/// An IAM group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// The group name.
    pub name: String,
    /// The unique id (`AGPA…`): random when the entity was created through the API, given or
    /// absent in a configuration; absent, the id is derived from the keyring, the account and
    /// the name ([`crate::keyring::Keyring::unique_id`]). Kept across renames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The path, `/` by default.
    #[serde(default = "default_path", skip_serializing_if = "is_default_path")]
    pub path: String,
    /// Inline policies.
    #[serde(default)]
    pub inline_policies: InlinePolicies,
    /// ARNs of attached managed policies.
    #[serde(default)]
    pub managed_policies: Vec<String>,
}

impl Group {
    /// `arn:aws:iam::ACCOUNT:group/PATH/NAME`.
    pub fn arn(&self, account_id: &str) -> String {
        format!("arn:aws:iam::{account_id}:group{}{}", self.path, self.name)
    }
}

/// One version of a customer managed policy (`v1`, `v2`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyVersion {
    /// `v` and its number.
    pub id: String,
    /// The document (JSON text).
    pub document: String,
    /// When the version was created (ISO-8601 text); `None`: when the policy was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_date: Option<String>,
}

fn first_version() -> String {
    "v1".to_owned()
}

/// A customer managed policy: its versions (one of which is the default, the one that is
/// evaluated), a description and tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredManagedPolicy")]
pub struct ManagedPolicy {
    /// The policy name.
    pub name: String,
    /// The unique id (`ANPA…`): random when the entity was created through the API, given or
    /// absent in a configuration; absent, the id is derived from the keyring, the account and
    /// the name ([`crate::keyring::Keyring::unique_id`]). Kept across renames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The path, `/` by default.
    #[serde(skip_serializing_if = "is_default_path")]
    pub path: String,
    /// The versions, oldest first; never empty.
    pub versions: Vec<PolicyVersion>,
    /// The id of the default version.
    pub default_version: String,
    /// The number of the newest version ever created (ids keep counting up after deletions).
    pub last_version: u32,
    /// A description (immutable, as in IAM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: Tags,
}

/// A managed policy as stored: with its versions, or (as written before versions were kept)
/// with one `document`, which is `v1`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredManagedPolicy {
    name: String,
    #[serde(default)]
    id: Option<String>,
    #[serde(default = "default_path")]
    path: String,
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    versions: Vec<PolicyVersion>,
    #[serde(default = "first_version")]
    default_version: String,
    #[serde(default)]
    last_version: u32,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    tags: Tags,
}

impl From<StoredManagedPolicy> for ManagedPolicy {
    fn from(s: StoredManagedPolicy) -> Self {
        let mut p = Self::new(s.name, s.path, s.document.unwrap_or_default());
        if !s.versions.is_empty() {
            p.versions = s.versions;
        }
        let highest = p
            .versions
            .iter()
            .filter_map(|v| v.id.strip_prefix('v')?.parse::<u32>().ok())
            .max()
            .unwrap_or(1);
        p.last_version = s.last_version.max(highest);
        p.default_version = s.default_version;
        p.description = s.description;
        p.tags = s.tags;
        p.id = s.id;
        p
    }
}

impl ManagedPolicy {
    /// A policy with one version, `v1`, the default, holding `document`.
    pub fn new(name: String, path: String, document: String) -> Self {
        Self {
            name,
            id: None,
            path,
            versions: vec![PolicyVersion {
                id: first_version(),
                document,
                create_date: None,
            }],
            default_version: first_version(),
            last_version: 1,
            description: None,
            tags: Tags::new(),
        }
    }

    /// `arn:aws:iam::ACCOUNT:policy/PATH/NAME`.
    pub fn arn(&self, account_id: &str) -> String {
        format!("arn:aws:iam::{account_id}:policy{}{}", self.path, self.name)
    }

    /// The version with this id.
    pub fn version(&self, id: &str) -> Option<&PolicyVersion> {
        self.versions.iter().find(|v| v.id == id)
    }

    /// The default version (the first one if the model names none that exists).
    pub fn current(&self) -> Option<&PolicyVersion> {
        self.version(&self.default_version)
            .or_else(|| self.versions.first())
    }

    /// The default version's document: what the engine evaluates.
    pub fn document(&self) -> &str {
        self.current().map_or("", |v| v.document.as_str())
    }
}

/// An OpenID Connect provider (for `AssumeRoleWithWebIdentity`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcProvider {
    /// The issuer URL, `https://…`.
    pub url: String,
    /// Accepted audiences (`aud`).
    #[serde(default)]
    pub client_ids: Vec<String>,
    /// Server certificate thumbprints (40 hex characters each).
    #[serde(default)]
    pub thumbprints: Vec<String>,
    /// The key set, as JSON text, when given inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks: Option<String>,
    /// The key set's file (an absolute path once loaded from a configuration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_file: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// The trusted identity propagation context provider, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_provider: Option<ContextProvider>,
}

impl OidcProvider {
    /// `arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH` (the URL without its scheme).
    pub fn arn(&self, account_id: &str) -> String {
        let host = self.url.strip_prefix("https://").unwrap_or(&self.url);
        format!(
            "arn:aws:iam::{account_id}:oidc-provider/{}",
            host.trim_end_matches('/')
        )
    }
}

/// A SAML 2.0 provider (for `AssumeRoleWithSAML`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamlProvider {
    /// The provider name.
    pub name: String,
    /// The IdP metadata XML, when given inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
    /// The metadata file (an absolute path once loaded from a configuration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata_file: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// The provider's unique id (`SAMLProviderUUID`), given when created through the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// When the provider stops being trusted (ISO-8601): the metadata's `validUntil`, else
    /// 100 years after its creation through the API. `None` for configured providers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// `AssertionEncryptionMode`: `Required` or `Allowed`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assertion_encryption_mode: Option<String>,
    /// The private keys that decrypt encrypted assertions (at most two).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private_keys: Vec<SamlPrivateKey>,
    /// The trusted identity propagation context provider, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_provider: Option<ContextProvider>,
}

/// A private key of a SAML provider, for encrypted assertions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamlPrivateKey {
    /// Its id (`[A-Z0-9]`, 22 to 64 characters), derived from the key.
    pub key_id: String,
    /// The PEM text, as uploaded.
    pub pem: SecretString,
    /// When it was uploaded (ISO-8601).
    pub timestamp: String,
}

impl SamlProvider {
    /// `arn:aws:iam::ACCOUNT:saml-provider/NAME`.
    pub fn arn(&self, account_id: &str) -> String {
        format!("arn:aws:iam::{account_id}:saml-provider/{}", self.name)
    }
}

/// An instance profile: a container for one role, which EC2 passes to an instance.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceProfile {
    /// The instance profile name.
    pub name: String,
    /// The unique id (`AIPA…`): random when the entity was created through the API, given or
    /// absent in a configuration; absent, the id is derived from the keyring, the account and
    /// the name ([`crate::keyring::Keyring::unique_id`]). Kept across renames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The path, `/` by default.
    #[serde(default = "default_path", skip_serializing_if = "is_default_path")]
    pub path: String,
    /// Names of its roles (AWS allows one).
    #[serde(default)]
    pub roles: Vec<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

impl InstanceProfile {
    /// `arn:aws:iam::ACCOUNT:instance-profile/PATH/NAME`.
    pub fn arn(&self, account_id: &str) -> String {
        format!(
            "arn:aws:iam::{account_id}:instance-profile{}{}",
            self.path, self.name
        )
    }
}

/// Who owns a long-term access key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOwner<'a> {
    /// The account's root user.
    Root,
    /// An IAM user.
    User(&'a User),
}

/// The result of [`IamData::find_access_key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessKeyEntry<'a> {
    /// The account of the key.
    pub account: &'a Account,
    /// Root or user.
    pub owner: KeyOwner<'a>,
    /// The key.
    pub key: &'a AccessKey,
}

impl IamData {
    /// The account with this id.
    pub fn account(&self, account_id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == account_id)
    }

    /// The access key with this id, its account and owner (whatever its status).
    pub fn find_access_key(&self, key_id: &str) -> Option<AccessKeyEntry<'_>> {
        self.accounts.iter().find_map(|account| {
            if let Some(key) = account.root.access_keys.iter().find(|k| k.id == key_id) {
                return Some(AccessKeyEntry {
                    account,
                    owner: KeyOwner::Root,
                    key,
                });
            }
            account.users.iter().find_map(|user| {
                user.access_keys
                    .iter()
                    .find(|k| k.id == key_id)
                    .map(|key| AccessKeyEntry {
                        account,
                        owner: KeyOwner::User(user),
                        key,
                    })
            })
        })
    }

    /// The assigned virtual MFA device with this serial (`arn:aws:iam::ACCT:mfa/PATH/NAME`), with
    /// its account and user.
    pub fn find_mfa_device(&self, serial: &str) -> Option<(&Account, &User, &MfaDevice)> {
        let rest = serial.strip_prefix("arn:aws:iam::")?;
        let (account_id, _) = rest.split_once(":mfa/")?;
        let account = self.account(account_id)?;
        account.users.iter().find_map(|user| {
            user.mfa_devices
                .iter()
                .find(|d| d.serial(&account.id) == serial)
                .map(|device| (account, user, device))
        })
    }

    /// The managed policy with this ARN.
    pub fn find_managed_policy(&self, arn: &str) -> Option<(&Account, &ManagedPolicy)> {
        let account_id = arn.strip_prefix("arn:aws:iam::")?.split(':').next()?;
        let account = self.account(account_id)?;
        account
            .managed_policies
            .iter()
            .find(|p| p.arn(&account.id) == arn)
            .map(|p| (account, p))
    }

    /// Every access key id in the model (root and users), in order.
    pub fn access_key_ids(&self) -> impl Iterator<Item = &str> {
        self.accounts.iter().flat_map(|a| {
            a.root
                .access_keys
                .iter()
                .chain(a.users.iter().flat_map(|u| u.access_keys.iter()))
                .map(|k| k.id.as_str())
        })
    }
}

impl Account {
    /// The user with this name (IAM names are unique ignoring case; lookups are exact).
    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.name == name)
    }

    /// The role with this name.
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// The group with this name.
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }

    /// The managed policy with this name.
    pub fn managed_policy(&self, name: &str) -> Option<&ManagedPolicy> {
        self.managed_policies.iter().find(|p| p.name == name)
    }

    /// `arn:aws:iam::ACCOUNT:root`.
    pub fn root_arn(&self) -> String {
        format!("arn:aws:iam::{}:root", self.id)
    }
}

/// The account encoded in an access key id (`AKIA…`, `ASIA…`), as [`crate::ids::decode_account`]
/// computes it; `None` when the id is not well-formed.
pub fn account_of_access_key_id(key_id: &str) -> Option<String> {
    crate::ids::decode_account(key_id)
        .ok()
        .map(|account| account.to_string())
}

/// Builds a well-formed access key id with `prefix` (`AKIA`, `ASIA`) for `account_id`, whose
/// remaining bits come from `random` (the 7 low bits of `z` and the last 4 bytes). `None` when
/// the account is not 12 digits or the prefix is neither. The encoding is [`crate::ids::AccessKeyId::from_parts`].
pub fn access_key_id_for_account(
    prefix: &str,
    account_id: &str,
    random: [u8; 5],
) -> Option<String> {
    use crate::ids::{AccessKeyId, AccessKeyKind, AccountId};
    let kind = match prefix {
        "AKIA" => AccessKeyKind::LongTerm,
        "ASIA" => AccessKeyKind::Temporary,
        _ => return None,
    };
    let account: AccountId = account_id.parse().ok()?;
    Some(
        AccessKeyId::from_parts(kind, account, random)
            .as_str()
            .to_owned(),
    )
}
