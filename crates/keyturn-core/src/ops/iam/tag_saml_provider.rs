//! `iam:TagSAMLProvider`.

use keyturn_api::NoOutput;
use keyturn_api::iam::TagSAMLProviderRequest;

use super::providers::{self, Provider};
use super::write;
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:TagSAMLProvider` on the provider's ARN, with the tags as condition keys: adds or
/// replaces tags (keys ignoring case), at most 50 in all.
#[derive(Debug)]
pub struct TagSamlProvider;

impl Operation for TagSamlProvider {
    type Input = TagSAMLProviderRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:TagSAMLProvider");

    fn resource(_: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        providers::resource(Provider::Saml, &input.saml_provider_arn)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(write::tag_conditions(Some(&input.tags)))
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        providers::tag(cx, Provider::Saml, &input.saml_provider_arn, &input.tags)?;
        Ok(NoOutput)
    }
}
