//! `iam:UpdateSSHPublicKey`.

use keyturn_api::iam::UpdateSSHPublicKeyRequest;

use super::certificates;
use super::shared;
use super::users_groups::parse_status;
use crate::ops::prelude::*;

operation! {
    /// `iam:UpdateSSHPublicKey` on the user's ARN: makes one of the user's SSH public keys `Active`
    /// or `Inactive`.
    UpdateSshPublicKey(UpdateSSHPublicKeyRequest) -> NoOutput, on shared::user_arn(user_name);

    fn run(cx, input) {
        let wanted = parse_status(&input.status)?;
        certificates::update_ssh_keys(cx, &input.user_name, |_, user| {
            let i = certificates::find_ssh_key(user, &input.ssh_public_key_id)?;
            if let Some(k) = user.ssh_public_keys.get_mut(i) {
                k.status = wanted;
            }
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
