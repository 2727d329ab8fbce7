//! `iam:CreateAccountAlias`.

use crate::ops::prelude::*;
use keyturn_api::iam::CreateAccountAliasRequest;

use super::write;
use crate::iam::Change;

operation! {
    /// `iam:CreateAccountAlias` on `*`: gives the caller's account its alias. An account has at
    /// most one: a new alias replaces the old one. Aliases are unique across every account of the
    /// store (`EntityAlreadyExists`: "The account alias X already exists.").
    CreateAccountAlias(CreateAccountAliasRequest) -> NoOutput;

    fn run(cx, input) {
        let alias = input.account_alias;
        write::change(cx, |p| {
            let accounts = &p.snapshot.data.accounts;
            if accounts
                .iter()
                .any(|a| a.alias.as_deref() == Some(alias.as_str()))
            {
                return Err(Error::new(
                    ErrorCode::EntityAlreadyExists,
                    format!("The account alias {alias} already exists."),
                ));
            }
            p.account_change(|account| Change::SetAlias {
                account,
                alias: Some(alias.clone()),
            });
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
