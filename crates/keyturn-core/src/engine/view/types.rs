//! The plain data the view answers with: one struct per IAM shape it feeds (not wire types).

use time::OffsetDateTime;

use crate::ids::UniqueId;

/// A tag (`Key`, `Value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
}

/// An IAM user (GetUser, ListUsers, GetGroup's members).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    /// The path.
    pub path: String,
    /// The name.
    pub name: String,
    /// `AIDA…`.
    pub user_id: UniqueId,
    /// `arn:aws:iam::ACCT:user/PATH/NAME`.
    pub arn: String,
    /// When it was created.
    pub create_date: OffsetDateTime,
    /// The permissions boundary's ARN (type `PermissionsBoundaryPolicy`).
    pub permissions_boundary: Option<String>,
    /// Tags, by key.
    pub tags: Vec<Tag>,
}

/// An IAM group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInfo {
    /// The path.
    pub path: String,
    /// The name.
    pub name: String,
    /// `AGPA…`.
    pub group_id: UniqueId,
    /// `arn:aws:iam::ACCT:group/PATH/NAME`.
    pub arn: String,
    /// When it was created.
    pub create_date: OffsetDateTime,
}

/// An IAM role (GetRole, ListRoles).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleInfo {
    /// The path.
    pub path: String,
    /// The name.
    pub name: String,
    /// `AROA…`.
    pub role_id: UniqueId,
    /// `arn:aws:iam::ACCT:role/PATH/NAME`.
    pub arn: String,
    /// When it was created.
    pub create_date: OffsetDateTime,
    /// The trust policy, URL-encoded.
    pub assume_role_policy_document: String,
    /// The description.
    pub description: Option<String>,
    /// Longest session, seconds.
    pub max_session_duration: u32,
    /// The permissions boundary's ARN.
    pub permissions_boundary: Option<String>,
    /// Tags, by key.
    pub tags: Vec<Tag>,
}

/// An inline policy (GetRolePolicy, GetUserPolicy, GetGroupPolicy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlinePolicy {
    /// The policy name.
    pub name: String,
    /// The document, URL-encoded.
    pub document: String,
}

/// A managed policy attached to an entity (`AttachedPolicy`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachedPolicy {
    /// The policy name.
    pub name: String,
    /// The policy ARN.
    pub arn: String,
}

/// A managed policy, customer or AWS (GetPolicy, ListPolicies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyInfo {
    /// The name.
    pub name: String,
    /// `ANPA…`.
    pub policy_id: UniqueId,
    /// The ARN.
    pub arn: String,
    /// The path.
    pub path: String,
    /// The default version.
    pub default_version_id: String,
    /// Users, groups and roles of this account that attach it.
    pub attachment_count: u32,
    /// Users and roles of this account whose permissions boundary it is.
    pub permissions_boundary_usage_count: u32,
    /// Always true: every policy here can be attached.
    pub is_attachable: bool,
    /// When it was created.
    pub create_date: OffsetDateTime,
    /// When its default version was last set.
    pub update_date: OffsetDateTime,
    /// Whether AWS owns it (`arn:aws:iam::aws:policy/…`).
    pub aws_managed: bool,
    /// Its description (customer managed policies created with one).
    pub description: Option<String>,
    /// Its tags (customer managed policies).
    pub tags: Vec<Tag>,
}

/// A version of a managed policy (GetPolicyVersion, and the versions of
/// GetAccountAuthorizationDetails).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVersionInfo {
    /// The document, URL-encoded.
    pub document: String,
    /// `v1`, `v2`, …
    pub version_id: String,
    /// Whether it is the default version.
    pub is_default_version: bool,
    /// When the version was created.
    pub create_date: OffsetDateTime,
}

/// A long-term access key's metadata (ListAccessKeys): never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKeyInfo {
    /// The owner's name; `None` for the root user's keys.
    pub user_name: Option<String>,
    /// `AKIA…`.
    pub access_key_id: String,
    /// `Active` or `Inactive`.
    pub status: crate::iam::AccessKeyStatus,
    /// When it was created.
    pub create_date: OffsetDateTime,
}

/// An MFA device of a user (ListMFADevices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaDeviceInfo {
    /// The owner's name.
    pub user_name: String,
    /// `arn:aws:iam::ACCT:mfa/NAME`.
    pub serial_number: String,
    /// When it was enabled.
    pub enable_date: OffsetDateTime,
}

/// A virtual MFA device (ListVirtualMFADevices): never the seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualMfaDeviceInfo {
    /// `arn:aws:iam::ACCT:mfa/NAME`.
    pub serial_number: String,
    /// The user it is assigned to; `None` for an unassigned device.
    pub user: Option<UserInfo>,
    /// When it was enabled; `None` for an unassigned device.
    pub enable_date: Option<OffsetDateTime>,
}

/// ListVirtualMFADevices' `AssignmentStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssignmentStatus {
    /// Devices assigned to a user.
    Assigned,
    /// Devices assigned to nobody.
    Unassigned,
    /// Both (the default).
    #[default]
    Any,
}

/// An OpenID Connect provider (GetOpenIDConnectProvider).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcProviderInfo {
    /// Its ARN.
    pub arn: String,
    /// The issuer without its scheme (`token.actions.githubusercontent.com`), as IAM returns it.
    pub url: String,
    /// Audiences.
    pub client_ids: Vec<String>,
    /// Certificate thumbprints.
    pub thumbprints: Vec<String>,
    /// When it was created.
    pub create_date: OffsetDateTime,
    /// Its tags, by key.
    pub tags: Vec<Tag>,
}

/// A SAML provider (GetSAMLProvider, ListSAMLProviders).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SamlProviderInfo {
    /// Its ARN.
    pub arn: String,
    /// The metadata document given inline; `None` when the model names a file instead (see
    /// [`SamlProviderInfo::metadata_file`]).
    pub metadata_document: Option<String>,
    /// The metadata file of the model, if any.
    pub metadata_file: Option<String>,
    /// When it was created.
    pub create_date: OffsetDateTime,
    /// When it stops being trusted, when known.
    pub valid_until: Option<OffsetDateTime>,
    /// Its unique id (`SAMLProviderUUID`), when it has one.
    pub uuid: Option<String>,
    /// `AssertionEncryptionMode`, when set.
    pub assertion_encryption_mode: Option<String>,
    /// Its private keys' ids and upload times (never the keys).
    pub private_keys: Vec<(String, OffsetDateTime)>,
    /// Its tags, by key.
    pub tags: Vec<Tag>,
}

/// ListPolicies' `Scope`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PolicyScope {
    /// Both (the default).
    #[default]
    All,
    /// AWS managed policies only.
    Aws,
    /// Customer managed policies only.
    Local,
}

/// ListPolicies' `PolicyUsageFilter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyUsage {
    /// Attached as a permissions policy.
    PermissionsPolicy,
    /// Used as a permissions boundary.
    PermissionsBoundary,
}

/// ListPolicies' filters (all but the paging).
#[derive(Debug, Clone, Default)]
pub struct PolicyFilter<'a> {
    /// `Scope`.
    pub scope: PolicyScope,
    /// `OnlyAttached`: only policies attached (or used as a boundary) in the account.
    pub only_attached: bool,
    /// `PathPrefix`.
    pub path_prefix: Option<&'a str>,
    /// `PolicyUsageFilter`.
    pub usage: Option<PolicyUsage>,
}

/// Who holds inline and managed policies: a user, a group or a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyHolder {
    /// An IAM user (`user/…`).
    User,
    /// An IAM role (`role/…`).
    Role,
    /// An IAM group (`group/…`).
    Group,
}

impl PolicyHolder {
    /// The word of the kind in ARNs and in IAM's texts (`user`, `role`, `group`).
    pub fn word(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Role => "role",
            Self::Group => "group",
        }
    }
}
