//! `iam:TagOpenIDConnectProvider`.

use keyturn_api::NoOutput;
use keyturn_api::iam::TagOpenIDConnectProviderRequest;

use super::providers::{self, Provider};
use super::write;
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:TagOpenIDConnectProvider` on the provider's ARN, with the tags as condition keys: adds or
/// replaces tags (keys ignoring case), at most 50 in all.
#[derive(Debug)]
pub struct TagOpenIdConnectProvider;

impl Operation for TagOpenIdConnectProvider {
    type Input = TagOpenIDConnectProviderRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:TagOpenIDConnectProvider");

    fn resource(_: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        providers::resource(Provider::Oidc, &input.open_id_connect_provider_arn)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(write::tag_conditions(Some(&input.tags)))
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        providers::tag(
            cx,
            Provider::Oidc,
            &input.open_id_connect_provider_arn,
            &input.tags,
        )?;
        Ok(NoOutput)
    }
}
