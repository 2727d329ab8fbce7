//! The trust graph: who can assume which role, and under which conditions.
//!
//! Built from the model alone. For each role, each `Allow` statement of its trust policy that
//! covers an `sts:AssumeRole…` action gives edges to the role from what its `Principal` names:
//!
//! - an account (`123456789012`, `arn:aws:iam::123456789012:root`): the account itself, and, when
//!   the account is in the model, each of its users, groups and roles whose own identity
//!   policies allow `sts:AssumeRole` on the role (with a user's groups drawn as membership
//!   edges), since trusting an account delegates the choice to its administrators;
//! - a user or role ARN: that principal;
//! - a federated provider or a service: that provider or service;
//! - `*`: anyone.
//!
//! Each edge carries the statement's conditions, named the way people talk about them
//! ([`condition_label`]: ExternalId, MFA, source identity, tags, ...).
//!
//! The console draws what [`TrustGraph::of`] returns; the trust analysis (`keyturn analyze`)
//! answers the same question with findings, and this module is the one place to change when the
//! console draws from it instead.

use std::collections::BTreeMap;

use keyturn::iam::{Account, IamData};
use keyturn::policy::{
    CompiledPolicy, ConditionEntry, Effect, PolicyDocument, PolicySet, PolicyType, Principal,
    PrincipalKind, PrincipalSpec, RequestContext, wildcard_matches,
};

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    /// An account (its root, and through it everyone its policies allow).
    Account,
    /// An IAM user.
    User,
    /// An IAM group.
    Group,
    /// A role.
    Role,
    /// A federated identity provider (OIDC or SAML).
    Provider,
    /// An AWS service principal.
    Service,
    /// Anyone (`"*"`).
    Anyone,
}

impl NodeKind {
    /// The lowercase name used in ids and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::User => "user",
            Self::Group => "group",
            Self::Role => "role",
            Self::Provider => "provider",
            Self::Service => "service",
            Self::Anyone => "anyone",
        }
    }
}

/// A node: an ARN (or provider, service, `*`) with a short label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The ARN (or the provider's name, the service, `*`): the node's identity.
    pub id: String,
    /// What it is.
    pub kind: NodeKind,
    /// The short name drawn (`developers`, `UpdateApp`, `account 222222222222`).
    pub label: String,
}

/// An edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The node that can assume (or, for [`EdgeKind::Member`], the user).
    pub from: String,
    /// The role (or, for [`EdgeKind::Member`], the group).
    pub to: String,
    /// What the edge means.
    pub kind: EdgeKind,
    /// The trust statement's conditions, readable; empty: none.
    pub conditions: Vec<String>,
}

/// What an edge means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// The role's trust policy names the source directly.
    Trusts,
    /// The source's identity policies allow it to assume the role, whose trust policy trusts
    /// the source's account.
    MayAssume,
    /// A user's membership of a group.
    Member,
}

/// The whole graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustGraph {
    /// The nodes, in the order first met.
    pub nodes: Vec<Node>,
    /// The edges.
    pub edges: Vec<Edge>,
}

/// The `sts:` actions that assume a role.
const ASSUME_ACTIONS: &[&str] = &[
    "sts:assumerole",
    "sts:assumerolewithwebidentity",
    "sts:assumerolewithsaml",
];

/// A condition, named as people talk about it: `MFA: Bool aws:MultiFactorAuthPresent = true`.
pub fn condition_label(c: &ConditionEntry) -> String {
    let key = c.key.to_ascii_lowercase();
    let topic = if key == "sts:externalid" {
        "ExternalId"
    } else if key.starts_with("aws:multifactorauth") {
        "MFA"
    } else if key == "sts:sourceidentity" || key == "aws:sourceidentity" {
        "source identity"
    } else if key.starts_with("aws:principaltag/")
        || key.starts_with("aws:requesttag/")
        || key == "aws:tagkeys"
    {
        "tags"
    } else if key.ends_with(":aud") || key.ends_with(":sub") || key.ends_with(":amr") {
        "token claim"
    } else if key.starts_with("saml:") {
        "SAML attribute"
    } else {
        "condition"
    };
    format!(
        "{topic}: {} {} = {}",
        c.operator,
        c.key,
        c.values.values.join(", ")
    )
}

/// Whether a statement's `Action`/`NotAction` covers assuming a role.
fn covers_assume(st: &keyturn::policy::Statement) -> bool {
    let (list, not) = &st.action;
    let any = ASSUME_ACTIONS.iter().any(|a| {
        list.values
            .iter()
            .any(|p| wildcard_matches(&p.to_ascii_lowercase(), a))
    });
    any != *not
}

/// Builds graphs.
struct Builder<'a> {
    data: &'a IamData,
    graph: TrustGraph,
    index: BTreeMap<String, usize>,
}

impl Builder<'_> {
    fn node(&mut self, id: &str, kind: NodeKind, label: String) {
        if !self.index.contains_key(id) {
            self.index.insert(id.to_owned(), self.graph.nodes.len());
            self.graph.nodes.push(Node {
                id: id.to_owned(),
                kind,
                label,
            });
        }
    }

    fn edge(&mut self, from: &str, to: &str, kind: EdgeKind, conditions: &[String]) {
        let e = Edge {
            from: from.to_owned(),
            to: to.to_owned(),
            kind,
            conditions: conditions.to_vec(),
        };
        if !self.graph.edges.contains(&e) {
            self.graph.edges.push(e);
        }
    }

    fn account(&self, id: &str) -> Option<&Account> {
        self.data.accounts.iter().find(|a| a.id == id)
    }

    /// A node for a principal ARN of the `AWS` kind; its account when it names one.
    fn aws_principal(&mut self, value: &str) -> (String, Option<String>) {
        if value == "*" {
            self.node("*", NodeKind::Anyone, "anyone (*)".into());
            return ("*".into(), None);
        }
        let account = if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
            Some(value.to_owned())
        } else {
            value
                .strip_prefix("arn:aws:iam::")
                .and_then(|r| r.strip_suffix(":root"))
                .map(str::to_owned)
        };
        if let Some(account) = account {
            let id = format!("arn:aws:iam::{account}:root");
            let label = match self.account(&account).and_then(|a| a.alias.clone()) {
                Some(alias) => format!("account {account} ({alias})"),
                None => format!("account {account}"),
            };
            self.node(&id, NodeKind::Account, label);
            return (id, Some(account));
        }
        let kind = if value.contains(":role/") {
            NodeKind::Role
        } else {
            NodeKind::User
        };
        let label = value.rsplit('/').next().unwrap_or(value).to_owned();
        self.node(value, kind, label);
        (value.to_owned(), None)
    }

    /// The managed policies' current documents of `account` by ARN.
    fn managed_text<'b>(account: &'b Account, arn: &str) -> Option<&'b str> {
        account
            .managed_policies
            .iter()
            .find(|p| p.arn(&account.id) == arn)
            .and_then(|p| p.current())
            .map(|v| v.document.as_str())
    }

    /// Whether identity policies (inline texts and managed ARNs of `account`) allow
    /// `principal` to assume `role_arn`.
    fn allows(
        account: &Account,
        principal: &str,
        inline: &BTreeMap<String, String>,
        managed: &[String],
        role_arn: &str,
    ) -> bool {
        let texts = inline.values().map(String::as_str).chain(
            managed
                .iter()
                .filter_map(|m| Self::managed_text(account, m)),
        );
        let mut set = PolicySet::new().with_resource_account(&account.id);
        for text in texts {
            if let Ok(p) = CompiledPolicy::parse(text, PolicyType::Identity) {
                set = set.with_identity(p);
            }
        }
        let Some(p) = Principal::from_arn(principal) else {
            return false;
        };
        set.evaluate(&RequestContext::new(p, "sts:AssumeRole", role_arn))
            .is_allowed()
    }

    /// The users, groups and roles of `account` whose policies allow assuming `role_arn`.
    fn delegates(&mut self, account_id: &str, role_arn: &str, conditions: &[String]) {
        let Some(account) = self.account(account_id).cloned() else {
            return;
        };
        for g in &account.groups {
            // A group is no principal: its policies are evaluated as a user's would be.
            let probe = format!("arn:aws:iam::{account_id}:user/member-of-{}", g.name);
            if Self::allows(
                &account,
                &probe,
                &g.inline_policies,
                &g.managed_policies,
                role_arn,
            ) {
                let id = g.arn(account_id);
                self.node(&id, NodeKind::Group, g.name.clone());
                self.edge(&id, role_arn, EdgeKind::MayAssume, conditions);
                for u in account.users.iter().filter(|u| u.groups.contains(&g.name)) {
                    let uid = u.arn(account_id);
                    self.node(&uid, NodeKind::User, u.name.clone());
                    self.edge(&uid, &id, EdgeKind::Member, &[]);
                }
            }
        }
        let users = account.users.iter().map(|u| {
            let p = (&u.inline_policies, &u.managed_policies);
            (u.arn(account_id), NodeKind::User, &u.name, p)
        });
        let roles = account.roles.iter().map(|r| {
            let p = (&r.inline_policies, &r.managed_policies);
            (r.arn(account_id), NodeKind::Role, &r.name, p)
        });
        for (id, kind, name, (inline, managed)) in users.chain(roles) {
            // A role does not reach itself.
            if id != role_arn && Self::allows(&account, &id, inline, managed, role_arn) {
                self.node(&id, kind, name.clone());
                self.edge(&id, role_arn, EdgeKind::MayAssume, conditions);
            }
        }
    }

    fn role(&mut self, account: &Account, role: &keyturn::iam::Role) {
        let role_arn = role.arn(&account.id);
        self.node(&role_arn, NodeKind::Role, role.name.clone());
        let Ok(doc) = PolicyDocument::parse(&role.trust_policy, PolicyType::Trust) else {
            return;
        };
        for st in &doc.statements {
            if st.effect != Effect::Allow || !covers_assume(st) {
                continue;
            }
            let conditions: Vec<String> = st.conditions.iter().map(condition_label).collect();
            let Some((spec, false)) = &st.principal else {
                continue;
            };
            let entries: Vec<(PrincipalKind, Vec<String>)> = match spec {
                PrincipalSpec::Any => vec![(PrincipalKind::Aws, vec!["*".to_owned()])],
                PrincipalSpec::Map(m) => m.clone(),
            };
            for (kind, values) in entries {
                for value in values {
                    match kind {
                        PrincipalKind::Aws => {
                            let (id, trusted_account) = self.aws_principal(&value);
                            self.edge(&id, &role_arn, EdgeKind::Trusts, &conditions);
                            if let Some(a) = trusted_account {
                                self.delegates(&a, &role_arn, &conditions);
                            }
                        }
                        PrincipalKind::Federated => {
                            let label = value.rsplit('/').next().unwrap_or(&value).to_owned();
                            self.node(&value, NodeKind::Provider, label);
                            self.edge(&value, &role_arn, EdgeKind::Trusts, &conditions);
                        }
                        PrincipalKind::Service => {
                            self.node(&value, NodeKind::Service, value.clone());
                            self.edge(&value, &role_arn, EdgeKind::Trusts, &conditions);
                        }
                        PrincipalKind::CanonicalUser => {}
                    }
                }
            }
        }
    }
}

impl TrustGraph {
    /// The graph of `data`.
    pub fn of(data: &IamData) -> Self {
        let mut b = Builder {
            data,
            graph: Self::default(),
            index: BTreeMap::new(),
        };
        for account in &data.accounts {
            for role in &account.roles {
                b.role(account, role);
            }
        }
        b.graph
    }

    /// The node `id`.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

#[cfg(test)]
mod tests;
