//! `iam:DeleteRole`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteRoleRequest;

use super::admin;
use super::shared::{self, Kind};
use super::write::{self, Left};
use crate::iam::EntityKind;

operation! {
    /// `iam:DeleteRole` on the role's ARN. As IAM, refuses a role that is in an instance profile
    /// or still has attached or inline policies (`DeleteConflict`, in that order). Sessions of the
    /// role issued before keep no permissions from the next request on (the role is gone).
    DeleteRole(DeleteRoleRequest) -> NoOutput, on shared::role_arn(role_name);

    fn run(cx, input) {
        let name = &input.role_name;
        write::change(cx, |p| {
            let a = p.account;
            let role = a
                .role(name)
                .ok_or_else(|| admin::no_such(Kind::Role, name))?;
            write::nothing_left(&[
                (a.instance_profiles.iter().any(|ip| ip.roles.contains(name)), Left::ProfileRoles),
                (!role.managed_policies.is_empty(), Left::AttachedPolicies),
                (!role.inline_policies.is_empty(), Left::InlinePolicies),
            ])?;
            p.remove(role.arn(&a.id), EntityKind::Role, name);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
