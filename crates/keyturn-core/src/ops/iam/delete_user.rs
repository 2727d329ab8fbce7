//! `iam:DeleteUser`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteUserRequest;

use super::shared;
use super::write;
use crate::iam::EntityKind;

/// AWS's text for a user that still has subordinate entities.
const CONFLICT_TEXT: &str = "Cannot delete entity, must delete access keys first.";

operation! {
    /// `iam:DeleteUser` on the user's ARN. As IAM, refuses a user that still has access keys,
    /// signing certificates, SSH public keys, MFA devices, inline or attached policies or group
    /// memberships (`DeleteConflict`).
    DeleteUser(DeleteUserRequest) -> NoOutput, on shared::user_arn(user_name);

    fn run(cx, input) {
        write::change(cx, |p| {
            write::view_of(cx, p.snapshot)?.user(&input.user_name)?;
            let Some(user) = p.account.user(&input.user_name) else {
                return Ok(());
            };
            let conflict = |text: &str| Err(Error::new(ErrorCode::DeleteConflict, text));
            if !user.access_keys.is_empty() {
                return conflict(CONFLICT_TEXT);
            }
            if !user.signing_certificates.is_empty() {
                return conflict("Cannot delete entity, must delete signing certificates first.");
            }
            if !user.ssh_public_keys.is_empty() {
                return conflict("Cannot delete entity, must delete SSH public keys first.");
            }
            if !user.mfa_devices.is_empty() {
                return conflict("Cannot delete entity, must remove MFA device first.");
            }
            if !user.inline_policies.is_empty() {
                return conflict("Cannot delete entity, must delete policies first.");
            }
            if !user.managed_policies.is_empty() {
                return conflict("Cannot delete entity, must detach all policies first.");
            }
            if !user.groups.is_empty() {
                return conflict("Cannot delete entity, must remove users from group first.");
            }
            p.forget(user.arn(&p.account.id));
            p.delete(EntityKind::User, &input.user_name);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
