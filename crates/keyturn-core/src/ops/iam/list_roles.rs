//! `iam:ListRoles`.

use keyturn_api::iam::{ListRolesRequest, ListRolesResponse};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListRoles` on `*` (no resource type): the roles under `PathPrefix`, by name, without
    /// boundaries, tags and `RoleLastUsed` (as IAM lists them).
    ListRoles(ListRolesRequest) -> ListRolesResponse;

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let items = v.roles(input.path_prefix.as_deref());
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListRolesResponse {
            roles: p
                .items
                .into_iter()
                .map(|r| shared::role(r, false))
                .collect(),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
