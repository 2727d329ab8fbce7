//! `iam:UpdateAccessKey`.

use crate::ops::prelude::*;
use keyturn_api::iam::UpdateAccessKeyRequest;

use super::shared;
use super::users_groups::Keys;
use super::write;
use crate::iam::AccessKeyStatus;

fn status(text: &str) -> Result<AccessKeyStatus, Error> {
    match text {
        "Active" => Ok(AccessKeyStatus::Active),
        "Inactive" => Ok(AccessKeyStatus::Inactive),
        // The model's enum also has `Expired`, which only AWS sets.
        other => Err(Error::new(
            ErrorCode::ValidationError,
            format!(
                "1 validation error detected: Value '{other}' at 'status' failed to satisfy \
                 constraint: Member must satisfy enum value set: [Active, Inactive]"
            ),
        )),
    }
}

operation! {
    /// `iam:UpdateAccessKey` on the user's ARN (the caller's own without `UserName`): makes a key
    /// `Active` or `Inactive`. An inactive key is refused from the very next request
    /// (`InvalidClientTokenId`); made active again, it signs again.
    UpdateAccessKey(UpdateAccessKeyRequest) -> NoOutput, on shared::user_or_own(user_name);

    fn run(cx, input) {
        let wanted = status(&input.status)?;
        let user = shared::named_or_own_user(cx, input.user_name)?;
        write::change(cx, |p| {
            let mut keys = Keys::of(cx, p, user.as_deref())?;
            let i = keys.find(&input.access_key_id)?;
            if keys.keys.get(i).is_some_and(|k| k.status != wanted) {
                if let Some(k) = keys.keys.get_mut(i) {
                    k.status = wanted;
                }
                keys.save(p);
            }
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
