//! `iam:DeleteAccountAlias`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteAccountAliasRequest;

use super::write;
use crate::iam::Change;

operation! {
    /// `iam:DeleteAccountAlias` on `*`: removes the caller's account's alias, which must be the one
    /// named (`NoSuchEntity`: "The account alias X cannot be found.").
    DeleteAccountAlias(DeleteAccountAliasRequest) -> NoOutput;

    fn run(cx, input) {
        let alias = input.account_alias;
        write::change(cx, |p| {
            if p.account.alias.as_deref() != Some(alias.as_str()) {
                return Err(Error::new(
                    ErrorCode::NoSuchEntity,
                    format!("The account alias {alias} cannot be found."),
                ));
            }
            p.account_change(|account| Change::SetAlias {
                account,
                alias: None,
            });
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
