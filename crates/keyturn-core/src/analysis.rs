//! Trust analysis from the policies alone: who may assume which role, and under which
//! conditions ([`trust_graph`]), and the findings IAM Access Analyzer would report about it
//! ([`findings`]).
//!
//! The graph is read from the IAM model ([`IamData`]): every role's trust policy gives the
//! edges "this principal may assume this role", each labelled with the statement it came from
//! and the conditions that gate it; for the principals the model holds, the identity side
//! (their inline and managed policies, their groups' policies, a permissions boundary) says
//! whether the caller's own policies allow `sts:AssumeRole` on the role as well. Nothing is
//! evaluated against a request: a condition is a label, not a verdict. The graph is plain data
//! and serialisable (the console draws it; `keyturn analyze --format json` prints it).
//!
//! The rules follow the IAM User Guide: a role's trust policy that names a principal of the
//! role's own account lets it assume the role on its own; one that names an account (its id or
//! `:root`) delegates to that account's administrators, whose identity policies must allow
//! too; and a principal of another account always needs both ("Cross account resource access
//! in IAM", "How IAM roles differ from resource-based policies").

use serde::{Deserialize, Serialize};

use crate::engine::Engine;
use crate::iam::IamData;

mod conditions;
mod findings;
mod graph;
mod identity;
#[cfg(test)]
mod tests;

pub use conditions::Gate;
pub use findings::{Finding, FindingKind, Report, Severity, UnknownSeverity, findings};
pub use graph::trust_graph;

/// Who may assume which role: the principals as nodes, the permissions as edges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustGraph {
    /// Every principal that appears in an edge, and every role of the model (even one nobody
    /// may assume), sorted by id.
    pub nodes: Vec<TrustNode>,
    /// One edge per principal, role and trust policy statement, in the model's role order.
    pub edges: Vec<TrustEdge>,
    /// Trust policies that could not be read (the role named, with the reason); the model's
    /// loader validates them, so this is empty unless a store holds a document it no longer
    /// accepts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
}

/// What kind of principal a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    /// An AWS account (`arn:aws:iam::ACCOUNT:root`, or its id as written in a policy).
    Account,
    /// An IAM user.
    User,
    /// An IAM role.
    Role,
    /// An IAM group (its policies let its members assume roles).
    Group,
    /// A role session or federated user (`arn:aws:sts::ACCOUNT:assumed-role/R/S`).
    Session,
    /// An AWS service principal (`ec2.amazonaws.com`).
    Service,
    /// An IAM OIDC provider (`arn:aws:iam::ACCOUNT:oidc-provider/HOST`).
    OidcProvider,
    /// An IAM SAML provider (`arn:aws:iam::ACCOUNT:saml-provider/NAME`).
    SamlProvider,
    /// A public identity provider named without an ARN (`accounts.google.com`,
    /// `cognito-identity.amazonaws.com`, `graph.facebook.com`, `www.amazon.com`).
    IdentityProvider,
    /// An S3 canonical user id.
    CanonicalUser,
    /// `*`: every principal.
    Anyone,
    /// Anything else a policy names (a unique id left by a deleted principal).
    Other,
}

/// A principal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustNode {
    /// Its identity: the ARN (an account as `arn:aws:iam::ACCOUNT:root`), the service or
    /// provider name, or `*`.
    pub id: String,
    /// What it is.
    pub kind: NodeKind,
    /// Its account, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// A short name to show: the entity's name, the account's alias or id.
    pub label: String,
    /// Whether the model holds it (an account, user, role, group or provider of the model);
    /// `false` for what only a policy names.
    pub in_model: bool,
    /// For a user: the ARNs of its groups (whose edges are the user's too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
}

/// Where in a policy a permission comes from: the statement's index (from 0) and `Sid`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementId {
    /// The statement's position in the document, from 0.
    pub index: usize,
    /// Its `Sid`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

impl std::fmt::Display for StatementId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.sid {
            Some(sid) => write!(f, "{sid}"),
            None => write!(f, "#{}", self.index),
        }
    }
}

/// One condition of a statement, as written, with what it gates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgeCondition {
    /// The operator as written (`StringEquals`, `ForAnyValue:StringLike`, `Bool`).
    pub operator: String,
    /// The condition key as written (`sts:ExternalId`).
    pub key: String,
    /// The values.
    pub values: Vec<String>,
    /// What the key is about.
    pub gate: Gate,
}

/// A trust policy's `Deny` statement that covers an edge only under its conditions (an
/// unconditional one removes the edge).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DenyUnless {
    /// The `Deny` statement.
    pub statement: StatementId,
    /// Its conditions: the edge is denied when they all hold.
    pub conditions: Vec<EdgeCondition>,
}

/// The trust policy's side of an edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustGrant {
    /// The `Allow` statement of the role's trust policy.
    pub statement: StatementId,
    /// The principal as the statement names it, with its kind (`AWS: arn:aws:iam::1…:root`).
    pub principal: String,
    /// The statement's conditions.
    pub conditions: Vec<EdgeCondition>,
    /// The trust policy's conditional `Deny` statements that also cover this principal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub denied_when: Vec<DenyUnless>,
}

/// The caller's side of an edge: the identity policy statement that allows `sts:AssumeRole` on
/// the role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityGrant {
    /// The entity the policy belongs to (the user, role or group ARN).
    pub attached_to: String,
    /// The policy: an inline policy's name or a managed policy's ARN.
    pub policy: String,
    /// The `Allow` statement.
    pub statement: StatementId,
    /// The statement's conditions.
    pub conditions: Vec<EdgeCondition>,
}

/// Which side of the permission an edge's evidence comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// The trust policy alone: it names this principal of the role's own account (or `*`), a
    /// service or an identity provider, which needs nothing more.
    Trust,
    /// The trust policy names the principal or its account, and the principal's identity
    /// policies allow `sts:AssumeRole` on the role ([`TrustEdge::identity`]).
    TrustAndIdentity,
    /// The trust policy allows, but the principal's own identity policies must allow too and
    /// the model does not show that they do: an account or `*` (any principal of it whose
    /// administrator grants it), a principal outside the model, or one whose policies do not
    /// (yet) allow it.
    TrustPendingIdentity,
}

/// "This principal may assume this role".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustEdge {
    /// The principal's node id.
    pub from: String,
    /// When `from` is a principal of the model that the trust policy names only through its
    /// account (or `*`): that account's (or `*`'s) node id. `None` when the trust policy names
    /// `from` itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// The role's ARN.
    pub to: String,
    /// What the trust statement allows of `sts:AssumeRole`, `sts:AssumeRoleWithSAML`,
    /// `sts:AssumeRoleWithWebIdentity`, `sts:TagSession`, `sts:SetSourceIdentity` and
    /// `sts:SetContext`.
    pub actions: Vec<String>,
    /// Which side the permission is shown by.
    pub evidence: Evidence,
    /// The trust policy's statement.
    pub trust: TrustGrant,
    /// The identity policy statement that allows it, when the model shows one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentityGrant>,
}

impl TrustEdge {
    /// Every condition that gates the edge: the trust statement's, its conditional denies'
    /// (the edge is denied when those hold), then the identity statement's.
    pub fn conditions(&self) -> impl Iterator<Item = &EdgeCondition> {
        self.trust
            .conditions
            .iter()
            .chain(
                self.trust
                    .denied_when
                    .iter()
                    .flat_map(|d| d.conditions.iter()),
            )
            .chain(self.identity.iter().flat_map(|i| i.conditions.iter()))
    }
}

/// The longest role chain [`TrustGraph::role_chains`] follows, in roles.
pub const MAX_CHAIN_ROLES: usize = 8;

/// The most chains [`TrustGraph::role_chains`] lists.
pub const MAX_CHAINS: usize = 256;

impl TrustGraph {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&TrustNode> {
        self.nodes
            .binary_search_by(|n| n.id.as_str().cmp(id))
            .ok()
            .and_then(|i| self.nodes.get(i))
    }

    /// The edges into the role with this ARN.
    pub fn edges_to<'g>(&'g self, role_arn: &'g str) -> impl Iterator<Item = &'g TrustEdge> {
        self.edges.iter().filter(move |e| e.to == role_arn)
    }

    /// The edges out of the principal with this id.
    pub fn edges_from<'g>(&'g self, id: &'g str) -> impl Iterator<Item = &'g TrustEdge> {
        self.edges.iter().filter(move |e| e.from == id)
    }

    /// Role chains: a principal that may assume role A, whose sessions may assume role B
    /// (and so on), as the list `[principal, A, B, …]` of at least three ids. Only edges the
    /// model shows complete count between roles (a role's own identity policy must allow the
    /// next step, or the next trust policy names it in its account); the first step may be any
    /// edge. Each chain is a simple path of at most [`MAX_CHAIN_ROLES`] roles; at most
    /// [`MAX_CHAINS`] are listed, the shortest first.
    pub fn role_chains(&self) -> Vec<Vec<String>> {
        let mut chains = Vec::new();
        let mut path = Vec::new();
        for first in &self.edges {
            path.clear();
            path.push(first.from.as_str());
            path.push(first.to.as_str());
            self.extend_chain(&mut path, &mut chains);
        }
        chains.sort_by(|a: &Vec<String>, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        chains.dedup();
        chains.truncate(MAX_CHAINS);
        chains
    }

    fn extend_chain<'g>(&'g self, path: &mut Vec<&'g str>, chains: &mut Vec<Vec<String>>) {
        if path.len() > MAX_CHAIN_ROLES || chains.len() >= MAX_CHAINS * 4 {
            return;
        }
        let Some(last) = path.last().copied() else {
            return;
        };
        for next in self.edges_from(last) {
            if next.evidence == Evidence::TrustPendingIdentity || path.contains(&next.to.as_str()) {
                continue;
            }
            path.push(next.to.as_str());
            chains.push(path.iter().map(|s| (*s).to_owned()).collect());
            self.extend_chain(path, chains);
            path.pop();
        }
    }
}

impl Engine {
    /// The trust graph of the current snapshot's model ([`trust_graph`]).
    ///
    /// # Errors
    /// As [`Engine::snapshot`].
    pub fn trust_graph(&self) -> Result<TrustGraph, crate::Error> {
        Ok(trust_graph(&self.snapshot()?.data))
    }

    /// The trust analysis of the current snapshot's model ([`findings`]).
    ///
    /// # Errors
    /// As [`Engine::snapshot`].
    pub fn trust_findings(&self) -> Result<Report, crate::Error> {
        let snapshot = self.snapshot()?;
        Ok(findings(&snapshot.data, &trust_graph(&snapshot.data)))
    }
}

/// The accounts a role's trust stays inside: the organization's accounts when the model has
/// one and the role's account is in it, else the role's account alone (IAM Access Analyzer's
/// zone of trust).
pub fn zone_of_trust<'d>(data: &'d IamData, role_account: &'d str) -> Vec<&'d str> {
    match data.organization.as_deref() {
        Some(org) if org.has_account(role_account) || org.management_account == role_account => {
            let mut zone: Vec<&str> = org
                .placements()
                .into_iter()
                .map(|(a, _)| a.id.as_str())
                .collect();
            zone.push(org.management_account.as_str());
            zone
        }
        _ => vec![role_account],
    }
}
