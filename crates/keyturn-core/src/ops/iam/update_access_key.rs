//! `iam:UpdateAccessKey`.

use crate::ops::prelude::*;
use keyturn_api::iam::UpdateAccessKeyRequest;

use super::shared;
use super::users_groups::{parse_status, set_status};
use crate::iam::AccessKey;

operation! {
    /// `iam:UpdateAccessKey` on the user's ARN (the caller's own without `UserName`): makes a key
    /// `Active` or `Inactive`. An inactive key is refused from the very next request
    /// (`InvalidClientTokenId`); made active again, it signs again.
    UpdateAccessKey(UpdateAccessKeyRequest) -> NoOutput, on shared::user_or_own(user_name);

    fn run(cx, input) {
        let wanted = parse_status(&input.status)?;
        let user = shared::named_or_own_user(cx, input.user_name)?;
        set_status::<AccessKey>(cx, user.as_deref(), &input.access_key_id, wanted)?;
        Ok(NoOutput)
    }
}
