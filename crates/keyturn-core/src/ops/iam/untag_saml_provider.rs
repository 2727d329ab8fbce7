//! `iam:UntagSAMLProvider`.

use keyturn_api::NoOutput;
use keyturn_api::iam::UntagSAMLProviderRequest;

use super::providers::{self, Provider};
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:UntagSAMLProvider` on the provider's ARN, with `aws:TagKeys`: removes the tags of the
/// keys (ignoring case); keys it does not have are ignored.
#[derive(Debug)]
pub struct UntagSamlProvider;

impl Operation for UntagSamlProvider {
    type Input = UntagSAMLProviderRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:UntagSAMLProvider");

    fn resource(_: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        providers::resource(Provider::Saml, &input.saml_provider_arn)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(vec![("aws:TagKeys".to_owned(), input.tag_keys.clone())])
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        providers::untag(
            cx,
            Provider::Saml,
            &input.saml_provider_arn,
            &input.tag_keys,
        )?;
        Ok(NoOutput)
    }
}
