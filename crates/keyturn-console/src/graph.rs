//! The trust graph as the console draws it: who can assume which role, and under which
//! conditions.
//!
//! The facts come from the trust analysis (`keyturn::analysis::trust_graph`, the same graph
//! `keyturn analyze` reports on): every role's trust policy, and for the principals of the
//! model whether their own identity policies allow `sts:AssumeRole` on the role as well. This
//! module shapes it for a drawing: a user whose permission comes from a group is drawn as a
//! member of that group (the group's edge stands for its members), each node gets a short
//! label, and each condition a readable one ([`condition_label`]: ExternalId, MFA, source
//! identity, tags, audience, ...), conditional denies marked as such.

use keyturn::analysis::{self, EdgeCondition, Evidence, Gate};
use keyturn::iam::IamData;

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
    /// Anything else a policy names (a session, a canonical user, a unique id).
    Other,
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
            Self::Other => "other",
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
    /// The role's trust policy names the source (for an account or `*`, any principal of it
    /// whose own policies allow it too).
    Trusts,
    /// The source's identity policies allow it to assume the role, and the trust policy names
    /// it or its account.
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

/// What people call the topic of a condition.
fn topic(gate: Gate) -> &'static str {
    match gate {
        Gate::ExternalId => "ExternalId",
        Gate::Mfa => "MFA",
        Gate::SourceIdentity => "source identity",
        Gate::Tag => "tags",
        Gate::Audience => "audience",
        Gate::Subject => "subject",
        Gate::Organization => "organization",
        Gate::Principal => "principal",
        Gate::Source => "source",
        Gate::Network => "network",
        Gate::Other => "condition",
    }
}

/// A condition, named as people talk about it: `MFA: Bool aws:MultiFactorAuthPresent = true`.
pub fn condition_label(c: &EdgeCondition) -> String {
    format!(
        "{}: {} {} = {}",
        topic(c.gate),
        c.operator,
        c.key,
        c.values.join(", ")
    )
}

fn node_kind(kind: analysis::NodeKind) -> NodeKind {
    use analysis::NodeKind as K;
    match kind {
        K::Account => NodeKind::Account,
        K::User => NodeKind::User,
        K::Group => NodeKind::Group,
        K::Role => NodeKind::Role,
        K::OidcProvider | K::SamlProvider | K::IdentityProvider => NodeKind::Provider,
        K::Service => NodeKind::Service,
        K::Anyone => NodeKind::Anyone,
        _ => NodeKind::Other,
    }
}

impl TrustGraph {
    /// The graph of `data`.
    pub fn of(data: &IamData) -> Self {
        let facts = analysis::trust_graph(data);
        let nodes = facts
            .nodes
            .iter()
            .map(|n| Node {
                id: n.id.clone(),
                kind: node_kind(n.kind),
                label: match (n.kind, n.account.as_deref()) {
                    (analysis::NodeKind::Account, Some(id)) if n.label != id => {
                        format!("account {id} ({})", n.label)
                    }
                    (analysis::NodeKind::Account, Some(id)) => format!("account {id}"),
                    // A provider's ARN is long: its host or name says it.
                    (analysis::NodeKind::OidcProvider | analysis::NodeKind::SamlProvider, _) => {
                        n.label.rsplit('/').next().unwrap_or(&n.label).to_owned()
                    }
                    _ => n.label.clone(),
                },
            })
            .collect();
        let mut graph = Self {
            nodes,
            edges: Vec::new(),
        };
        for e in &facts.edges {
            let through_group = e
                .identity
                .as_ref()
                .filter(|i| i.attached_to != e.from)
                .map(|i| i.attached_to.clone());
            let edge = match through_group {
                // The group's own edge stands for its members.
                Some(group) => Edge {
                    from: e.from.clone(),
                    to: group,
                    kind: EdgeKind::Member,
                    conditions: Vec::new(),
                },
                None => Edge {
                    from: e.from.clone(),
                    to: e.to.clone(),
                    kind: match e.evidence {
                        Evidence::TrustAndIdentity => EdgeKind::MayAssume,
                        _ => EdgeKind::Trusts,
                    },
                    conditions: e
                        .trust
                        .conditions
                        .iter()
                        .map(condition_label)
                        .chain(e.trust.denied_when.iter().flat_map(|d| {
                            d.conditions
                                .iter()
                                .map(|c| format!("denied when {}", condition_label(c)))
                        }))
                        .chain(e.identity.iter().flat_map(|i| {
                            i.conditions
                                .iter()
                                .map(|c| format!("identity policy: {}", condition_label(c)))
                        }))
                        .collect(),
                },
            };
            if !graph.edges.contains(&edge) {
                graph.edges.push(edge);
            }
        }
        graph
    }

    /// The node `id`.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

#[cfg(test)]
mod tests;
