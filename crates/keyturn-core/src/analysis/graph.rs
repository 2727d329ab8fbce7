//! Building the trust graph from the model's roles and principals.

use std::collections::BTreeMap;

use keyturn_policy::{
    Effect, ParseOptions, PolicyDocument, PolicyType, PrincipalKind, PrincipalSpec, Statement,
    wildcard_matches,
};

use super::identity::{Entities, Entity};
use super::{
    DenyUnless, EdgeCondition, Evidence, NodeKind, StatementId, TrustEdge, TrustGrant, TrustGraph,
    TrustNode, conditions,
};
use crate::iam::IamData;

/// The actions a trust policy statement may allow, as the edge lists them; the first three
/// assume the role.
const TRUST_ACTIONS: [&str; 6] = [
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:SetContext",
];

/// The trust graph of `data`: see the [module](super) documentation.
pub fn trust_graph(data: &IamData) -> TrustGraph {
    let entities = Entities::of(data);
    let mut b = Builder {
        data,
        entities: &entities,
        nodes: BTreeMap::new(),
        edges: Vec::new(),
        skipped: Vec::new(),
    };
    b.model_nodes();
    for account in &data.accounts {
        for role in &account.roles {
            let role_arn = role.arn(&account.id);
            let opts = ParseOptions::new(PolicyType::Trust).with_max_size(None);
            match PolicyDocument::parse_with(&role.trust_policy, opts) {
                Ok(doc) => b.role_edges(&account.id, &role_arn, &doc),
                Err(e) => b.skipped.push(format!("{role_arn}: {e}")),
            }
        }
    }
    TrustGraph {
        nodes: b.nodes.into_values().collect(),
        edges: b.edges,
        skipped: b.skipped,
    }
}

struct Builder<'d> {
    data: &'d IamData,
    entities: &'d Entities,
    nodes: BTreeMap<String, TrustNode>,
    edges: Vec<TrustEdge>,
    skipped: Vec<String>,
}

/// What a `Principal` value names.
struct Named {
    id: String,
    kind: NodeKind,
    account: Option<String>,
}

fn arn_part(arn: &str, index: usize) -> Option<&str> {
    arn.splitn(6, ':').nth(index)
}

fn name_after_slash(text: &str) -> &str {
    text.rsplit('/').next().unwrap_or(text)
}

/// Reads one value of a `Principal` map entry.
fn named(kind: PrincipalKind, value: &str) -> Named {
    let plain = |kind| Named {
        id: value.to_owned(),
        kind,
        account: None,
    };
    match kind {
        PrincipalKind::Service => plain(NodeKind::Service),
        PrincipalKind::CanonicalUser => plain(NodeKind::CanonicalUser),
        PrincipalKind::Federated => {
            let kind = if value.contains(":oidc-provider/") {
                NodeKind::OidcProvider
            } else if value.contains(":saml-provider/") {
                NodeKind::SamlProvider
            } else {
                NodeKind::IdentityProvider
            };
            Named {
                id: value.to_owned(),
                kind,
                account: arn_part(value, 4).map(str::to_owned),
            }
        }
        PrincipalKind::Aws if value == "*" => plain(NodeKind::Anyone),
        PrincipalKind::Aws if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) => {
            Named {
                id: format!("arn:aws:iam::{value}:root"),
                kind: NodeKind::Account,
                account: Some(value.to_owned()),
            }
        }
        PrincipalKind::Aws => {
            let account = arn_part(value, 4)
                .filter(|a| !a.is_empty())
                .map(str::to_owned);
            let resource = arn_part(value, 5).unwrap_or("");
            let kind = match (arn_part(value, 2), resource) {
                (Some("iam"), "root") => NodeKind::Account,
                (Some("iam"), r) if r.starts_with("user/") => NodeKind::User,
                (Some("iam"), r) if r.starts_with("role/") => NodeKind::Role,
                (Some("sts"), _) => NodeKind::Session,
                _ => NodeKind::Other,
            };
            Named {
                id: value.to_owned(),
                kind,
                account: if kind == NodeKind::Other {
                    None
                } else {
                    account
                },
            }
        }
    }
}

/// Whether `s` allows or denies one of the trust actions; the ones it covers.
fn trust_actions(s: &Statement) -> Vec<String> {
    let (actions, not_action) = &s.action;
    TRUST_ACTIONS
        .iter()
        .filter(|t| {
            let lower = t.to_ascii_lowercase();
            let hit = actions
                .values
                .iter()
                .any(|a| wildcard_matches(&a.to_ascii_lowercase(), &lower));
            hit != *not_action
        })
        .map(|t| (*t).to_owned())
        .collect()
}

fn assumes(actions: &[String]) -> bool {
    actions.iter().any(|a| a.starts_with("sts:AssumeRole"))
}

/// The principals a statement names (`*` for `"Principal": "*"`), with how each was written.
fn principals(s: &Statement) -> Vec<(Named, String)> {
    match &s.principal {
        Some((PrincipalSpec::Any, _)) => vec![(named(PrincipalKind::Aws, "*"), "*".to_owned())],
        Some((PrincipalSpec::Map(map), _)) => map
            .iter()
            .flat_map(|(kind, values)| {
                values
                    .iter()
                    .map(|v| (named(*kind, v), format!("{}: {v}", kind.as_str())))
            })
            .collect(),
        None => Vec::new(),
    }
}

/// Whether a `Deny` statement's principal covers `who`.
fn deny_covers(s: &Statement, who: &Named) -> bool {
    let listed = principals(s).into_iter().any(|(p, _)| {
        p.kind == NodeKind::Anyone
            || p.id == who.id
            || (p.kind == NodeKind::Account && p.account.is_some() && p.account == who.account)
    });
    // `NotPrincipal` with `Deny`: everyone but the listed principals.
    let not_principal = matches!(s.principal, Some((_, true)));
    listed != not_principal
}

impl Builder<'_> {
    /// Every account, user, role, group and provider of the model.
    fn model_nodes(&mut self) {
        for account in &self.data.accounts {
            let root = account.root_arn();
            self.nodes.insert(
                root.clone(),
                TrustNode {
                    id: root,
                    kind: NodeKind::Account,
                    account: Some(account.id.clone()),
                    label: account.alias.clone().unwrap_or_else(|| account.id.clone()),
                    in_model: true,
                    groups: Vec::new(),
                },
            );
            for p in &account.oidc_providers {
                let host = p.url.trim_start_matches("https://").to_owned();
                self.model_node(
                    p.arn(&account.id),
                    NodeKind::OidcProvider,
                    &account.id,
                    host,
                );
            }
            for p in &account.saml_providers {
                self.model_node(
                    p.arn(&account.id),
                    NodeKind::SamlProvider,
                    &account.id,
                    p.name.clone(),
                );
            }
        }
        for e in &self.entities.all {
            // Groups appear when an edge starts from them.
            if e.kind != NodeKind::Group {
                self.entity_node(e);
            }
        }
    }

    fn model_node(&mut self, id: String, kind: NodeKind, account: &str, label: String) {
        self.nodes.insert(
            id.clone(),
            TrustNode {
                id,
                kind,
                account: Some(account.to_owned()),
                label,
                in_model: true,
                groups: Vec::new(),
            },
        );
    }

    fn entity_node(&mut self, e: &Entity) {
        self.nodes
            .entry(e.arn.clone())
            .or_insert_with(|| TrustNode {
                id: e.arn.clone(),
                kind: e.kind,
                account: Some(e.account.clone()),
                label: e.name.clone(),
                in_model: true,
                groups: e.groups.clone(),
            });
    }

    /// A node for what a policy names, unless the model already has it.
    fn named_node(&mut self, n: &Named) {
        self.nodes.entry(n.id.clone()).or_insert_with(|| TrustNode {
            id: n.id.clone(),
            kind: n.kind,
            account: n.account.clone(),
            label: match n.kind {
                NodeKind::User | NodeKind::Role | NodeKind::Session => {
                    name_after_slash(&n.id).to_owned()
                }
                NodeKind::Account => n.account.clone().unwrap_or_else(|| n.id.clone()),
                _ => n.id.clone(),
            },
            in_model: false,
            groups: Vec::new(),
        });
    }

    fn role_edges(&mut self, role_account: &str, role_arn: &str, doc: &PolicyDocument) {
        for (index, s) in doc.statements.iter().enumerate() {
            let actions = trust_actions(s);
            // `Allow` with `NotPrincipal` is not valid in a trust policy; the parser refuses it.
            if s.effect != Effect::Allow
                || !assumes(&actions)
                || matches!(s.principal, Some((_, true)))
            {
                continue;
            }
            let statement = StatementId {
                index,
                sid: s.sid.clone(),
            };
            let labels = conditions::labels(&s.conditions);
            for (who, written) in principals(s) {
                let Some(denied_when) = denies(doc, &who) else {
                    continue;
                };
                let trust = TrustGrant {
                    statement: statement.clone(),
                    principal: written,
                    conditions: labels.clone(),
                    denied_when,
                };
                self.principal_edges(role_account, role_arn, &who, &actions, &trust);
            }
        }
    }

    /// The edge from the named principal, and the edges from the model's principals that it
    /// stands for (an account's users, roles and groups; anyone's).
    fn principal_edges(
        &mut self,
        role_account: &str,
        role_arn: &str,
        who: &Named,
        actions: &[String],
        trust: &TrustGrant,
    ) {
        let entities = self.entities;
        let same_account = who.account.as_deref() == Some(role_account);
        let edge = |from: &str, via: Option<&str>, evidence, identity| TrustEdge {
            from: from.to_owned(),
            via: via.map(str::to_owned),
            to: role_arn.to_owned(),
            actions: actions.to_vec(),
            evidence,
            trust: trust.clone(),
            identity,
        };
        match who.kind {
            NodeKind::User | NodeKind::Role => {
                let entity = entities.get(&who.id);
                let identity = entity.and_then(|e| e.grant(role_arn));
                let evidence = if same_account {
                    Evidence::Trust
                } else if identity.is_some() {
                    Evidence::TrustAndIdentity
                } else {
                    Evidence::TrustPendingIdentity
                };
                self.named_node(who);
                self.edges.push(edge(&who.id, None, evidence, identity));
            }
            NodeKind::Account | NodeKind::Anyone => {
                self.named_node(who);
                self.edges
                    .push(edge(&who.id, None, Evidence::TrustPendingIdentity, None));
                let covered = |e: &&Entity| {
                    who.kind == NodeKind::Anyone || Some(&e.account) == who.account.as_ref()
                };
                for e in entities.all.iter().filter(covered) {
                    if e.arn == role_arn {
                        continue;
                    }
                    if let Some(identity) = e.grant(role_arn) {
                        self.entity_node(e);
                        self.edges.push(edge(
                            &e.arn,
                            Some(&who.id),
                            Evidence::TrustAndIdentity,
                            Some(identity),
                        ));
                    }
                }
            }
            NodeKind::Session => {
                self.named_node(who);
                let evidence = if same_account {
                    Evidence::Trust
                } else {
                    Evidence::TrustPendingIdentity
                };
                self.edges.push(edge(&who.id, None, evidence, None));
            }
            NodeKind::Other => {
                self.named_node(who);
                self.edges
                    .push(edge(&who.id, None, Evidence::TrustPendingIdentity, None));
            }
            NodeKind::Service
            | NodeKind::OidcProvider
            | NodeKind::SamlProvider
            | NodeKind::IdentityProvider
            | NodeKind::CanonicalUser
            | NodeKind::Group => {
                self.named_node(who);
                self.edges.push(edge(&who.id, None, Evidence::Trust, None));
            }
        }
    }
}

/// The conditional `Deny` statements of `doc` that cover `who`, or `None` when an
/// unconditional one does (no edge).
fn denies(doc: &PolicyDocument, who: &Named) -> Option<Vec<DenyUnless>> {
    let mut out = Vec::new();
    for (index, s) in doc.statements.iter().enumerate() {
        if s.effect != Effect::Deny || !assumes(&trust_actions(s)) || !deny_covers(s, who) {
            continue;
        }
        if s.conditions.is_empty() {
            return None;
        }
        let conditions: Vec<EdgeCondition> = conditions::labels(&s.conditions);
        out.push(DenyUnless {
            statement: StatementId {
                index,
                sid: s.sid.clone(),
            },
            conditions,
        });
    }
    Some(out)
}
