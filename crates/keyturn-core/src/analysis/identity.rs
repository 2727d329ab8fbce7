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

/// What the model says of one user, role or group: enough to build its [`Entity`].
struct Holder<'d> {
    kind: NodeKind,
    arn: String,
    name: &'d str,
    inline: &'d InlinePolicies,
    managed: &'d [String],
    boundary: Option<&'d String>,
}

impl Holder<'_> {
    fn entity(self, data: &IamData, account: &Account) -> Entity {
        let mut policies = Vec::new();
        attach(data, &self.arn, self.inline, self.managed, &mut policies);
        Entity {
            account: account.id.clone(),
            name: self.name.to_owned(),
            groups: Vec::new(),
            policies,
            boundary: boundary(data, self.boundary),
            kind: self.kind,
            arn: self.arn,
        }
    }
}

fn account_entities(data: &IamData, account: &Account, out: &mut Vec<Entity>) {
    let id = &account.id;
    let users = account.users.iter().map(|u| Holder {
        kind: NodeKind::User,
        arn: u.arn(id),
        name: &u.name,
        inline: &u.inline_policies,
        managed: &u.managed_policies,
        boundary: u.permissions_boundary.as_ref(),
    });
    let roles = account.roles.iter().map(|r| Holder {
        kind: NodeKind::Role,
        arn: r.arn(id),
        name: &r.name,
        inline: &r.inline_policies,
        managed: &r.managed_policies,
        boundary: r.permissions_boundary.as_ref(),
    });
    let groups = account.groups.iter().map(|g| Holder {
        kind: NodeKind::Group,
        arn: g.arn(id),
        name: &g.name,
        inline: &g.inline_policies,
        managed: &g.managed_policies,
        boundary: None,
    });
    for holder in users.chain(roles).chain(groups) {
        let mut entity = holder.entity(data, account);
        // A user's groups' policies are the user's too.
        let user = (entity.kind == NodeKind::User)
            .then(|| account.user(&entity.name))
            .flatten();
        for group in user
            .iter()
            .flat_map(|u| u.groups.iter())
            .filter_map(|name| account.group(name))
        {
            let group_arn = group.arn(id);
            attach(
                data,
                &group_arn,
                &group.inline_policies,
                &group.managed_policies,
                &mut entity.policies,
            );
            entity.groups.push(group_arn);
        }
        out.push(entity);
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
