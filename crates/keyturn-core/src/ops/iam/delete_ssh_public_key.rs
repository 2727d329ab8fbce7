//! `iam:DeleteSSHPublicKey`.

use keyturn_api::iam::DeleteSSHPublicKeyRequest;

use super::{certificates, shared};
use crate::ops::prelude::*;

operation! {
    /// `iam:DeleteSSHPublicKey` on the user's ARN: removes one of the user's SSH public keys.
    DeleteSshPublicKey(DeleteSSHPublicKeyRequest) -> NoOutput, on shared::user_arn(user_name);

    fn run(cx, input) {
        certificates::update_ssh_keys(cx, &input.user_name, |_, user| {
            let i = certificates::find_ssh_key(user, &input.ssh_public_key_id)?;
            user.ssh_public_keys.remove(i);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
