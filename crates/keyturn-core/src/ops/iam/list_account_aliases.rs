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
        shared::paged(v.account_aliases(), input.marker.as_deref(), input.max_items, std::convert::identity)
    }
}
