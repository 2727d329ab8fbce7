//! `iam:UpdateSSHPublicKey`.

use keyturn_api::NoOutput;
use keyturn_api::iam::UpdateSSHPublicKeyRequest;

use super::certificates;
use super::shared::{self, Kind};
use super::users_groups::parse_status;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:UpdateSSHPublicKey` on the user's ARN: makes one of the user's SSH public keys `Active`
/// or `Inactive`.
#[derive(Debug)]
pub struct UpdateSshPublicKey;

impl Operation for UpdateSshPublicKey {
    type Input = UpdateSSHPublicKeyRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:UpdateSSHPublicKey");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::User, &input.user_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
