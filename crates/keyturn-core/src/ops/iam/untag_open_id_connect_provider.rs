//! `iam:UntagOpenIDConnectProvider`.

use keyturn_api::NoOutput;
use keyturn_api::iam::UntagOpenIDConnectProviderRequest;

use super::providers::{self, Provider};
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:UntagOpenIDConnectProvider` on the provider's ARN, with `aws:TagKeys`: removes the tags of the
/// keys (ignoring case); keys it does not have are ignored.
#[derive(Debug)]
pub struct UntagOpenIdConnectProvider;

impl Operation for UntagOpenIdConnectProvider {
    type Input = UntagOpenIDConnectProviderRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:UntagOpenIDConnectProvider");

    fn resource(_: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        providers::resource(Provider::Oidc, &input.open_id_connect_provider_arn)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(vec![("aws:TagKeys".to_owned(), input.tag_keys.clone())])
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        providers::untag(
            cx,
            Provider::Oidc,
            &input.open_id_connect_provider_arn,
            &input.tag_keys,
        )?;
        Ok(NoOutput)
    }
}
