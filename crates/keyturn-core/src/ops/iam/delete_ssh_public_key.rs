//! `iam:DeleteSSHPublicKey`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeleteSSHPublicKeyRequest;

use super::certificates;
use super::shared::{self, Kind};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:DeleteSSHPublicKey` on the user's ARN: removes one of the user's SSH public keys.
#[derive(Debug)]
pub struct DeleteSshPublicKey;

impl Operation for DeleteSshPublicKey {
    type Input = DeleteSSHPublicKeyRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeleteSSHPublicKey");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::User, &input.user_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        certificates::update_ssh_keys(cx, &input.user_name, |_, user| {
            let i = certificates::find_ssh_key(user, &input.ssh_public_key_id)?;
            user.ssh_public_keys.remove(i);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
