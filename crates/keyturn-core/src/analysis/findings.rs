//! External-access findings, as IAM Access Analyzer reports them for roles, from the trust
//! graph: who outside the zone of trust may assume a role and under which conditions, and the
//! trust policies that let too much in.

use serde::{Deserialize, Serialize};

use super::conditions::{requires_mfa, requires_value};
use super::{EdgeCondition, Gate, NodeKind, StatementId, TrustEdge, TrustGraph, zone_of_trust};
use crate::iam::IamData;

/// How serious a finding is, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing: access that is gated, or stays with principals the model holds.
    Info,
    /// External access under conditions, or to principals the model holds.
    Low,
    /// External access to a third party or a provider without the condition that narrows it.
    Medium,
    /// A third party without `sts:ExternalId`, a public identity provider without `aud`.
    High,
    /// Anyone may assume the role: `*` without conditions, GitHub Actions without `sub`.
    Critical,
}

impl Severity {
    /// Every level, least first.
    pub const ALL: [Self; 5] = [
        Self::Info,
        Self::Low,
        Self::Medium,
        Self::High,
        Self::Critical,
    ];

    /// The level's name: `info`, `low`, `medium`, `high`, `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }
}

/// A severity name that is none of [`Severity::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity `{0}`: expected info, low, medium, high or critical")]
pub struct UnknownSeverity(pub String);

impl std::str::FromStr for Severity {
    type Err = UnknownSeverity;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownSeverity(s.to_owned()))
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A principal outside the role's zone of trust may assume it (Access Analyzer's
    /// external-access finding), under the conditions listed.
    ExternalAccess,
    /// The trust policy allows `*` (or `{"AWS": "*"}`) without any condition.
    PublicTrust,
    /// An account the model does not hold is trusted without an `sts:ExternalId` condition
    /// (IAM User Guide, "Access to AWS accounts owned by third parties").
    ThirdPartyWithoutExternalId,
    /// A `Federated` principal is trusted without a condition on the token's audience.
    FederatedWithoutAudience,
    /// A `Federated` principal is trusted without a condition on the token's subject (for
    /// GitHub Actions: any workflow of any repository).
    FederatedWithoutSubject,
    /// A chain of roles reaches the role (A may assume B, whose sessions may assume C).
    RoleChain,
}

impl FindingKind {
    /// The kind's name, as JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ExternalAccess => "external-access",
            Self::PublicTrust => "public-trust",
            Self::ThirdPartyWithoutExternalId => "third-party-without-external-id",
            Self::FederatedWithoutAudience => "federated-without-audience",
            Self::FederatedWithoutSubject => "federated-without-subject",
            Self::RoleChain => "role-chain",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// What it is about.
    pub kind: FindingKind,
    /// The role's ARN (for a chain, the role it reaches).
    pub role: String,
    /// The principal (a node id of the trust graph; for a chain, where it starts).
    pub principal: String,
    /// The trust policy statement, when one is at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<StatementId>,
    /// The conditions that gate the access.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<EdgeCondition>,
    /// For a role chain: the principal and the roles, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
    /// What it means, in a sentence.
    pub message: String,
}

/// The findings of a model, most serious first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The findings.
    pub findings: Vec<Finding>,
}

impl Report {
    /// The most serious finding's severity.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// How many findings are at `level` or above.
    pub fn at_or_above(&self, level: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity >= level).count()
    }
}

/// The findings of `data`, from its trust graph (`graph` must be [`super::trust_graph`]'s of
/// the same model).
pub fn findings(data: &IamData, graph: &TrustGraph) -> Report {
    let mut out = Vec::new();
    for edge in graph.edges.iter().filter(|e| e.via.is_none()) {
        let Some(node) = graph.node(&edge.from) else {
            continue;
        };
        let Some(role_account) = edge.to.split(':').nth(4) else {
            continue;
        };
        let zone = zone_of_trust(data, role_account);
        let f = |severity, kind, message: String| Finding {
            severity,
            kind,
            role: edge.to.clone(),
            principal: edge.from.clone(),
            statement: Some(edge.trust.statement.clone()),
            conditions: gating(edge),
            chain: Vec::new(),
            message,
        };
        let gated = !gating(edge).is_empty();
        match node.kind {
            NodeKind::Service | NodeKind::Group => {}
            NodeKind::Anyone => {
                if gated {
                    out.push(f(
                        Severity::Medium,
                        FindingKind::ExternalAccess,
                        "any principal of any AWS account may assume the role when the conditions hold"
                            .to_owned(),
                    ));
                } else {
                    out.push(f(
                        Severity::Critical,
                        FindingKind::PublicTrust,
                        "the trust policy allows every principal of every AWS account, without a condition"
                            .to_owned(),
                    ));
                }
            }
            NodeKind::OidcProvider
            | NodeKind::SamlProvider
            | NodeKind::IdentityProvider
            | NodeKind::CanonicalUser => {
                out.push(f(
                    if gated { Severity::Info } else { Severity::Low },
                    FindingKind::ExternalAccess,
                    format!(
                        "identities of the provider {} may assume the role{}",
                        edge.from,
                        conditions_text(gated)
                    ),
                ));
                for (severity, kind, message) in federated_problems(node.kind, edge) {
                    out.push(f(severity, kind, message));
                }
            }
            // What the analysis cannot place in an account is reported, not guessed a third party.
            NodeKind::Other => out.push(f(
                Severity::Low,
                FindingKind::ExternalAccess,
                format!("{} is a principal the model cannot resolve", edge.from),
            )),
            NodeKind::Account | NodeKind::User | NodeKind::Role | NodeKind::Session => {
                let account = node.account.as_deref();
                if account.is_some_and(|a| zone.contains(&a)) {
                    continue;
                }
                let third_party = account.is_none_or(|a| data.account(a).is_none());
                let severity = match (third_party, gated) {
                    (true, false) => Severity::Medium,
                    (true, true) | (false, false) => Severity::Low,
                    (false, true) => Severity::Info,
                };
                let whose = if third_party {
                    "an account the model does not hold"
                } else {
                    "another account of the model, outside the role's zone of trust"
                };
                out.push(f(
                    severity,
                    FindingKind::ExternalAccess,
                    format!(
                        "{} ({whose}) may assume the role{}",
                        edge.from,
                        conditions_text(gated)
                    ),
                ));
                let external_id = edge
                    .trust
                    .conditions
                    .iter()
                    .any(|c| c.gate == Gate::ExternalId && requires_value(c));
                if third_party && !external_id {
                    out.push(f(
                        Severity::High,
                        FindingKind::ThirdPartyWithoutExternalId,
                        format!(
                            "{} is trusted without an sts:ExternalId condition: a confused deputy may use its access for another customer",
                            edge.from
                        ),
                    ));
                }
            }
        }
    }
    chain_findings(data, graph, &mut out);
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.role.cmp(&b.role))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.principal.cmp(&b.principal))
    });
    Report { findings: out }
}

fn conditions_text(gated: bool) -> &'static str {
    if gated {
        " when the conditions hold"
    } else {
        ", without a condition"
    }
}

/// The conditions that narrow an edge: the trust statement's and its conditional denies'.
fn gating(edge: &TrustEdge) -> Vec<EdgeCondition> {
    edge.trust
        .conditions
        .iter()
        .chain(
            edge.trust
                .denied_when
                .iter()
                .flat_map(|d| d.conditions.iter()),
        )
        .cloned()
        .collect()
}

/// The provider's host as its condition keys start with (`token.actions.githubusercontent.com`),
/// or `SAML`.
fn provider_key_prefix(kind: NodeKind, id: &str) -> String {
    match kind {
        NodeKind::SamlProvider => "saml".to_owned(),
        _ => id
            .split_once(":oidc-provider/")
            .map_or(id, |(_, host)| host)
            .to_ascii_lowercase(),
    }
}

const GITHUB_ACTIONS: &str = "token.actions.githubusercontent.com";
const COGNITO: &str = "cognito-identity.amazonaws.com";

/// What a federated edge lacks: a required audience, a narrowing subject.
fn federated_problems(kind: NodeKind, edge: &TrustEdge) -> Vec<(Severity, FindingKind, String)> {
    let prefix = provider_key_prefix(kind, &edge.from);
    let has = |gate: Gate| {
        edge.trust.conditions.iter().any(|c| {
            c.gate == gate
                && requires_value(c)
                && c.key
                    .to_ascii_lowercase()
                    .rsplit_once(':')
                    .is_some_and(|(p, _)| p == prefix)
                && (gate != Gate::Subject
                    || prefix != GITHUB_ACTIONS
                    || c.values.iter().all(|v| names_a_repository(v)))
        })
    };
    let mut out = Vec::new();
    if !has(Gate::Audience) {
        let severity = match kind {
            // A public provider's tokens are issued to every application that uses it.
            NodeKind::IdentityProvider => Severity::High,
            // IAM checks an OIDC token's audience against the provider's client ids.
            NodeKind::OidcProvider => Severity::Low,
            _ => Severity::Medium,
        };
        out.push((
            severity,
            FindingKind::FederatedWithoutAudience,
            format!(
                "{} is trusted without a condition on {prefix}:aud",
                edge.from
            ),
        ));
    }
    // SAML assertions and Cognito identities are narrowed by their audience (and Cognito's `amr`).
    if kind != NodeKind::SamlProvider && prefix != COGNITO && !has(Gate::Subject) {
        let (severity, message) = if prefix == GITHUB_ACTIONS {
            (
                Severity::Critical,
                format!(
                    "GitHub Actions is trusted without a {prefix}:sub condition naming a repository: any workflow of any GitHub repository may assume the role"
                ),
            )
        } else {
            (
                Severity::Medium,
                format!(
                    "{} is trusted without a condition on {prefix}:sub: every identity of the provider may assume the role",
                    edge.from
                ),
            )
        };
        out.push((severity, FindingKind::FederatedWithoutSubject, message));
    }
    out
}

/// Whether a GitHub `sub` pattern names an owner and a repository (`repo:org/app:*`), rather
/// than any (`repo:*`, `*`, `repo:org*`).
fn names_a_repository(value: &str) -> bool {
    let Some(rest) = value.strip_prefix("repo:") else {
        return false;
    };
    let Some((owner, repo)) = rest.split_once('/') else {
        return false;
    };
    let literal = |s: &str| !s.is_empty() && !s.contains(['*', '?']);
    literal(owner) && literal(repo.split(':').next().unwrap_or(""))
}

/// One finding per role chain, about the role it reaches, from the principal the first trust
/// policy names (the users and groups an account's policies let through that first step start
/// the same chain and are in the graph, not repeated here).
fn chain_findings(data: &IamData, graph: &TrustGraph, out: &mut Vec<Finding>) {
    for chain in graph.role_chains() {
        let (Some(first), Some(second), Some(last)) = (chain.first(), chain.get(1), chain.last())
        else {
            continue;
        };
        let named = graph
            .edges
            .iter()
            .any(|e| &e.from == first && &e.to == second && e.via.is_none());
        if !named {
            continue;
        }
        let last_account = last.split(':').nth(4).unwrap_or("");
        let zone = zone_of_trust(data, last_account);
        let outside = graph
            .node(first)
            .is_none_or(|n| n.account.as_deref().is_none_or(|a| !zone.contains(&a)));
        let mfa = graph
            .edges
            .iter()
            .filter(|e| chain.windows(2).any(|w| w[0] == e.from && w[1] == e.to))
            .any(|e| e.conditions().any(requires_mfa));
        out.push(Finding {
            severity: if outside {
                Severity::Medium
            } else {
                Severity::Info
            },
            kind: FindingKind::RoleChain,
            role: last.clone(),
            principal: first.clone(),
            statement: None,
            conditions: Vec::new(),
            message: format!(
                "{} reaches the role through a chain of {} roles{}",
                first,
                chain.len() - 1,
                if mfa { " (one step requires MFA)" } else { "" }
            ),
            chain,
        });
    }
}
