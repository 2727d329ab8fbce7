//! `iam:ListRoles`.

use keyturn_api::iam::{ListRolesRequest, ListRolesResponse};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListRoles` on `*` (no resource type): the roles under `PathPrefix`, by name, without
    /// boundaries, tags and `RoleLastUsed` (as IAM lists them).
    ListRoles(ListRolesRequest) -> ListRolesResponse;

    fn run(cx, input) {
        let prefix = input.path_prefix.as_deref();
        shared::list(cx, &input, |v| Ok(v.roles(prefix)), |r| shared::role(r, false))
    }
}
