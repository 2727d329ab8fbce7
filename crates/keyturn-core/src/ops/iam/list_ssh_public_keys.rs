//! `iam:ListSSHPublicKeys`.

use keyturn_api::iam::{ListSSHPublicKeysRequest, ListSSHPublicKeysResponse, SSHPublicKeyMetadata};

use super::certificates;
use super::shared;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListSSHPublicKeys` on the user's ARN (the caller's own without `UserName`): the ids,
/// status and upload dates of the user's SSH public keys, in upload order, paged. Root, having
/// no SSH keys, gets an empty list.
#[derive(Debug)]
pub struct ListSshPublicKeys;

impl Operation for ListSshPublicKeys {
    type Input = ListSSHPublicKeysRequest;
    type Output = ListSSHPublicKeysResponse;
    const ACTION: Option<&'static str> = Some("iam:ListSSHPublicKeys");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::user_or_own_arn(cx, input.user_name.as_deref())
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        let mut items = Vec::new();
        if let Some(name) = shared::named_or_own_user(cx, input.user_name)? {
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
        let p = shared::page(items, input.marker.as_deref(), input.max_items)?;
        Ok(ListSSHPublicKeysResponse {
            ssh_public_keys: Some(p.items),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
