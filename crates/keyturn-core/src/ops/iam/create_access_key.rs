//! `iam:CreateAccessKey`.

use keyturn_api::iam::{
    AccessKey as AccessKeyShape, CreateAccessKeyRequest, CreateAccessKeyResponse,
};

use super::shared;
use super::users_groups::{ACCESS_KEYS_PER_USER, Keys, status_text};
use super::write;
use crate::iam::{AccessKey, AccessKeyStatus, SecretString};
use crate::ids::{AccessKeyId, AccessKeyKind, AccountId, generate_secret_access_key};
use crate::ops::prelude::*;

/// How many times a fresh key id is drawn if it collides with one the model has (39 random
/// bits: a collision is rare, two in a row rarer still).
const ID_ATTEMPTS: usize = 4;

fn new_key(p: &write::Plan<'_>) -> Result<AccessKey, Error> {
    let account: AccountId = p.account.id.parse().map_err(|_| {
        Error::new(
            ErrorCode::ServiceFailure,
            format!("invalid account id {} in the model", p.account.id),
        )
    })?;
    for _ in 0..ID_ATTEMPTS {
        let id = AccessKeyId::generate(AccessKeyKind::LongTerm, account)?;
        if p.snapshot.data.find_access_key(id.as_str()).is_none() {
            let secret = generate_secret_access_key()?;
            return Ok(AccessKey {
                id: id.as_str().to_owned(),
                secret: SecretString::new(secret.expose()),
                status: AccessKeyStatus::Active,
            });
        }
    }
    Err(Error::new(
        ErrorCode::ServiceFailure,
        "could not draw an unused access key id",
    ))
}

operation! {
    /// `iam:CreateAccessKey` on the user's ARN: a new active long-term key for the named user, else
    /// for the caller's own user (the root user's own key when root calls, as AWS allows). At most
    /// two keys per user. The key id encodes the account as every `AKIA` id does; the secret is 40
    /// characters from the OS's random generator, answered once (the response member is sensitive:
    /// the audit log redacts it) and kept in the store. The key signs the very next request.
    CreateAccessKey(CreateAccessKeyRequest)
        -> CreateAccessKeyResponse, on shared::user_or_own(user_name);

    fn run(cx, input) {
        let user = shared::named_or_own_user(cx, input.user_name)?;
        let ((key, owner), snapshot) = write::change(cx, |p| {
            let mut keys = Keys::of(p, user.as_deref())?;
            write::within(keys.items.len(), ACCESS_KEYS_PER_USER)?;
            let key = new_key(p)?;
            let owner = keys.owner().map(str::to_owned);
            keys.items.push(key.clone());
            p.created(key.id.clone());
            keys.save(p);
            Ok((key, owner))
        })?;
        let v = write::view_of(cx, &snapshot)?;
        Ok(CreateAccessKeyResponse {
            access_key: AccessKeyShape {
                user_name: owner.unwrap_or_default(),
                status: status_text(key.status).to_owned(),
                create_date: Some(v.create_date(&key.id)),
                access_key_id: key.id,
                secret_access_key: key.secret,
            },
        })
    }
}
