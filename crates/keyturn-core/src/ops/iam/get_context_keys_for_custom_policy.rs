//! `iam:GetContextKeysForCustomPolicy`.

use keyturn_api::iam::{GetContextKeysForCustomPolicyRequest, GetContextKeysForPolicyResponse};

use crate::Error;
use crate::engine::view::context_keys_for_custom_policies;
use crate::ops::{Context, Operation};

/// `iam:GetContextKeysForCustomPolicy` on `*` (no resource type): the condition keys the given
/// policies use, sorted, without duplicates.
#[derive(Debug)]
pub struct GetContextKeysForCustomPolicy;

impl Operation for GetContextKeysForCustomPolicy {
    type Input = GetContextKeysForCustomPolicyRequest;
    type Output = GetContextKeysForPolicyResponse;
    const ACTION: Option<&'static str> = Some("iam:GetContextKeysForCustomPolicy");

    fn run(_: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let texts: Vec<&str> = input.policy_input_list.iter().map(String::as_str).collect();
        Ok(GetContextKeysForPolicyResponse {
            context_key_names: Some(context_keys_for_custom_policies(&texts)?),
        })
    }
}
