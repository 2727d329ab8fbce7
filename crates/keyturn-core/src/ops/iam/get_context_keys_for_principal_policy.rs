//! `iam:GetContextKeysForPrincipalPolicy`.

use keyturn_api::iam::{GetContextKeysForPolicyResponse, GetContextKeysForPrincipalPolicyRequest};

use super::shared;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:GetContextKeysForPrincipalPolicy` on the user's, group's or role's ARN (as given): the
/// condition keys of the entity's policies and of `PolicyInputList`, sorted, without
/// duplicates.
#[derive(Debug)]
pub struct GetContextKeysForPrincipalPolicy;

impl Operation for GetContextKeysForPrincipalPolicy {
    type Input = GetContextKeysForPrincipalPolicyRequest;
    type Output = GetContextKeysForPolicyResponse;
    const ACTION: Option<&'static str> = Some("iam:GetContextKeysForPrincipalPolicy");

    fn resource(_: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::check_entity_arn(&input.policy_source_arn)?;
        Ok(input.policy_source_arn.clone())
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
