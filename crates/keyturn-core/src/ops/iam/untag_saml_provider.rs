//! `iam:UntagSAMLProvider`.

use crate::ops::prelude::*;
use keyturn_api::iam::UntagSAMLProviderRequest;

use super::providers::{self, Provider};

operation! {
    /// `iam:UntagSAMLProvider` on the provider's ARN, with `aws:TagKeys`: removes the tags of the
    /// keys (ignoring case); keys it does not have are ignored.
    UntagSamlProvider(UntagSAMLProviderRequest) -> NoOutput;

    fn resource(_, input) { providers::resource(Provider::Saml, &input.saml_provider_arn) }

    fn conditions(_cx, input) { Ok(vec![("aws:TagKeys".to_owned(), input.tag_keys.clone())]) }

    fn run(cx, input) {
        providers::untag(
            cx,
            Provider::Saml,
            &input.saml_provider_arn,
            &input.tag_keys,
        )?;
        Ok(NoOutput)
    }
}
