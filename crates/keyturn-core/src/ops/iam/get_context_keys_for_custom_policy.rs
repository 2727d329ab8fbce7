//! `iam:GetContextKeysForCustomPolicy`.

use keyturn_api::iam::{GetContextKeysForCustomPolicyRequest, GetContextKeysForPolicyResponse};

use crate::engine::view::context_keys_for_custom_policies;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetContextKeysForCustomPolicy` on `*` (no resource type): the condition keys the given
    /// policies use, sorted, without duplicates.
    GetContextKeysForCustomPolicy(GetContextKeysForCustomPolicyRequest)
        -> GetContextKeysForPolicyResponse;

    fn run(_, input) {
        let texts: Vec<&str> = input.policy_input_list.iter().map(String::as_str).collect();
        Ok(GetContextKeysForPolicyResponse {
            context_key_names: Some(context_keys_for_custom_policies(&texts)?),
        })
    }
}
