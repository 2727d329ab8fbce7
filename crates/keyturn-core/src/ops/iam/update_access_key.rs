//! `iam:UpdateAccessKey`.

use keyturn_api::NoOutput;
use keyturn_api::iam::UpdateAccessKeyRequest;

use super::shared;
use super::users_groups::{parse_status, set_status};
use crate::Error;
use crate::iam::AccessKey;
use crate::ops::{Context, Operation};

/// `iam:UpdateAccessKey` on the user's ARN (the caller's own without `UserName`): makes a key
/// `Active` or `Inactive`. An inactive key is refused from the very next request
/// (`InvalidClientTokenId`); made active again, it signs again.
#[derive(Debug)]
pub struct UpdateAccessKey;

impl Operation for UpdateAccessKey {
    type Input = UpdateAccessKeyRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:UpdateAccessKey");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::user_or_own_arn(cx, input.user_name.as_deref())
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let wanted = parse_status(&input.status)?;
        let user = shared::named_or_own_user(cx, input.user_name)?;
        set_status::<AccessKey>(cx, user.as_deref(), &input.access_key_id, wanted)?;
        Ok(NoOutput)
    }
}
