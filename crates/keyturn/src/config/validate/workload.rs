//! An account's workload identity entities (in the model's own form, as `keyturn export` writes
//! them): providers, templates and the certificate authorities Keyturn stands in for AWS
//! Private CA with (docs/workload-identity.md).

use std::collections::BTreeSet;

use keyturn_api::rt::workload_identity_domain;
use keyturn_core::iam::Account;
use keyturn_core::iam::workload::{WorkloadEntity, WorkloadScheme, WorkloadScope};
use keyturn_core::ids::{UniqueId, UniqueIdKind};

use super::{Checked, Checker};
use crate::config::raw::RawAccount;

/// Whether `name` is a provider or template name: 1 to 128 of `[A-Za-z0-9_.-]` (`_-` only
/// for templates, which `dot` says).
fn name_ok(name: &str, dot: bool) -> bool {
    (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || (dot && b == b'.'))
}

/// The id kinds of a provider or template of `scope`.
fn id_kind(scope: WorkloadScope, provider: bool) -> UniqueIdKind {
    match (scope, provider) {
        (WorkloadScope::Account, true) => UniqueIdKind::WorkloadProvider,
        (WorkloadScope::Organization, true) => UniqueIdKind::OrgWorkloadProvider,
        (WorkloadScope::Account, false) => UniqueIdKind::WorkloadTemplate,
        (WorkloadScope::Organization, false) => UniqueIdKind::OrgWorkloadTemplate,
    }
}

impl Checker<'_> {
    /// Checks the account's workload identity entities and puts them in `account`.
    pub(super) fn workload(&self, p: &str, account: &mut Account, raw: &RawAccount) -> Checked<()> {
        let mut cas = BTreeSet::new();
        for (i, ca) in raw.private_certificate_authorities.iter().enumerate() {
            let q = format!("{p}.private_certificate_authorities[{i}].id");
            let id_ok = (1..=256).contains(&ca.id.len())
                && ca
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !id_ok {
                return self.fail(&q, format!("`{}` is not a certificate authority id", ca.id));
            }
            if !cas.insert(ca.id.as_str()) {
                return self.fail(
                    &q,
                    format!(
                        "certificate authority `{}` is defined more than once",
                        ca.id
                    ),
                );
            }
        }
        let mut names = BTreeSet::new();
        for (i, provider) in raw.workload_identity_providers.iter().enumerate() {
            let q = format!("{p}.workload_identity_providers[{i}]");
            self.workload_entity(&q, &mut names, provider, true)?;
            match (provider.scheme, provider.domain.as_deref()) {
                (WorkloadScheme::Spiffe, Some(d)) if workload_identity_domain(d) => {}
                (WorkloadScheme::Spiffe, _) => {
                    return self.fail(
                        &format!("{q}.domain"),
                        "a SPIFFE provider needs a domain: lowercase DNS labels",
                    );
                }
                (WorkloadScheme::None, Some(_)) => {
                    return self.fail(
                        &format!("{q}.domain"),
                        "a provider of scheme NONE has no domain",
                    );
                }
                (WorkloadScheme::None, None) => {}
            }
        }
        let mut names = BTreeSet::new();
        for (i, template) in raw.workload_identity_templates.iter().enumerate() {
            let q = format!("{p}.workload_identity_templates[{i}]");
            self.workload_entity(&q, &mut names, template, false)?;
        }
        account
            .private_certificate_authorities
            .clone_from(&raw.private_certificate_authorities);
        account
            .workload_identity_providers
            .clone_from(&raw.workload_identity_providers);
        account
            .workload_identity_templates
            .clone_from(&raw.workload_identity_templates);
        Ok(())
    }

    /// The checks a provider and a template share, at `q`: a name of their kind (`provider`:
    /// a provider's), unique in its scope among `names`, a unique id of their kind and scope,
    /// and an owner that fits the scope.
    fn workload_entity<'r, T: WorkloadEntity>(
        &self,
        q: &str,
        names: &mut BTreeSet<(WorkloadScope, &'r str)>,
        entity: &'r T,
        provider: bool,
    ) -> Checked<()> {
        let (name, scope) = (entity.name(), entity.scope());
        let what = if provider { "provider" } else { "template" };
        if !name_ok(name, provider) {
            return self.fail(
                &format!("{q}.name"),
                format!("`{name}` is not a {what} name"),
            );
        }
        if !names.insert((scope, name)) {
            return self.fail(
                &format!("{q}.name"),
                format!("{what} `{name}` is defined more than once"),
            );
        }
        self.workload_id(q, entity.id(), id_kind(scope, provider))?;
        self.workload_owner(q, scope, entity.organization_id())
    }

    fn workload_id(&self, q: &str, id: &str, kind: UniqueIdKind) -> Checked<()> {
        match UniqueId::parse(id) {
            Ok(u) if u.kind() == Some(kind) => Ok(()),
            _ => self.fail(
                &format!("{q}.id"),
                format!("`{id}` is not a unique id with prefix {}", kind.prefix()),
            ),
        }
    }

    fn workload_owner(&self, q: &str, scope: WorkloadScope, org: Option<&str>) -> Checked<()> {
        let org_ok = |o: &str| {
            o.strip_prefix("o-").is_some_and(|r| {
                (10..=32).contains(&r.len())
                    && r.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
        };
        match (scope, org) {
            (WorkloadScope::Account, None) => Ok(()),
            (WorkloadScope::Organization, Some(o)) if org_ok(o) => Ok(()),
            (WorkloadScope::Account, Some(_)) => self.fail(
                &format!("{q}.organization_id"),
                "an ACCOUNT-scoped entity has no organization_id",
            ),
            (WorkloadScope::Organization, _) => self.fail(
                &format!("{q}.organization_id"),
                "an ORGANIZATION-scoped entity needs the organization's id (o-…)",
            ),
        }
    }
}
