//! `iam:GetContextKeysForPrincipalPolicy`.

use keyturn_api::iam::{GetContextKeysForPolicyResponse, GetContextKeysForPrincipalPolicyRequest};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetContextKeysForPrincipalPolicy` on the user's, group's or role's ARN (as given): the
    /// condition keys of the entity's policies and of `PolicyInputList`, sorted, without
    /// duplicates.
    GetContextKeysForPrincipalPolicy(GetContextKeysForPrincipalPolicyRequest)
        -> GetContextKeysForPolicyResponse;

    fn resource(_, input) {
        shared::check_entity_arn(&input.policy_source_arn)?;
        Ok(input.policy_source_arn.clone())
    }

    fn run(cx, input) {
        let v = shared::view(cx)?;
        let extra: Vec<&str> = input
            .policy_input_list
            .iter()
            .flatten()
            .map(String::as_str)
            .collect();
        Ok(GetContextKeysForPolicyResponse {
            context_key_names: Some(
                v.context_keys_for_principal(&input.policy_source_arn, &extra)?,
            ),
        })
    }
}
