//! `iam:DeleteRole`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteRoleRequest;

use super::admin;
use super::shared::{self, Kind};
use super::write;
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
            let conflict = |text: &str| Err(Error::new(ErrorCode::DeleteConflict, text));
            if a.instance_profiles.iter().any(|ip| ip.roles.contains(name)) {
                return conflict(
                    "Cannot delete entity, must remove roles from instance profile first.",
                );
            }
            if !role.managed_policies.is_empty() {
                return conflict("Cannot delete entity, must detach all policies first.");
            }
            if !role.inline_policies.is_empty() {
                return conflict("Cannot delete entity, must delete policies first.");
            }
            p.forget(role.arn(&a.id));
            p.delete(EntityKind::Role, name);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
