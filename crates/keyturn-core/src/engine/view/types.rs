//! What the view takes that no generated shape says: the list filters and who holds policies.
//! The view answers with the generated shapes of `keyturn_api::iam` themselves.

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
