//! `iam:TagSAMLProvider`.

use crate::ops::prelude::*;
use keyturn_api::iam::TagSAMLProviderRequest;

use super::providers::{self, Provider};
use super::write;

operation! {
    /// `iam:TagSAMLProvider` on the provider's ARN, with the tags as condition keys: adds or
    /// replaces tags (keys ignoring case), at most 50 in all.
    TagSamlProvider(TagSAMLProviderRequest) -> NoOutput;

    fn resource(_, input) { providers::resource(Provider::Saml, &input.saml_provider_arn) }

    fn conditions(_cx, input) { Ok(write::tag_conditions(Some(&input.tags))) }

    fn run(cx, input) {
        providers::tag(cx, Provider::Saml, &input.saml_provider_arn, &input.tags)?;
        Ok(NoOutput)
    }
}
