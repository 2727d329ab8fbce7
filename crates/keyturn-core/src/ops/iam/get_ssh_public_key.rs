//! `iam:GetSSHPublicKey`.

use keyturn_api::iam::{GetSSHPublicKeyRequest, GetSSHPublicKeyResponse};

use super::certificates::{self, Upload};
use super::shared;
use crate::ops::prelude::*;
use crate::pki::ssh::SshRsaKey;

operation! {
    /// `iam:GetSSHPublicKey` on the user's ARN: one of the user's SSH public keys, its body in the
    /// encoding asked for: `SSH` (OpenSSH, `ssh-rsa AAAA…`; the uploaded text when it was uploaded
    /// so) or `PEM` (RFC 4716's `---- BEGIN SSH2 PUBLIC KEY ----`).
    GetSshPublicKey(GetSSHPublicKeyRequest) -> GetSSHPublicKeyResponse,
        on shared::user_arn(user_name);

    fn run(cx, input) {
        let v = shared::view(cx)?;
        v.user(&input.user_name)?;
        let user = v
            .account()
            .user(&input.user_name)
            .cloned()
            .unwrap_or_default();
        let i = certificates::find_ssh_key(&user, &input.ssh_public_key_id)?;
        let Some(stored) = user.ssh_public_keys.get(i) else {
            return Err(Error::new(
                ErrorCode::ServiceFailure,
                "SSH key index out of range",
            ));
        };
        let key =
            SshRsaKey::parse(&stored.body).map_err(|e| certificates::refused(e, Upload::Ssh))?;
        let body = match input.encoding.as_str() {
            "PEM" => key.ssh2(),
            _ if stored.body.trim_start().starts_with("ssh-rsa ") => stored.body.clone(),
            _ => key.openssh(),
        };
        Ok(GetSSHPublicKeyResponse {
            ssh_public_key: Some(certificates::ssh_shape(&input.user_name, stored, body)),
        })
    }
}
