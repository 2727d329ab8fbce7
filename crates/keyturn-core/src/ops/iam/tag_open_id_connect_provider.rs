//! `iam:TagOpenIDConnectProvider`.

use crate::ops::prelude::*;
use keyturn_api::iam::TagOpenIDConnectProviderRequest;

use super::providers::{self, Provider};
use super::write;

operation! {
    /// `iam:TagOpenIDConnectProvider` on the provider's ARN, with the tags as condition keys: adds or
    /// replaces tags (keys ignoring case), at most 50 in all.
    TagOpenIdConnectProvider(TagOpenIDConnectProviderRequest) -> NoOutput;

    fn resource(_, input) {
        providers::resource(Provider::Oidc, &input.open_id_connect_provider_arn)
    }

    fn conditions(_cx, input) { Ok(write::tag_conditions(Some(&input.tags))) }

    fn run(cx, input) {
        providers::tag(
            cx,
            Provider::Oidc,
            &input.open_id_connect_provider_arn,
            &input.tags,
        )?;
        Ok(NoOutput)
    }
}
