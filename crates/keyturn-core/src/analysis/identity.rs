//! The caller's side: whether a principal's identity policies allow it to assume a role.
//!
//! Read from the documents alone: an `Allow` statement whose action covers `sts:AssumeRole` and
//! whose resource covers the role's ARN grants (its conditions become the edge's labels); an
//! unconditional `Deny` that covers them, or a permissions boundary with no such `Allow`,
//! takes the grant away. Conditional denies, session policies and SCPs are not weighed.

use keyturn_policy::{Effect, PolicyDocument, PolicyType, Statement, wildcard_matches};

use super::{IdentityGrant, NodeKind, StatementId, conditions};
use crate::iam::{Account, IamData, InlinePolicies, managed};

/// A policy document with where it is attached.
struct Attached {
    attached_to: String,
    policy: String,
    doc: PolicyDocument,
}

/// A user, role or group of the model with its parsed policies.
pub struct Entity {
    /// Its ARN.
    pub arn: String,
    /// User, role or group.
    pub kind: NodeKind,
    /// Its account.
    pub account: String,
    /// Its name.
    pub name: String,
    /// A user's groups' ARNs.
    pub groups: Vec<String>,
    policies: Vec<Attached>,
    boundary: Option<PolicyDocument>,
}

/// Every user, role and group of the model, with their policies parsed once.
pub struct Entities {
    /// In account order: users, roles, groups.
    pub all: Vec<Entity>,
}

fn managed_document<'d>(data: &'d IamData, arn: &str) -> Option<&'d str> {
    if managed::is_aws_managed_arn(arn) {
        return managed::aws_managed_policy(arn)
            .ok()
            .flatten()
            .map(|p| p.document.as_str());
    }
    data.find_managed_policy(arn).map(|(_, p)| p.document())
}

fn parse(text: &str) -> Option<PolicyDocument> {
    PolicyDocument::parse_with(
        text,
        keyturn_policy::ParseOptions::new(PolicyType::Identity).with_max_size(None),
    )
    .ok()
}

fn attach(
    data: &IamData,
    arn: &str,
    inline: &InlinePolicies,
    managed: &[String],
    out: &mut Vec<Attached>,
) {
    for (name, text) in inline {
        if let Some(doc) = parse(text) {
            out.push(Attached {
                attached_to: arn.to_owned(),
                policy: name.clone(),
                doc,
            });
        }
    }
    for policy_arn in managed {
        if let Some(doc) = managed_document(data, policy_arn).and_then(parse) {
            out.push(Attached {
                attached_to: arn.to_owned(),
                policy: policy_arn.clone(),
                doc,
            });
        }
    }
}

fn boundary(data: &IamData, arn: Option<&String>) -> Option<PolicyDocument> {
    // A boundary the model cannot resolve allows nothing, as the engine treats it.
    arn.map(|a| {
        managed_document(data, a)
            .and_then(parse)
            .unwrap_or(PolicyDocument {
                version: None,
                id: None,
                statements: Vec::new(),
                statement_was_object: false,
                policy_type: PolicyType::Boundary,
            })
    })
}

fn account_entities(data: &IamData, account: &Account, out: &mut Vec<Entity>) {
    for user in &account.users {
        let arn = user.arn(&account.id);
        let mut policies = Vec::new();
        attach(
            data,
            &arn,
            &user.inline_policies,
            &user.managed_policies,
            &mut policies,
        );
        let mut groups = Vec::new();
        for name in &user.groups {
            if let Some(group) = account.group(name) {
                let group_arn = group.arn(&account.id);
                attach(
                    data,
                    &group_arn,
                    &group.inline_policies,
                    &group.managed_policies,
                    &mut policies,
                );
                groups.push(group_arn);
            }
        }
        out.push(Entity {
            arn,
            kind: NodeKind::User,
            account: account.id.clone(),
            name: user.name.clone(),
            groups,
            policies,
            boundary: boundary(data, user.permissions_boundary.as_ref()),
        });
    }
    for role in &account.roles {
        let arn = role.arn(&account.id);
        let mut policies = Vec::new();
        attach(
            data,
            &arn,
            &role.inline_policies,
            &role.managed_policies,
            &mut policies,
        );
        out.push(Entity {
            arn,
            kind: NodeKind::Role,
            account: account.id.clone(),
            name: role.name.clone(),
            groups: Vec::new(),
            policies,
            boundary: boundary(data, role.permissions_boundary.as_ref()),
        });
    }
    for group in &account.groups {
        let arn = group.arn(&account.id);
        let mut policies = Vec::new();
        attach(
            data,
            &arn,
            &group.inline_policies,
            &group.managed_policies,
            &mut policies,
        );
        out.push(Entity {
            arn,
            kind: NodeKind::Group,
            account: account.id.clone(),
            name: group.name.clone(),
            groups: Vec::new(),
            policies,
            boundary: None,
        });
    }
}

impl Entities {
    /// Parses the policies of every user, role and group of `data`.
    pub fn of(data: &IamData) -> Self {
        let mut all = Vec::new();
        for account in &data.accounts {
            account_entities(data, account, &mut all);
        }
        Self { all }
    }

    /// The entity with this ARN.
    pub fn get(&self, arn: &str) -> Option<&Entity> {
        self.all.iter().find(|e| e.arn == arn)
    }
}

/// Whether `s` covers `action` on `resource`, ignoring its conditions (IAM matches actions
/// ignoring case, resources exactly, both with `*` and `?`).
fn covers(s: &Statement, action: &str, resource: &str) -> bool {
    let (actions, not_action) = &s.action;
    let action_hit = actions
        .values
        .iter()
        .any(|a| wildcard_matches(&a.to_ascii_lowercase(), action));
    if action_hit == *not_action {
        return false;
    }
    match &s.resource {
        Some((resources, not_resource)) => {
            let hit = resources
                .values
                .iter()
                .any(|r| wildcard_matches(r, resource));
            hit != *not_resource
        }
        None => false,
    }
}

const ASSUME_ROLE: &str = "sts:assumerole";

impl Entity {
    /// The identity statement that lets this entity call `sts:AssumeRole` on `role_arn`, unless
    /// an unconditional `Deny` or its permissions boundary takes it away.
    pub fn grant(&self, role_arn: &str) -> Option<IdentityGrant> {
        let denied = self.policies.iter().any(|p| {
            p.doc.statements.iter().any(|s| {
                s.effect == Effect::Deny
                    && s.conditions.is_empty()
                    && covers(s, ASSUME_ROLE, role_arn)
            })
        });
        let bounded = self.boundary.as_ref().is_some_and(|b| {
            !b.statements
                .iter()
                .any(|s| s.effect == Effect::Allow && covers(s, ASSUME_ROLE, role_arn))
        });
        if denied || bounded {
            return None;
        }
        self.policies.iter().find_map(|p| {
            p.doc
                .statements
                .iter()
                .enumerate()
                .find(|(_, s)| s.effect == Effect::Allow && covers(s, ASSUME_ROLE, role_arn))
                .map(|(index, s)| IdentityGrant {
                    attached_to: p.attached_to.clone(),
                    policy: p.policy.clone(),
                    statement: StatementId {
                        index,
                        sid: s.sid.clone(),
                    },
                    conditions: conditions::labels(&s.conditions),
                })
        })
    }
}
