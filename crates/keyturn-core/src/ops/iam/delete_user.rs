//! `iam:DeleteUser`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteUserRequest;

use super::shared;
use super::write::{self, Left};
use crate::iam::EntityKind;

operation! {
    /// `iam:DeleteUser` on the user's ARN. As IAM, refuses a user that still has access keys,
    /// signing certificates, SSH public keys, MFA devices, inline or attached policies or group
    /// memberships (`DeleteConflict`).
    DeleteUser(DeleteUserRequest) -> NoOutput, on shared::user_arn(user_name);

    fn run(cx, input) {
        write::change(cx, |p| {
            let user = write::user_in(p, &input.user_name)?;
            write::nothing_left(&[
                (!user.access_keys.is_empty(), Left::AccessKeys),
                (!user.signing_certificates.is_empty(), Left::SigningCertificates),
                (!user.ssh_public_keys.is_empty(), Left::SshPublicKeys),
                (!user.mfa_devices.is_empty(), Left::MfaDevices),
                (!user.inline_policies.is_empty(), Left::InlinePolicies),
                (!user.managed_policies.is_empty(), Left::AttachedPolicies),
                (!user.groups.is_empty(), Left::Memberships),
            ])?;
            p.remove(user.arn(&p.account.id), EntityKind::User, &input.user_name);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
