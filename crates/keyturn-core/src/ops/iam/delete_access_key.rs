//! `iam:DeleteAccessKey`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeleteAccessKeyRequest;

use super::shared;
use super::users_groups::Keys;
use super::write;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:DeleteAccessKey` on the user's ARN (the caller's own without `UserName`): deletes a key
/// for good; it is refused from the very next request (`InvalidClientTokenId`).
#[derive(Debug)]
pub struct DeleteAccessKey;

impl Operation for DeleteAccessKey {
    type Input = DeleteAccessKeyRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeleteAccessKey");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::user_or_own_arn(cx, input.user_name.as_deref())
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let user = shared::named_or_own_user(cx, input.user_name)?;
        write::change(cx, |p| {
            let mut keys = Keys::of(cx, p, user.as_deref())?;
            let i = keys.find(&input.access_key_id)?;
            keys.items.remove(i);
            p.forget(input.access_key_id.clone());
            keys.save(p);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
