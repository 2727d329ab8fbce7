//! `iam:ListAccountAliases`.

use keyturn_api::iam::{ListAccountAliasesRequest, ListAccountAliasesResponse};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListAccountAliases` on `*` (no resource type): the account's alias, if any (at most
    /// one).
    ListAccountAliases(ListAccountAliasesRequest) -> ListAccountAliasesResponse;

    fn run(cx, input) {
        let aliases = shared::view(cx)?.account_aliases();
        shared::paged(aliases, &input, std::convert::identity)
    }
}
