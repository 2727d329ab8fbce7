//! `iam:UpdateOpenIDConnectProviderThumbprint`.

use crate::ops::prelude::*;
use keyturn_api::iam::UpdateOpenIDConnectProviderThumbprintRequest;

use super::providers;

operation! {
    /// `iam:UpdateOpenIDConnectProviderThumbprint` on the provider's ARN: replaces its thumbprints
    /// (the lists are not merged).
    UpdateOpenIdConnectProviderThumbprint(UpdateOpenIDConnectProviderThumbprintRequest)
        -> NoOutput, on providers::oidc_resource(open_id_connect_provider_arn);

    fn run(cx, input) {
        providers::edit_oidc(cx, &input.open_id_connect_provider_arn, |o| {
            o.thumbprints = providers::thumbprints(Some(&input.thumbprint_list))?;
            Ok(true)
        })
    }
}
