//! `iam:ListAccountAliases`.

use keyturn_api::iam::{ListAccountAliasesRequest, ListAccountAliasesResponse};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListAccountAliases` on `*` (no resource type): the account's alias, if any (at most
    /// one).
    ListAccountAliases(ListAccountAliasesRequest) -> ListAccountAliasesResponse;

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let p = shared::page(
            v.account_aliases(),
            input.marker.as_deref(),
            input.max_items,
        )?;
        Ok(ListAccountAliasesResponse {
            account_aliases: p.items,
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
