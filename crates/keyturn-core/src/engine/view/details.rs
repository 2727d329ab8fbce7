//! The account-wide answers: GetAccountSummary, GetAccountAuthorizationDetails and the
//! GetContextKeysFor… operations.

use crate::ErrorCode;
use std::collections::{BTreeMap, BTreeSet};

use keyturn_policy::{CompiledPolicy, PolicyType};

use super::{
    AccountView, AttachedPolicy, GroupInfo, InlinePolicy, PolicyFilter, PolicyHolder, PolicyInfo,
    PolicyVersionInfo, RoleInfo, UserInfo,
};
use crate::Error;
use crate::arn::Arn;

/// IAM's default quotas, as GetAccountSummary reports them (IAM and AWS STS quotas page).
const QUOTAS: &[(&str, i64)] = &[
    ("AccessKeysPerUserQuota", 2),
    ("AssumeRolePolicySizeQuota", 2048),
    ("AttachedPoliciesPerGroupQuota", 10),
    ("AttachedPoliciesPerRoleQuota", 10),
    ("AttachedPoliciesPerUserQuota", 10),
    ("GlobalEndpointTokenVersion", 1),
    ("GroupPolicySizeQuota", 5120),
    ("GroupsPerUserQuota", 10),
    ("GroupsQuota", 300),
    ("InstanceProfilesQuota", 1000),
    ("PoliciesQuota", 1500),
    ("PolicySizeQuota", 6144),
    ("PolicyVersionsInUseQuota", 10000),
    ("RolePolicySizeQuota", 10240),
    ("RolesQuota", 1000),
    ("ServerCertificatesQuota", 20),
    ("SigningCertificatesPerUserQuota", 2),
    ("UserPolicySizeQuota", 2048),
    ("UsersQuota", 5000),
    ("VersionsPerPolicyQuota", 5),
];

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(super) fn account_summary(view: &AccountView<'_>) -> BTreeMap<&'static str, i64> {
    let a = view.account();
    let mut map: BTreeMap<&'static str, i64> = QUOTAS.iter().copied().collect();
    let mfa = a.users.iter().map(|u| u.mfa_devices.len()).sum::<usize>();
    // Customer managed policies in use (attached or a boundary).
    let in_use = a
        .managed_policies
        .iter()
        .filter(|p| {
            let (attached, boundary) = view.usage(&p.arn(&a.id));
            attached + boundary > 0
        })
        .count();
    for (key, value) in [
        ("Users", count(a.users.len())),
        ("Groups", count(a.groups.len())),
        ("Roles", count(a.roles.len())),
        ("Policies", count(a.managed_policies.len())),
        ("PolicyVersionsInUse", count(in_use)),
        // Every virtual MFA device, assigned or not; "InUse": those assigned to a user.
        ("MFADevices", count(mfa + a.virtual_mfa_devices.len())),
        ("MFADevicesInUse", count(mfa)),
        // Root MFA is not modelled.
        ("AccountMFAEnabled", 0),
        (
            "AccountAccessKeysPresent",
            i64::from(!a.root.access_keys.is_empty()),
        ),
        (
            "AccountSigningCertificatesPresent",
            i64::from(!a.root.signing_certificates.is_empty()),
        ),
        ("ServerCertificates", count(a.server_certificates.len())),
        ("InstanceProfiles", count(a.instance_profiles.len())),
        (
            "Providers",
            count(a.oidc_providers.len() + a.saml_providers.len()),
        ),
    ] {
        map.insert(key, value);
    }
    map
}

/// GetAccountAuthorizationDetails' `Filter` values (`EntityType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityFilter {
    /// `User`.
    User,
    /// `Role`.
    Role,
    /// `Group`.
    Group,
    /// `LocalManagedPolicy`: customer managed policies.
    LocalManagedPolicy,
    /// `AWSManagedPolicy`: AWS managed policies (those the account uses).
    AwsManagedPolicy,
}

/// A user of GetAccountAuthorizationDetails (`UserDetail`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDetail {
    /// Name, id, ARN, path, date, boundary, tags.
    pub user: UserInfo,
    /// Inline policies (`UserPolicyList`), documents URL-encoded.
    pub inline_policies: Vec<InlinePolicy>,
    /// Names of its groups (`GroupList`).
    pub groups: Vec<String>,
    /// Attached managed policies.
    pub attached_policies: Vec<AttachedPolicy>,
}

/// A group of GetAccountAuthorizationDetails (`GroupDetail`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupDetail {
    /// Name, id, ARN, path, date.
    pub group: GroupInfo,
    /// Inline policies (`GroupPolicyList`).
    pub inline_policies: Vec<InlinePolicy>,
    /// Attached managed policies.
    pub attached_policies: Vec<AttachedPolicy>,
}

/// A role of GetAccountAuthorizationDetails (`RoleDetail`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDetail {
    /// Name, id, ARN, path, date, trust policy, boundary, tags.
    pub role: RoleInfo,
    /// Inline policies (`RolePolicyList`).
    pub inline_policies: Vec<InlinePolicy>,
    /// Attached managed policies.
    pub attached_policies: Vec<AttachedPolicy>,
}

/// A managed policy of GetAccountAuthorizationDetails (`ManagedPolicyDetail`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedPolicyDetail {
    /// The policy.
    pub policy: PolicyInfo,
    /// Every version (`PolicyVersionList`).
    pub versions: Vec<PolicyVersionInfo>,
}

/// One entry of GetAccountAuthorizationDetails. The operation pages over all entries at once
/// (one `Marker`) and sorts each page's entries into its four lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizationDetail {
    /// For `UserDetailList`.
    User(UserDetail),
    /// For `GroupDetailList`.
    Group(GroupDetail),
    /// For `RoleDetailList`.
    Role(RoleDetail),
    /// For `Policies`.
    Policy(ManagedPolicyDetail),
}

fn inline_list(policies: &crate::iam::InlinePolicies) -> Vec<InlinePolicy> {
    policies
        .iter()
        .map(|(name, doc)| InlinePolicy {
            name: name.clone(),
            document: super::url_encode_document(doc),
        })
        .collect()
}

impl AccountView<'_> {
    /// GetAccountAuthorizationDetails (before paging): users, groups, roles, then managed
    /// policies (customer, then the AWS ones the account uses), each by name. An empty `filter`
    /// selects every kind, as the operation does without `Filter`.
    ///
    /// # Errors
    /// `InternalFailure` if the embedded AWS policies cannot be read.
    pub fn authorization_details(
        &self,
        filter: &[EntityFilter],
    ) -> Result<Vec<AuthorizationDetail>, Error> {
        let wants = |f: EntityFilter| filter.is_empty() || filter.contains(&f);
        let a = self.account();
        let mut out = Vec::new();
        if wants(EntityFilter::User) {
            for user in self.users(None) {
                let Some(u) = a.user(&user.name) else {
                    continue;
                };
                out.push(AuthorizationDetail::User(UserDetail {
                    inline_policies: inline_list(&u.inline_policies),
                    groups: u.groups.clone(),
                    attached_policies: self.attached_policies(PolicyHolder::User, &u.name, None)?,
                    user,
                }));
            }
        }
        if wants(EntityFilter::Group) {
            for group in self.groups(None) {
                let Some(g) = a.group(&group.name) else {
                    continue;
                };
                out.push(AuthorizationDetail::Group(GroupDetail {
                    inline_policies: inline_list(&g.inline_policies),
                    attached_policies: self.attached_policies(
                        PolicyHolder::Group,
                        &g.name,
                        None,
                    )?,
                    group,
                }));
            }
        }
        if wants(EntityFilter::Role) {
            for role in self.roles(None) {
                let Some(r) = a.role(&role.name) else {
                    continue;
                };
                out.push(AuthorizationDetail::Role(RoleDetail {
                    inline_policies: inline_list(&r.inline_policies),
                    attached_policies: self.attached_policies(PolicyHolder::Role, &r.name, None)?,
                    role,
                }));
            }
        }
        let mut policies = Vec::new();
        if wants(EntityFilter::LocalManagedPolicy) {
            policies.extend(self.policies(&PolicyFilter {
                scope: super::PolicyScope::Local,
                ..PolicyFilter::default()
            })?);
        }
        if wants(EntityFilter::AwsManagedPolicy) {
            // Only the AWS policies the account uses, as IAM reports them here.
            policies.extend(self.policies(&PolicyFilter {
                scope: super::PolicyScope::Aws,
                only_attached: true,
                ..PolicyFilter::default()
            })?);
        }
        for policy in policies {
            let versions = self.policy_versions(&policy.arn)?;
            out.push(AuthorizationDetail::Policy(ManagedPolicyDetail {
                policy,
                versions,
            }));
        }
        Ok(out)
    }

    /// GetContextKeysForPrincipalPolicy: the condition keys of every policy of the user, group
    /// or role `principal_arn` (for a user, its groups' too) and of `extra` policies, sorted,
    /// without duplicates, lower-case.
    ///
    /// # Errors
    /// `NoSuchEntity`: "The user with name X cannot be found." (or role, group) for a missing
    /// entity; "The principal with arn ARN cannot be found." for an entity of another account;
    /// `InvalidInput` ("ARN ARN is not valid.") for an ARN of no IAM user, group or role;
    /// `MalformedPolicyDocument` for an invalid `extra` policy.
    pub fn context_keys_for_principal(
        &self,
        principal_arn: &str,
        extra: &[&str],
    ) -> Result<Vec<String>, Error> {
        // An ARN that names no user, group or role at all is refused as IAM refuses a malformed
        // ARN parameter; one of another account is not found here.
        let invalid = || {
            Error::new(
                ErrorCode::InvalidInput,
                format!("ARN {principal_arn} is not valid."),
            )
        };
        let arn = Arn::parse(principal_arn).map_err(|_| invalid())?;
        let resource = arn.resource();
        let (kind, rest) = resource.split_once('/').ok_or_else(invalid)?;
        let name = rest.rsplit('/').next().unwrap_or(rest);
        if arn.service() != "iam" || !matches!(kind, "user" | "role" | "group") {
            return Err(invalid());
        }
        if arn.account() != self.account().id {
            return Err(Error::new(
                ErrorCode::NoSuchEntity,
                format!("The principal with arn {principal_arn} cannot be found."),
            ));
        }
        let snap = self.snapshot;
        let policies = match kind {
            "user" => snap.users.get(self.id, name).map(|e| &e.policies),
            "role" => snap.roles.get(self.id, name).map(|e| &e.policies),
            "group" => snap.groups.get(self.id, name).map(|e| &e.policies),
            _ => return Err(invalid()),
        }
        // The entity's own text, as GetUser, GetRole and GetGroup give it.
        .ok_or_else(|| super::no_such(kind, name))?;
        let mut keys: BTreeSet<String> = BTreeSet::new();
        for p in policies.identity.iter() {
            keys.extend(p.compiled.condition_keys().iter().map(|k| k.to_string()));
        }
        keys.extend(context_keys_for_custom_policies(extra)?);
        Ok(keys.into_iter().collect())
    }
}

/// GetContextKeysForCustomPolicy: the condition keys of `policies` (JSON texts), sorted,
/// without duplicates, lower-case.
///
/// # Errors
/// `MalformedPolicyDocument` for a policy that does not parse.
pub fn context_keys_for_custom_policies(policies: &[&str]) -> Result<Vec<String>, Error> {
    let mut keys = BTreeSet::new();
    for text in policies {
        let p = CompiledPolicy::parse(text, PolicyType::Identity)
            .map_err(|e| Error::new(ErrorCode::MalformedPolicyDocument, e.to_string()))?;
        keys.extend(p.condition_keys().iter().map(|k| k.to_string()));
    }
    Ok(keys.into_iter().collect())
}
