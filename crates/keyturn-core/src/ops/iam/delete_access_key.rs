//! `iam:DeleteAccessKey`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteAccessKeyRequest;

use super::shared;
use super::users_groups::remove;
use crate::iam::AccessKey;

operation! {
    /// `iam:DeleteAccessKey` on the user's ARN (the caller's own without `UserName`): deletes a key
    /// for good; it is refused from the very next request (`InvalidClientTokenId`).
    DeleteAccessKey(DeleteAccessKeyRequest) -> NoOutput, on shared::user_or_own(user_name);

    fn run(cx, input) {
        let user = shared::named_or_own_user(cx, input.user_name)?;
        let id = &input.access_key_id;
        remove::<AccessKey>(cx, user.as_deref(), id, |p| p.forget(id.clone()))?;
        Ok(NoOutput)
    }
}
