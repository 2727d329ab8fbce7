//! `iam:DeleteAccountAlias`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeleteAccountAliasRequest;

use super::write;
use crate::ops::{Context, Operation};
use crate::{Error, ErrorCode};

/// `iam:DeleteAccountAlias` on `*`: removes the caller's account's alias, which must be the one
/// named (`NoSuchEntity`: "The account alias X cannot be found.").
#[derive(Debug)]
pub struct DeleteAccountAlias;

impl Operation for DeleteAccountAlias {
    type Input = DeleteAccountAliasRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeleteAccountAlias");

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let alias = input.account_alias;
        write::change(cx, |p| {
            if p.account.alias.as_deref() != Some(alias.as_str()) {
                return Err(Error::new(
                    ErrorCode::NoSuchEntity,
                    format!("The account alias {alias} cannot be found."),
                ));
            }
            p.set_alias(None);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
