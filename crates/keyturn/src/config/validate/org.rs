//! `organization:`: the organization, its root, OUs and accounts, its SCPs and RCPs and where
//! they are attached, the delegated administrator for IAM and centralized root access. The
//! limits are AWS Organizations' ("Quotas for AWS Organizations").

use std::collections::BTreeSet;

use keyturn_core::org::{
    CentralizedRootAccess, FULL_AWS_ACCESS, OrgAccount, OrgNode, OrgPolicy, OrgPolicyType,
    Organization, RCP_FULL_AWS_ACCESS,
};
use keyturn_policy::{CompiledPolicy, PolicyType};

use super::super::raw::{RawOrgAccount, RawOrgNode, RawOrganization};
use super::{Checked, Checker};

/// The most SCPs (or RCPs) attached to one root, OU or account.
const MAX_ATTACHED: usize = 5;
/// The deepest OU nesting under the root.
const MAX_DEPTH: usize = 5;

fn lower_alnum(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

fn account_id_ok(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

/// What the walk over the tree collects.
struct Walk<'a> {
    scps: BTreeSet<&'a str>,
    rcps: BTreeSet<&'a str>,
    node_ids: BTreeSet<String>,
    accounts: BTreeSet<String>,
    configured: &'a BTreeSet<String>,
}

impl Checker<'_> {
    fn attached(
        &self,
        path: &str,
        names: &[String],
        known: &BTreeSet<&str>,
        kind: &str,
    ) -> Checked<()> {
        if names.len() > MAX_ATTACHED {
            return self.fail(
                path,
                format!("at most {MAX_ATTACHED} {kind}s can be attached to one target"),
            );
        }
        let mut seen = BTreeSet::new();
        for (i, name) in names.iter().enumerate() {
            let p = format!("{path}[{i}]");
            if name == RCP_FULL_AWS_ACCESS {
                return self.fail(
                    &p,
                    "RCPFullAWSAccess is always attached and cannot be named: leave it out",
                );
            }
            if !known.contains(name.as_str()) {
                return self.fail(
                    &p,
                    format!("no {kind} of the organization is named `{name}`"),
                );
            }
            if !seen.insert(name) {
                return self.fail(&p, format!("the {kind} `{name}` is attached twice"));
            }
        }
        Ok(())
    }

    fn org_scps(&self, path: &str, scps: Option<&Vec<String>>, w: &Walk<'_>) -> Checked<()> {
        if let Some(list) = scps {
            if list.is_empty() {
                return self.fail(
                    path,
                    "every root, OU and account has at least one SCP attached (leave `scps` out for FullAWSAccess)",
                );
            }
            self.attached(path, list, &w.scps, "SCP")?;
        }
        Ok(())
    }

    fn org_node(
        &self,
        path: &str,
        raw: &RawOrgNode,
        root_id: Option<&str>,
        depth: usize,
        w: &mut Walk<'_>,
    ) -> Checked<OrgNode> {
        let id_path = format!("{path}.id");
        match root_id {
            None => {
                let ok = raw
                    .id
                    .strip_prefix("r-")
                    .is_some_and(|r| lower_alnum(r, 4, 32));
                if !ok {
                    return self.fail(
                        &id_path,
                        format!(
                            "`{}` is not a root id: r- then 4 to 32 lowercase letters or digits",
                            raw.id
                        ),
                    );
                }
            }
            Some(root) => {
                let suffix = root.strip_prefix("r-").unwrap_or_default();
                let ok = raw
                    .id
                    .strip_prefix("ou-")
                    .and_then(|r| r.split_once('-'))
                    .is_some_and(|(a, b)| a == suffix && lower_alnum(b, 8, 32));
                if !ok {
                    return self.fail(
                        &id_path,
                        format!("`{}` is not an OU id of root {root}: ou-{suffix}- then 8 to 32 lowercase letters or digits", raw.id),
                    );
                }
                if raw
                    .name
                    .as_deref()
                    .is_none_or(|n| n.is_empty() || n.chars().count() > 128)
                {
                    return self.fail(
                        &format!("{path}.name"),
                        "an OU has a name of 1 to 128 characters",
                    );
                }
            }
        }
        if !w.node_ids.insert(raw.id.clone()) {
            return self.fail(&id_path, format!("`{}` is defined more than once", raw.id));
        }
        if depth > MAX_DEPTH {
            return self.fail(
                path,
                format!("OUs nest at most {MAX_DEPTH} levels under the root"),
            );
        }
        self.org_scps(&format!("{path}.scps"), raw.scps.as_ref(), w)?;
        self.attached(&format!("{path}.rcps"), &raw.rcps, &w.rcps, "RCP")?;
        let root = root_id.unwrap_or(&raw.id).to_owned();
        let mut units = Vec::new();
        for (i, u) in raw.units.iter().enumerate() {
            units.push(self.org_node(
                &format!("{path}.units[{i}]"),
                u,
                Some(&root),
                depth + 1,
                w,
            )?);
        }
        let mut accounts = Vec::new();
        for (i, a) in raw.accounts.iter().enumerate() {
            let p = format!("{path}.accounts[{i}]");
            let (id, scps, rcps) = match a {
                RawOrgAccount::Id(id) => (id, None, &[][..]),
                RawOrgAccount::Full(f) => (&f.id, f.scps.as_ref(), f.rcps.as_slice()),
            };
            if !account_id_ok(id) {
                return self.fail(
                    &p,
                    format!("`{id}` is not an account id: 12 digits, quoted"),
                );
            }
            if !w.configured.contains(id) {
                return self.fail(
                    &p,
                    format!("account `{id}` is not one of the configuration's `accounts`"),
                );
            }
            if !w.accounts.insert(id.clone()) {
                return self.fail(
                    &p,
                    format!("account `{id}` is placed in the organization more than once"),
                );
            }
            self.org_scps(&format!("{p}.scps"), scps, w)?;
            self.attached(&format!("{p}.rcps"), rcps, &w.rcps, "RCP")?;
            accounts.push(OrgAccount {
                id: id.clone(),
                scps: scps.cloned(),
                rcps: rcps.to_vec(),
            });
        }
        Ok(OrgNode {
            id: raw.id.clone(),
            name: raw.name.clone(),
            scps: raw.scps.clone(),
            rcps: raw.rcps.clone(),
            units,
            accounts,
        })
    }

    /// The organization, checked against the configured accounts.
    pub(super) fn organization(
        &self,
        raw: &RawOrganization,
        configured: &BTreeSet<String>,
    ) -> Checked<Organization> {
        let p = "organization";
        if !raw
            .id
            .strip_prefix("o-")
            .is_some_and(|r| lower_alnum(r, 10, 32))
        {
            return self.fail(
                &format!("{p}.id"),
                format!(
                    "`{}` is not an organization id: o- then 10 to 32 lowercase letters or digits",
                    raw.id
                ),
            );
        }
        for (field, id) in [
            ("management_account", Some(&raw.management_account)),
            (
                "delegated_administrator",
                raw.delegated_administrator.as_ref(),
            ),
        ] {
            let Some(id) = id else { continue };
            if !account_id_ok(id) || !configured.contains(id) {
                return self.fail(
                    &format!("{p}.{field}"),
                    format!("`{id}` is not one of the configuration's accounts"),
                );
            }
        }
        if raw.delegated_administrator.as_ref() == Some(&raw.management_account) {
            return self.fail(
                &format!("{p}.delegated_administrator"),
                "the management account cannot be a delegated administrator",
            );
        }
        let mut policies = Vec::new();
        let mut scps = BTreeSet::from([FULL_AWS_ACCESS]);
        let mut rcps = BTreeSet::new();
        let mut names = BTreeSet::new();
        for (i, policy) in raw.policies.iter().enumerate() {
            let q = format!("{p}.policies[{i}]");
            if policy.name.is_empty() || policy.name.chars().count() > 128 {
                return self.fail(
                    &format!("{q}.name"),
                    "a policy name has 1 to 128 characters",
                );
            }
            if [FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS].contains(&policy.name.as_str()) {
                return self.fail(
                    &format!("{q}.name"),
                    format!(
                        "`{}` is AWS's own policy, known without being defined",
                        policy.name
                    ),
                );
            }
            let (kind, ty) = match policy.policy_type.as_str() {
                "SERVICE_CONTROL_POLICY" => (OrgPolicyType::ServiceControlPolicy, PolicyType::Scp),
                "RESOURCE_CONTROL_POLICY" => {
                    (OrgPolicyType::ResourceControlPolicy, PolicyType::Rcp)
                }
                other => {
                    return self.fail(
                        &format!("{q}.type"),
                        format!("`{other}` is not a policy type: SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY"),
                    );
                }
            };
            let document = self.policy(&format!("{q}.document"), &policy.document)?;
            if let Err(e) = CompiledPolicy::parse(&document, ty) {
                return self.fail(&format!("{q}.document"), e.to_string());
            }
            if !names.insert(policy.name.as_str()) {
                return self.fail(
                    &format!("{q}.name"),
                    format!("a policy named `{}` is defined more than once", policy.name),
                );
            }
            match kind {
                OrgPolicyType::ServiceControlPolicy => scps.insert(policy.name.as_str()),
                OrgPolicyType::ResourceControlPolicy => rcps.insert(policy.name.as_str()),
            };
            policies.push(OrgPolicy {
                name: policy.name.clone(),
                policy_type: kind,
                document,
            });
        }
        let mut walk = Walk {
            scps,
            rcps,
            node_ids: BTreeSet::new(),
            accounts: BTreeSet::new(),
            configured,
        };
        let mut root = self.org_node(&format!("{p}.root"), &raw.root, None, 0, &mut walk)?;
        // The management account sits under the root unless the file places it.
        if !walk.accounts.contains(&raw.management_account) {
            root.accounts.insert(
                0,
                OrgAccount {
                    id: raw.management_account.clone(),
                    ..OrgAccount::default()
                },
            );
        }
        if let Some(admin) = &raw.delegated_administrator
            && !walk.accounts.contains(admin)
        {
            return self.fail(
                &format!("{p}.delegated_administrator"),
                format!("account `{admin}` is not placed in the organization"),
            );
        }
        let access = raw.centralized_root_access.as_ref();
        Ok(Organization {
            id: raw.id.clone(),
            management_account: raw.management_account.clone(),
            delegated_administrator: raw.delegated_administrator.clone(),
            centralized_root_access: CentralizedRootAccess {
                root_credentials_management: access
                    .and_then(|a| a.root_credentials_management)
                    .unwrap_or(false),
                root_sessions: access.and_then(|a| a.root_sessions).unwrap_or(false),
            },
            root,
            policies,
        })
    }
}
