//! `iam:ListAccountAliases`.

use keyturn_api::iam::{ListAccountAliasesRequest, ListAccountAliasesResponse};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListAccountAliases` on `*` (no resource type): the account's alias, if any (at most
    /// one).
    ListAccountAliases(ListAccountAliasesRequest) -> ListAccountAliasesResponse;

    fn run(cx, input) {
        shared::list(cx, &input, |v| Ok(v.account_aliases()), std::convert::identity)
    }
}
