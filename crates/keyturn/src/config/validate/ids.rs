//! The entities' `id` keys: unique ids given in a configuration.

use keyturn_core::ids::{UniqueId, UniqueIdKind};

use super::{Checked, Checker};

/// What an id of `kind` names, for messages.
fn entity(kind: UniqueIdKind) -> &'static str {
    match kind {
        UniqueIdKind::User => "a user",
        UniqueIdKind::Role => "a role",
        UniqueIdKind::Group => "a group",
        UniqueIdKind::Policy => "a managed policy",
        UniqueIdKind::InstanceProfile => "an instance profile",
        UniqueIdKind::ServerCertificate => "a server certificate",
        UniqueIdKind::WorkloadProvider | UniqueIdKind::OrgWorkloadProvider => {
            "a workload identity provider"
        }
        UniqueIdKind::WorkloadTemplate | UniqueIdKind::OrgWorkloadTemplate => {
            "a workload identity template"
        }
    }
}

impl Checker<'_> {
    /// The `id` of the entity at `q`, if given: a unique id of `kind` (`AIDA` for a user, `AROA`
    /// for a role, ... then 17 characters of `A-Z` and `2-7`), given to no other entity of the
    /// file. Absent, the entity's id is derived from the keyring, the account and its name.
    pub(super) fn entity_id(
        &self,
        q: &str,
        id: Option<&str>,
        kind: UniqueIdKind,
    ) -> Checked<Option<String>> {
        let Some(id) = id else {
            return Ok(None);
        };
        let path = format!("{q}.id");
        let parsed = UniqueId::parse(id).ok().filter(|u| u.kind() == Some(kind));
        if parsed.is_none() {
            return self.fail(
                &path,
                format!(
                    "`{id}` is not the unique id of {}: {} then 17 characters of A-Z and 2-7",
                    entity(kind),
                    kind.prefix()
                ),
            );
        }
        if !self.ids.borrow_mut().insert(id.to_owned()) {
            return self.fail(
                &path,
                format!("the unique id `{id}` is given to another entity"),
            );
        }
        Ok(Some(id.to_owned()))
    }
}
