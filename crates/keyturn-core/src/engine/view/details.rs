//! The account-wide answers: GetAccountSummary, GetAccountAuthorizationDetails and the
//! GetContextKeysFor… operations.

use crate::ErrorCode;
use std::collections::{BTreeMap, BTreeSet};

use keyturn_api::iam::{GroupDetail, ManagedPolicyDetail, PolicyDetail, RoleDetail, UserDetail};
use keyturn_policy::{CompiledPolicy, PolicyType};

use super::{AccountView, PolicyFilter};
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

/// One entry of GetAccountAuthorizationDetails. The operation pages over all entries at once
/// (one `Marker`) and sorts each page's entries into its four lists.
#[derive(Debug, Clone, PartialEq)]
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

fn inline_list(policies: &crate::iam::InlinePolicies) -> Option<Vec<PolicyDetail>> {
    Some(
        policies
            .iter()
            .map(|(name, doc)| super::inline_policy(name, doc))
            .collect(),
    )
}

impl AccountView<'_> {
    /// GetAccountAuthorizationDetails (before paging): users, groups, roles, then managed
    /// policies (customer, then the AWS ones the account uses), each by name. An empty `filter`
    /// selects every kind, as the operation does without `Filter`. A role's `RoleLastUsed` is
    /// left for the operation (the engine tracks it, not the model).
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
            for u in super::listed(&a.users, |u| u) {
                let user = self.user_info(u);
                out.push(AuthorizationDetail::User(UserDetail {
                    path: Some(user.path),
                    user_name: Some(user.user_name),
                    user_id: Some(user.user_id),
                    arn: Some(user.arn),
                    create_date: Some(user.create_date),
                    user_policy_list: inline_list(&u.inline_policies),
                    group_list: Some(u.groups.clone()),
                    attached_managed_policies: Some(self.attached(&u.managed_policies, None)),
                    permissions_boundary: user.permissions_boundary,
                    tags: user.tags,
                }));
            }
        }
        if wants(EntityFilter::Group) {
            for g in super::listed(&a.groups, |g| g) {
                let group = self.group_info(g);
                out.push(AuthorizationDetail::Group(GroupDetail {
                    path: Some(group.path),
                    group_name: Some(group.group_name),
                    group_id: Some(group.group_id),
                    arn: Some(group.arn),
                    create_date: Some(group.create_date),
                    group_policy_list: inline_list(&g.inline_policies),
                    attached_managed_policies: Some(self.attached(&g.managed_policies, None)),
                }));
            }
        }
        if wants(EntityFilter::Role) {
            for r in super::listed(&a.roles, |r| r) {
                let role = self.role_info(r);
                out.push(AuthorizationDetail::Role(RoleDetail {
                    instance_profile_list: Some(self.instance_profiles_for_role(&r.name)?),
                    path: Some(role.path),
                    role_name: Some(role.role_name),
                    role_id: Some(role.role_id),
                    arn: Some(role.arn),
                    create_date: Some(role.create_date),
                    assume_role_policy_document: role.assume_role_policy_document,
                    role_policy_list: inline_list(&r.inline_policies),
                    attached_managed_policies: Some(self.attached(&r.managed_policies, None)),
                    permissions_boundary: role.permissions_boundary,
                    tags: role.tags,
                    role_last_used: None,
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
        for p in policies {
            // GetPolicy's answer without its tags, and every version.
            let versions = self.policy_versions(p.arn.as_deref().unwrap_or_default())?;
            out.push(AuthorizationDetail::Policy(ManagedPolicyDetail {
                policy_name: p.policy_name,
                policy_id: p.policy_id,
                arn: p.arn,
                path: p.path,
                default_version_id: p.default_version_id,
                attachment_count: p.attachment_count,
                permissions_boundary_usage_count: p.permissions_boundary_usage_count,
                is_attachable: p.is_attachable,
                description: p.description,
                create_date: p.create_date,
                update_date: p.update_date,
                policy_version_list: Some(versions),
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
