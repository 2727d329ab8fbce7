//! `iam:ListSSHPublicKeys`.

use keyturn_api::iam::{ListSSHPublicKeysRequest, ListSSHPublicKeysResponse, SSHPublicKeyMetadata};

use super::{certificates, shared};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListSSHPublicKeys` on the user's ARN (the caller's own without `UserName`): the ids,
    /// status and upload dates of the user's SSH public keys, in upload order, paged. Root, having
    /// no SSH keys, gets an empty list.
    ListSshPublicKeys(ListSSHPublicKeysRequest) -> ListSSHPublicKeysResponse,
        on shared::user_or_own(user_name);

    fn run(cx, input) {
        let (v, user) = shared::view_and_user(cx, &input.user_name)?;
        let mut items = Vec::new();
        if let Some(name) = user {
            v.user(&name)?;
            let keys = v
                .account()
                .user(&name)
                .map(|u| u.ssh_public_keys.as_slice());
            for k in keys.unwrap_or_default() {
                items.push(SSHPublicKeyMetadata {
                    user_name: name.clone(),
                    ssh_public_key_id: k.id.clone(),
                    status: certificates::status_text(k.status),
                    upload_date: certificates::date(&k.upload_date),
                });
            }
        }
        shared::paged(items, &input, |k| k)
    }
}
