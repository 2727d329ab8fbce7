//! `iam:ListAccessKeys`.

use keyturn_api::iam::{AccessKeyMetadata, ListAccessKeysRequest, ListAccessKeysResponse};

use super::shared;
use super::users_groups::status_text;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListAccessKeys` on the user's ARN: the user's long-term keys (id, status, date; never
    /// the secret), by key id. Without `UserName`: the signing user's keys, or root's keys for
    /// root (on the root ARN); role sessions and federated users must name a user.
    ListAccessKeys(ListAccessKeysRequest)
        -> ListAccessKeysResponse, on shared::user_or_own(user_name);

    fn run(cx, input) {
        let (v, user) = shared::view_and_user(cx, &input.user_name)?;
        let items = v.access_keys(user.as_deref())?;
        shared::paged(items, &input, |k| AccessKeyMetadata {
            user_name: k.user_name,
            access_key_id: Some(k.access_key_id),
            status: Some(status_text(k.status).to_owned()),
            create_date: Some(k.create_date),
        })
    }
}
