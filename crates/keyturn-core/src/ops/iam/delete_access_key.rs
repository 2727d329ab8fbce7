//! `iam:DeleteAccessKey`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteAccessKeyRequest;

use super::shared;
use super::users_groups::Keys;
use super::write;

operation! {
    /// `iam:DeleteAccessKey` on the user's ARN (the caller's own without `UserName`): deletes a key
    /// for good; it is refused from the very next request (`InvalidClientTokenId`).
    DeleteAccessKey(DeleteAccessKeyRequest) -> NoOutput, on shared::user_or_own(user_name);

    fn run(cx, input) {
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
