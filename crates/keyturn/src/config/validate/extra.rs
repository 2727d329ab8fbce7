//! The account's instance profiles.

use keyturn_core::iam::{InstanceProfile, Role};
use keyturn_core::ids::UniqueIdKind;

use super::super::raw::RawInstanceProfile;
use super::{Checked, Checker, unique};

/// The `instance_profiles` of the account at `p`: names unique (ignoring case), at most one role
/// each (as AWS), a role of the same account.
pub(super) fn instance_profiles(
    c: &Checker<'_>,
    p: &str,
    raw: &[RawInstanceProfile],
    roles: &[Role],
) -> Checked<Vec<InstanceProfile>> {
    unique(
        c,
        |i| format!("{p}.instance_profiles[{i}].name"),
        raw.iter().map(|ip| ip.name.as_str()),
        "instance profile",
    )?;
    let mut out = Vec::new();
    for (i, ip) in raw.iter().enumerate() {
        let q = format!("{p}.instance_profiles[{i}]");
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
