//! AWS Organizations as the engine sees it: the organization (plain data, kept in the model
//! beside the accounts) and its compiled form, which every decision reads.
//!
//! An account's path runs root → OUs → account. Service control policies (SCPs) limit the
//! principals of member accounts and resource control policies (RCPs) the resources of member
//! accounts: at each level of the path at least one attached policy must allow, and an explicit
//! deny anywhere denies. Neither applies to the management account; SCPs do not apply to
//! service-linked roles. `FullAWSAccess` and `RCPFullAWSAccess`, AWS's default policies, are
//! known by name; `RCPFullAWSAccess` is attached to every root, OU and account and cannot be
//! detached (AWS Organizations User Guide, "Resource control policies").

use std::sync::Arc;

use keyturn_policy::PolicyType;
use serde::{Deserialize, Serialize};

use crate::evaluator::{OrgLevel, PolicyRef, PolicySource};
use crate::ids::AccountId;
use crate::{Error, ErrorCode};

/// The organization's maps (keys from the model).
pub type Map<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// The name of AWS's default SCP, attached to every root, OU and account unless an entity names
/// its own list.
pub const FULL_AWS_ACCESS: &str = "FullAWSAccess";
/// The name of AWS's default RCP, always attached.
pub const RCP_FULL_AWS_ACCESS: &str = "RCPFullAWSAccess";
/// `FullAWSAccess`'s document.
pub const FULL_AWS_ACCESS_DOCUMENT: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
/// `RCPFullAWSAccess`'s document.
pub const RCP_FULL_AWS_ACCESS_DOCUMENT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;

/// The five AWS managed policies an `AssumeRoot` session can be scoped to (path `/root-task/`).
pub const ROOT_TASK_POLICIES: [&str; 5] = [
    "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials",
    "arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword",
    "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials",
    "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy",
    "arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy",
];

/// The services whose resources RCPs govern (AWS Organizations User Guide, "Resource control
/// policies": "List of AWS services that support RCPs"). IAM is not one of them.
const RCP_SERVICES: [&str; 10] = [
    "s3",
    "sts",
    "kms",
    "sqs",
    "secretsmanager",
    "cognito-identity",
    "logs",
    "dynamodb",
    "ecr",
    "aoss",
];

/// An organization.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// `o-` and 10 to 32 lowercase letters or digits.
    pub id: String,
    /// The management account's id.
    pub management_account: String,
    /// The delegated administrator for IAM (`iam.amazonaws.com`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegated_administrator: Option<String>,
    /// IAM's centralized root access features.
    #[serde(default)]
    pub centralized_root_access: CentralizedRootAccess,
    /// The root with its OUs and accounts.
    pub root: OrgNode,
    /// The organization's own policies (SCPs and RCPs), by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<OrgPolicy>,
}

/// IAM's two centralized root access features (IAM `EnableOrganizationsRootCredentialsManagement`
/// and `EnableOrganizationsRootSessions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CentralizedRootAccess {
    /// `RootCredentialsManagement`: root credentials of member accounts are managed centrally.
    #[serde(default)]
    pub root_credentials_management: bool,
    /// `RootSessions`: privileged root sessions (`AssumeRoot`) in member accounts.
    #[serde(default)]
    pub root_sessions: bool,
}

/// The root or an OU: its id, the policies attached to it, its OUs and accounts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgNode {
    /// `r-…` for the root, `ou-…` for an OU.
    pub id: String,
    /// An OU's name (the root's is `Root`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The SCPs attached, by name; `None`: `FullAWSAccess` alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scps: Option<Vec<String>>,
    /// The RCPs attached besides `RCPFullAWSAccess`, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rcps: Vec<String>,
    /// Child OUs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<OrgNode>,
    /// Accounts directly in this root or OU.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<OrgAccount>,
}

/// An account's place in the organization and the policies attached to it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgAccount {
    /// The 12-digit account id.
    pub id: String,
    /// The SCPs attached, by name; `None`: `FullAWSAccess` alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scps: Option<Vec<String>>,
    /// The RCPs attached besides `RCPFullAWSAccess`, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rcps: Vec<String>,
}

/// The type of an organization policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrgPolicyType {
    /// A service control policy.
    #[serde(rename = "SERVICE_CONTROL_POLICY")]
    ServiceControlPolicy,
    /// A resource control policy.
    #[serde(rename = "RESOURCE_CONTROL_POLICY")]
    ResourceControlPolicy,
}

/// A policy of the organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgPolicy {
    /// Its name (unique in the organization).
    pub name: String,
    /// SCP or RCP.
    #[serde(rename = "type")]
    pub policy_type: OrgPolicyType,
    /// The document, compact JSON text.
    pub document: String,
}

impl Organization {
    /// Each account of the organization with the path of nodes above it (root first).
    pub fn placements(&self) -> Vec<(&OrgAccount, Vec<&OrgNode>)> {
        fn walk<'a>(
            node: &'a OrgNode,
            above: &mut Vec<&'a OrgNode>,
            out: &mut Vec<(&'a OrgAccount, Vec<&'a OrgNode>)>,
        ) {
            above.push(node);
            for a in &node.accounts {
                out.push((a, above.clone()));
            }
            for u in &node.units {
                walk(u, above, out);
            }
            above.pop();
        }
        let mut out = Vec::new();
        walk(&self.root, &mut Vec::new(), &mut out);
        out
    }

    /// Whether `account` is in the organization.
    pub fn has_account(&self, account: &str) -> bool {
        self.placements().iter().any(|(a, _)| a.id == account)
    }
}

/// What the engine knows of one member account.
#[derive(Debug, Clone, Default)]
pub struct AccountOrg {
    /// The SCP levels of its principals (empty for the management account).
    pub scps: Arc<[OrgLevel]>,
    /// The RCP levels of its resources (empty for the management account).
    pub rcps: Arc<[OrgLevel]>,
    /// `aws:PrincipalOrgPaths` / `aws:ResourceOrgPaths`: `o-…/r-…/ou-…/`.
    pub path: String,
}

/// The compiled organization.
#[derive(Debug, Clone)]
pub struct CompiledOrganization {
    /// `o-…`.
    pub id: String,
    /// The management account.
    pub management_account: AccountId,
    /// The delegated administrator for IAM.
    pub delegated_administrator: Option<AccountId>,
    /// The centralized root access features.
    pub centralized_root_access: CentralizedRootAccess,
    /// Member accounts (the management account included).
    pub accounts: Map<AccountId, AccountOrg>,
    /// Per root-task policy ARN: the identity policies of an `AssumeRoot` session (the root's
    /// allow-everything and the task policy, whose denies scope it).
    pub root_tasks: Map<String, Arc<[Arc<PolicyRef>]>>,
}

fn compile_policy(
    org: &Organization,
    name: &str,
    kind: OrgPolicyType,
) -> Result<Arc<PolicyRef>, Error> {
    let (text, policy_type) = match (name, kind) {
        (FULL_AWS_ACCESS, OrgPolicyType::ServiceControlPolicy) => {
            (FULL_AWS_ACCESS_DOCUMENT, PolicyType::Scp)
        }
        (RCP_FULL_AWS_ACCESS, OrgPolicyType::ResourceControlPolicy) => {
            (RCP_FULL_AWS_ACCESS_DOCUMENT, PolicyType::Rcp)
        }
        _ => {
            let p = org
                .policies
                .iter()
                .find(|p| p.name == name && p.policy_type == kind)
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::InternalFailure,
                        format!("organization policy `{name}` is not defined"),
                    )
                })?;
            let t = match kind {
                OrgPolicyType::ServiceControlPolicy => PolicyType::Scp,
                OrgPolicyType::ResourceControlPolicy => PolicyType::Rcp,
            };
            (p.document.as_str(), t)
        }
    };
    PolicyRef::parse(name, PolicySource::None, text, policy_type)
        .map(Arc::new)
        .map_err(|e| {
            Error::new(
                ErrorCode::MalformedPolicyDocument,
                format!("organization policy {name}: {}", e.message()),
            )
        })
}

fn parse_account(id: &str) -> Result<AccountId, Error> {
    id.parse().map_err(|_| {
        Error::new(
            ErrorCode::InternalFailure,
            format!("invalid account id `{id}` in the organization"),
        )
    })
}

impl CompiledOrganization {
    /// Compiles `org`: each account's SCP and RCP levels and path, and the root-task sessions'
    /// policies (`root` is the root user's allow-everything identity policy).
    ///
    /// # Errors
    /// `MalformedPolicyDocument` naming an invalid policy; `InternalFailure` for an undefined
    /// policy name or account id (the configuration refuses both first).
    pub fn build(org: &Organization, root: &Arc<PolicyRef>) -> Result<Self, Error> {
        let mut compiled: Map<(String, bool), Arc<PolicyRef>> = Map::default();
        let mut level = |names: Option<&[String]>,
                         extra: &[String],
                         kind: OrgPolicyType|
         -> Result<OrgLevel, Error> {
            let default = [match kind {
                OrgPolicyType::ServiceControlPolicy => FULL_AWS_ACCESS.to_owned(),
                OrgPolicyType::ResourceControlPolicy => RCP_FULL_AWS_ACCESS.to_owned(),
            }];
            let list = names.unwrap_or(&default).iter().chain(extra);
            let mut out = Vec::new();
            for name in list {
                let key = (name.clone(), kind == OrgPolicyType::ServiceControlPolicy);
                let p = match compiled.get(&key) {
                    Some(p) => Arc::clone(p),
                    None => {
                        let p = compile_policy(org, name, kind)?;
                        compiled.insert(key, Arc::clone(&p));
                        p
                    }
                };
                out.push(p);
            }
            Ok(out.into())
        };
        let management = parse_account(&org.management_account)?;
        let mut accounts = Map::default();
        for (account, nodes) in org.placements() {
            let id = parse_account(&account.id)?;
            let mut path = format!("{}/", org.id);
            for n in &nodes {
                path.push_str(&n.id);
                path.push('/');
            }
            let (scps, rcps): (Arc<[OrgLevel]>, Arc<[OrgLevel]>) = if id == management {
                (Arc::from(Vec::new()), Arc::from(Vec::new()))
            } else {
                let mut scps = Vec::new();
                let mut rcps = Vec::new();
                for n in &nodes {
                    scps.push(level(
                        n.scps.as_deref(),
                        &[],
                        OrgPolicyType::ServiceControlPolicy,
                    )?);
                    rcps.push(level(None, &n.rcps, OrgPolicyType::ResourceControlPolicy)?);
                }
                scps.push(level(
                    account.scps.as_deref(),
                    &[],
                    OrgPolicyType::ServiceControlPolicy,
                )?);
                rcps.push(level(
                    None,
                    &account.rcps,
                    OrgPolicyType::ResourceControlPolicy,
                )?);
                (scps.into(), rcps.into())
            };
            accounts.insert(id, AccountOrg { scps, rcps, path });
        }
        let mut root_tasks = Map::default();
        for arn in ROOT_TASK_POLICIES {
            let Some(policy) = crate::iam::managed::aws_managed_policy(arn)? else {
                continue;
            };
            let task = Arc::new(crate::iam::managed::compile(policy)?);
            let list: Arc<[Arc<PolicyRef>]> = vec![Arc::clone(root), task].into();
            root_tasks.insert(arn.to_owned(), list);
        }
        Ok(Self {
            id: org.id.clone(),
            management_account: management,
            delegated_administrator: org
                .delegated_administrator
                .as_deref()
                .map(parse_account)
                .transpose()?,
            centralized_root_access: org.centralized_root_access,
            accounts,
            root_tasks,
        })
    }

    /// The member account `account`, if it is one.
    pub fn account(&self, account: &str) -> Option<&AccountOrg> {
        self.accounts.get(&account.parse::<AccountId>().ok()?)
    }
}

/// Whether RCPs govern `action` (`service:Action`): only the services that support them.
pub fn rcp_applies(action: &str) -> bool {
    action
        .split_once(':')
        .is_some_and(|(svc, _)| RCP_SERVICES.iter().any(|s| s.eq_ignore_ascii_case(svc)))
}

/// Whether a role path is a service-linked role's (SCPs do not limit those).
pub fn is_service_linked_path(path: &str) -> bool {
    path.starts_with("/aws-service-role/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org() -> Organization {
        let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ec2:*","Resource":"*"}]}"#;
        Organization {
            id: "o-aa11bb22cc".into(),
            management_account: "111111111111".into(),
            root: OrgNode {
                id: "r-ab12".into(),
                accounts: vec![OrgAccount {
                    id: "111111111111".into(),
                    ..OrgAccount::default()
                }],
                units: vec![OrgNode {
                    id: "ou-ab12-11111111".into(),
                    name: Some("W".into()),
                    scps: Some(vec![FULL_AWS_ACCESS.into(), "DenyEc2".into()]),
                    accounts: vec![OrgAccount {
                        id: "222222222222".into(),
                        ..OrgAccount::default()
                    }],
                    ..OrgNode::default()
                }],
                ..OrgNode::default()
            },
            policies: vec![OrgPolicy {
                name: "DenyEc2".into(),
                policy_type: OrgPolicyType::ServiceControlPolicy,
                document: deny.into(),
            }],
            ..Organization::default()
        }
    }

    #[test]
    fn levels_follow_the_path_and_spare_the_management_account() {
        let root = Arc::new(
            PolicyRef::parse(
                "root",
                PolicySource::None,
                FULL_AWS_ACCESS_DOCUMENT,
                PolicyType::Identity,
            )
            .unwrap_or_else(|e| panic!("{e}")),
        );
        let c = CompiledOrganization::build(&org(), &root).unwrap_or_else(|e| panic!("{e}"));
        let member = c
            .account("222222222222")
            .unwrap_or_else(|| panic!("member"));
        // Root, the OU, the account.
        assert_eq!(member.scps.len(), 3);
        assert_eq!(member.scps[1].len(), 2);
        assert_eq!(member.scps[1][1].id, "DenyEc2");
        assert_eq!(member.rcps.len(), 3);
        assert_eq!(member.rcps[0][0].id, RCP_FULL_AWS_ACCESS);
        assert_eq!(member.path, "o-aa11bb22cc/r-ab12/ou-ab12-11111111/");
        let management = c
            .account("111111111111")
            .unwrap_or_else(|| panic!("management"));
        assert!(management.scps.is_empty() && management.rcps.is_empty());
        assert_eq!(management.path, "o-aa11bb22cc/r-ab12/");
        assert!(c.account("333333333333").is_none());
        assert_eq!(c.root_tasks.len(), 5);
        // An undefined policy name is refused.
        let mut bad = org();
        bad.policies.clear();
        assert!(CompiledOrganization::build(&bad, &root).is_err());
    }

    #[test]
    fn rcps_govern_their_services_only() {
        assert!(rcp_applies("sts:AssumeRole"));
        assert!(rcp_applies("S3:GetObject"));
        assert!(!rcp_applies("iam:CreateUser"));
        assert!(!rcp_applies("ec2:RunInstances"));
        assert!(is_service_linked_path("/aws-service-role/x.amazonaws.com/"));
        assert!(!is_service_linked_path("/"));
    }
}
