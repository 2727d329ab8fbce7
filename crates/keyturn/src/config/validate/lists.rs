//! An account's lists whose entries are named (users, roles, providers, ...): each entry's name
//! is unique in its list ignoring case, as IAM's names are, and each entry is checked at its own
//! path in the file.

use keyturn_core::iam::ServerCertificate;
use std::collections::BTreeSet;

use super::super::raw::{
    RawGroup, RawInstanceProfile, RawManagedPolicy, RawOidcProvider, RawRole, RawSamlProvider,
    RawUser,
};
use super::{Checked, Checker};

/// An entry of one of an account's named lists.
pub(super) trait Listed {
    /// The list's key in the account (`users`).
    const LIST: &'static str;
    /// The member that names the entry (`name`; an OIDC provider's `url`).
    const FIELD: &'static str;
    /// What an error calls an entry (`user`).
    const WHAT: &'static str;
    /// The entry's name.
    fn key(&self) -> &str;
}

/// Implements [`Listed`] for each type, from its list key, naming member and noun.
macro_rules! listed {
    ($($entry:ty => $list:literal, $field:ident, $what:literal;)*) => {$(
        impl Listed for $entry {
            const LIST: &'static str = $list;
            const FIELD: &'static str = stringify!($field);
            const WHAT: &'static str = $what;
            fn key(&self) -> &str {
                &self.$field
            }
        }
    )*};
}

listed! {
    RawManagedPolicy => "managed_policies", name, "managed policy";
    RawGroup => "groups", name, "group";
    RawUser => "users", name, "user";
    RawRole => "roles", name, "role";
    RawOidcProvider => "oidc_providers", url, "OIDC provider";
    RawSamlProvider => "saml_providers", name, "SAML provider";
    RawInstanceProfile => "instance_profiles", name, "instance profile";
    ServerCertificate => "server_certificates", name, "server certificate";
}

/// The entries of the account at `p`'s list of `T`, each with its own path
/// (`accounts[0].users[1]`), once no name in the list repeats another ignoring case (the first
/// repeat is the error).
pub(super) fn listed<'r, T: Listed>(
    c: &Checker<'_>,
    p: &str,
    raw: &'r [T],
) -> Checked<impl Iterator<Item = (String, &'r T)> + use<'r, T>> {
    let list = format!("{p}.{}", T::LIST);
    let mut seen = BTreeSet::new();
    for (i, entry) in raw.iter().enumerate() {
        let name = entry.key();
        if !seen.insert(name.to_lowercase()) {
            return c.fail(
                &format!("{list}[{i}].{}", T::FIELD),
                format!("{} `{name}` is defined more than once", T::WHAT),
            );
        }
    }
    Ok(raw
        .iter()
        .enumerate()
        .map(move |(i, entry)| (format!("{list}[{i}]"), entry)))
}
