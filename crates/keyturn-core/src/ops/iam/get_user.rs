//! `iam:GetUser`: a user of the caller's account, or the caller itself without `UserName`.

use keyturn_api::iam::{GetUserRequest, GetUserResponse};

use super::shared::{self, Own};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:GetUser` on the user's ARN. Without `UserName` it answers for the signing user (a
/// GetSessionToken session's user too); for root, the root "user" (the account id as
/// `UserId`, the root ARN); role sessions and federated users must name a user.
#[derive(Debug)]
pub struct GetUser;

impl Operation for GetUser {
    type Input = GetUserRequest;
    type Output = GetUserResponse;
    const ACTION: Option<&'static str> = Some("iam:GetUser");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::user_or_own_arn(cx, input.user_name.as_deref())
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let name = match input.user_name {
            Some(n) => n,
            None => match shared::own(cx.caller()?)? {
                Own::Root => {
                    return Ok(GetUserResponse {
                        user: shared::root_user(&v),
                    });
                }
                Own::User(n) => n,
            },
        };
        Ok(GetUserResponse {
            user: shared::user(v.user(&name)?, true),
        })
    }
}
