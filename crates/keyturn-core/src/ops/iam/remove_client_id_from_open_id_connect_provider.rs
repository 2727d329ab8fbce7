//! `iam:RemoveClientIDFromOpenIDConnectProvider`.

use crate::ops::prelude::*;
use keyturn_api::iam::RemoveClientIDFromOpenIDConnectProviderRequest;

use super::providers;
use crate::iam::OidcProvider;

operation! {
    /// `iam:RemoveClientIDFromOpenIDConnectProvider` on the provider's ARN: removes an audience
    /// (nothing changes if the provider does not have it); tokens for it are refused from the very
    /// next request.
    RemoveClientIdFromOpenIdConnectProvider(RemoveClientIDFromOpenIDConnectProviderRequest)
        -> NoOutput, on providers::oidc_resource(open_id_connect_provider_arn);

    fn run(cx, input) {
        let arn = &input.open_id_connect_provider_arn;
        providers::edit::<OidcProvider>(cx, arn, |_, o| {
            let before = o.client_ids.len();
            o.client_ids.retain(|c| c != &input.client_id);
            Ok(o.client_ids.len() != before)
        })
    }
}
