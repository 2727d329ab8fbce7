//! `iam:UntagOpenIDConnectProvider`.

use crate::ops::prelude::*;
use keyturn_api::iam::UntagOpenIDConnectProviderRequest;

use super::providers::{self, Provider};

operation! {
    /// `iam:UntagOpenIDConnectProvider` on the provider's ARN, with `aws:TagKeys`: removes the tags of the
    /// keys (ignoring case); keys it does not have are ignored.
    UntagOpenIdConnectProvider(UntagOpenIDConnectProviderRequest) -> NoOutput;

    fn resource(_, input) {
        providers::resource(Provider::Oidc, &input.open_id_connect_provider_arn)
    }

    fn conditions(_cx, input) { Ok(vec![("aws:TagKeys".to_owned(), input.tag_keys.clone())]) }

    fn run(cx, input) {
        providers::untag(
            cx,
            Provider::Oidc,
            &input.open_id_connect_provider_arn,
            &input.tag_keys,
        )?;
        Ok(NoOutput)
    }
}
