//! `iam:ListRoles`.

use keyturn_api::iam::{ListRolesRequest, ListRolesResponse};

use super::shared;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListRoles` on `*` (no resource type): the roles under `PathPrefix`, by name, without
/// boundaries, tags and `RoleLastUsed` (as IAM lists them).
#[derive(Debug)]
pub struct ListRoles;

impl Operation for ListRoles {
    type Input = ListRolesRequest;
    type Output = ListRolesResponse;
    const ACTION: Option<&'static str> = Some("iam:ListRoles");

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
