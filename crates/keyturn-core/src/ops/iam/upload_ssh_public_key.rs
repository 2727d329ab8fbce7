//! `iam:UploadSSHPublicKey`.

use keyturn_api::iam::{UploadSSHPublicKeyRequest, UploadSSHPublicKeyResponse};

use super::certificates::{self, SSH_PUBLIC_KEYS, Upload};
use super::shared;
use super::write;
use crate::iam::{AccessKeyStatus, SshPublicKey};
use crate::ops::prelude::*;
use crate::pki::ssh::SshRsaKey;

operation! {
    /// `iam:UploadSSHPublicKey` on the user's ARN: adds an `ssh-rsa` public key of at least 2,048
    /// bits, in the OpenSSH or a PEM encoding, `Active`, with its MD5 fingerprint and an
    /// `APKA…` id. At most five per user; the same key twice for one user is
    /// `DuplicateSSHPublicKey`.
    UploadSshPublicKey(UploadSSHPublicKeyRequest) -> UploadSSHPublicKeyResponse,
        on shared::user_arn(user_name);

    fn run(cx, input) {
        let key = SshRsaKey::parse(&input.ssh_public_key_body)
            .map_err(|e| certificates::refused(e, Upload::Ssh))?;
        let fingerprint = key.fingerprint();
        let id = crate::ids::ssh_public_key_id()?;
        let (made, _) = certificates::update_ssh_keys(cx, &input.user_name, |p, user| {
            let keys = &user.ssh_public_keys;
            let duplicate = || {
                Error::new(
                    ErrorCode::DuplicateSshPublicKey,
                    "The SSH public key is already associated with the specified IAM user.",
                )
            };
            let exists = keys.iter().any(|k| k.fingerprint == fingerprint);
            write::admit(exists, duplicate, keys.len(), SSH_PUBLIC_KEYS)?;
            let made = SshPublicKey {
                id: id.clone(),
                body: input.ssh_public_key_body.clone(),
                fingerprint: fingerprint.clone(),
                status: AccessKeyStatus::Active,
                upload_date: crate::clock::iso8601(p.now),
            };
            user.ssh_public_keys.push(made.clone());
            Ok(made)
        })?;
        Ok(UploadSSHPublicKeyResponse {
            ssh_public_key: Some(certificates::ssh_shape(
                &input.user_name,
                &made,
                made.body.clone(),
            )),
        })
    }
}
