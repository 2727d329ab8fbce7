//! The account's instance profiles, root user, server certificates, and the users' signing
//! certificates and SSH public keys.
//!
//! Certificates and SSH keys are written in the model's own form (as `keyturn export` writes
//! what the IAM API stored); they are checked as the API checked them when they were uploaded,
//! except for expiry (a stored certificate may have expired since).

use keyturn_core::iam::{
    InstanceProfile, Role, Root, ServerCertificate, SigningCertificate, SshPublicKey,
};
use keyturn_core::ids::UniqueIdKind;
use keyturn_core::pki::{self, ssh::SshRsaKey};
use std::collections::BTreeSet;

use super::super::raw::{RawInstanceProfile, RawRoot};
use super::lists::listed;
use super::{Checked, Checker};

/// The `instance_profiles` of the account at `p`: names unique (ignoring case), at most one role
/// each (as AWS), a role of the same account.
pub(super) fn instance_profiles(
    c: &Checker<'_>,
    p: &str,
    raw: &[RawInstanceProfile],
    roles: &[Role],
) -> Checked<Vec<InstanceProfile>> {
    let mut out = Vec::new();
    for (q, ip) in listed(c, p, raw)? {
        c.name(&format!("{q}.name"), &ip.name, 128)?;
        if ip.roles.len() > 1 {
            return c.fail(
                &format!("{q}.roles"),
                "an instance profile holds at most one role",
            );
        }
        for (j, role) in ip.roles.iter().enumerate() {
            if !roles.iter().any(|r| &r.name == role) {
                return c.fail(
                    &format!("{q}.roles[{j}]"),
                    format!("role `{role}` is not defined in this account's roles"),
                );
            }
        }
        out.push(InstanceProfile {
            name: ip.name.clone(),
            id: c.entity_id(&q, ip.id.as_deref(), UniqueIdKind::InstanceProfile)?,
            path: c.iam_path(&format!("{q}.path"), ip.path.as_deref())?,
            roles: ip.roles.clone(),
            tags: c.tags(&format!("{q}.tags"), &ip.tags)?,
        });
    }
    Ok(out)
}

/// The root user at `p`: its access keys and signing certificates.
pub(super) fn root(
    c: &Checker<'_>,
    p: &str,
    account_id: &str,
    raw: Option<&RawRoot>,
    key_ids: &mut BTreeSet<String>,
) -> Checked<Root> {
    let Some(r) = raw else {
        return Ok(Root::default());
    };
    Ok(Root {
        access_keys: c.access_keys(
            &format!("{p}.root.access_keys"),
            account_id,
            &r.access_keys,
            key_ids,
        )?,
        signing_certificates: user_list(c, &format!("{p}.root"), &r.signing_certificates)?,
    })
}

/// The `server_certificates` of the account at `p`: names unique (ignoring case), valid names
/// and paths, at most 20, each certificate parsing with its private key and chain.
pub(super) fn server_certificates(
    c: &Checker<'_>,
    p: &str,
    raw: &[ServerCertificate],
) -> Checked<Vec<ServerCertificate>> {
    let entries = listed(c, p, raw)?;
    at_most(
        c,
        &format!("{p}.server_certificates"),
        raw.len(),
        20,
        "an account",
        "server certificates",
    )?;
    for (q, s) in entries {
        c.name(&format!("{q}.name"), &s.name, 128)?;
        c.iam_path(&format!("{q}.path"), Some(&s.path))?;
        c.entity_id(&q, Some(&s.id), UniqueIdKind::ServerCertificate)?;
        let checked = pki::parse_certificate(&s.body)
            .and_then(|cert| pki::check_key_pair(&cert, s.private_key.expose()))
            .and_then(|()| s.chain.as_deref().map_or(Ok(0), pki::parse_chain));
        if let Err(e) = checked {
            return c.fail(&q, e.to_string());
        }
    }
    Ok(raw.to_vec())
}

/// An entry of a user's (or the root user's) list with an IAM quota, written in the model's own
/// form.
pub(super) trait UserListEntry: Clone {
    /// The list's field, the most entries a user has, what they are called in messages.
    const QUOTA: (&'static str, usize, &'static str);

    /// Checks the entry at `q` as the IAM API checked it on upload.
    fn check(&self, c: &Checker<'_>, q: &str) -> Checked<()>;
}

/// A signing certificate: at most two per user, each parsing.
impl UserListEntry for SigningCertificate {
    const QUOTA: (&'static str, usize, &'static str) =
        ("signing_certificates", 2, "signing certificates");

    fn check(&self, c: &Checker<'_>, q: &str) -> Checked<()> {
        if let Err(e) = pki::parse_certificate(&self.body) {
            return c.fail(&format!("{q}.body"), e.to_string());
        }
        Ok(())
    }
}

/// An SSH public key: at most five per user, each an `ssh-rsa` key of at least 2,048 bits whose
/// fingerprint is the one recorded.
impl UserListEntry for SshPublicKey {
    const QUOTA: (&'static str, usize, &'static str) = ("ssh_public_keys", 5, "SSH public keys");

    fn check(&self, c: &Checker<'_>, q: &str) -> Checked<()> {
        match SshRsaKey::parse(&self.body) {
            Err(e) => c.fail(&format!("{q}.body"), e.to_string()),
            Ok(key) if key.fingerprint() != self.fingerprint => c.fail(
                &format!("{q}.fingerprint"),
                "the fingerprint is not the key's (the MD5 of its SSH wire form)",
            ),
            Ok(_) => Ok(()),
        }
    }
}

/// The list `raw` of the user (or root) at `p` (`signing_certificates`, `ssh_public_keys`):
/// within its quota, then each entry passing its check, in order.
pub(super) fn user_list<T: UserListEntry>(c: &Checker<'_>, p: &str, raw: &[T]) -> Checked<Vec<T>> {
    let (field, max, what) = T::QUOTA;
    at_most(c, &format!("{p}.{field}"), raw.len(), max, "a user", what)?;
    for (i, entry) in raw.iter().enumerate() {
        entry.check(c, &format!("{p}.{field}[{i}]"))?;
    }
    Ok(raw.to_vec())
}

/// IAM's quota of `what` per `holder`, at `path`.
fn at_most(
    c: &Checker<'_>,
    path: &str,
    len: usize,
    max: usize,
    holder: &str,
    what: &str,
) -> Checked<()> {
    if len > max {
        c.fail(path, format!("{holder} has at most {max} {what}"))
    } else {
        Ok(())
    }
}
