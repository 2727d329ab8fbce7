//! `iam:RemoveClientIDFromOpenIDConnectProvider`.

use crate::ops::prelude::*;
use keyturn_api::iam::RemoveClientIDFromOpenIDConnectProviderRequest;

use super::providers;

operation! {
    /// `iam:RemoveClientIDFromOpenIDConnectProvider` on the provider's ARN: removes an audience
    /// (nothing changes if the provider does not have it); tokens for it are refused from the very
    /// next request.
    RemoveClientIdFromOpenIdConnectProvider(RemoveClientIDFromOpenIDConnectProviderRequest)
        -> NoOutput, on providers::oidc_resource(open_id_connect_provider_arn);

    fn run(cx, input) {
        providers::edit_oidc(cx, &input.open_id_connect_provider_arn, |o| {
            let before = o.client_ids.len();
            o.client_ids.retain(|c| c != &input.client_id);
            Ok(o.client_ids.len() != before)
        })
    }
}
