//! `iam:GetUser`: a user of the caller's account, or the caller itself without `UserName`.

use keyturn_api::iam::{GetUserRequest, GetUserResponse};

use super::shared::{self, Own};
use crate::ops::prelude::*;

operation! {
    /// `iam:GetUser` on the user's ARN. Without `UserName` it answers for the signing user (a
    /// GetSessionToken session's user too); for root, the root "user" (the account id as
    /// `UserId`, the root ARN); role sessions and federated users must name a user.
    GetUser(GetUserRequest) -> GetUserResponse, on shared::user_or_own(user_name);

    fn run(cx, input) {
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
            user: v.user(&name)?,
        })
    }
}
