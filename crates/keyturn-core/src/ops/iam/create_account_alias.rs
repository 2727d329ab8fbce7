//! `iam:CreateAccountAlias`.

use keyturn_api::NoOutput;
use keyturn_api::iam::CreateAccountAliasRequest;

use super::write;
use crate::ops::{Context, Operation};
use crate::{Error, ErrorCode};

/// `iam:CreateAccountAlias` on `*`: gives the caller's account its alias. An account has at
/// most one: a new alias replaces the old one. Aliases are unique across every account of the
/// store (`EntityAlreadyExists`: "The account alias X already exists.").
#[derive(Debug)]
pub struct CreateAccountAlias;

impl Operation for CreateAccountAlias {
    type Input = CreateAccountAliasRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:CreateAccountAlias");

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
            p.set_alias(Some(alias.clone()));
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
