//! `iam:ListAccountAliases`.

use keyturn_api::iam::{ListAccountAliasesRequest, ListAccountAliasesResponse};

use super::shared;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListAccountAliases` on `*` (no resource type): the account's alias, if any (at most
/// one).
#[derive(Debug)]
pub struct ListAccountAliases;

impl Operation for ListAccountAliases {
    type Input = ListAccountAliasesRequest;
    type Output = ListAccountAliasesResponse;
    const ACTION: Option<&'static str> = Some("iam:ListAccountAliases");

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
