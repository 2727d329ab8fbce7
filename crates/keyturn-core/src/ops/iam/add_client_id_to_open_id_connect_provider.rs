//! `iam:AddClientIDToOpenIDConnectProvider`.

use crate::ops::prelude::*;
use keyturn_api::iam::AddClientIDToOpenIDConnectProviderRequest;

use super::providers;

operation! {
    /// `iam:AddClientIDToOpenIDConnectProvider` on the provider's ARN: adds an audience (nothing
    /// changes if the provider has it).
    AddClientIdToOpenIdConnectProvider(AddClientIDToOpenIDConnectProviderRequest)
        -> NoOutput, on providers::oidc_resource(open_id_connect_provider_arn);

    fn run(cx, input) {
        providers::edit_oidc(cx, &input.open_id_connect_provider_arn, |o| {
            if o.client_ids.contains(&input.client_id) {
                return Ok(false);
            }
            providers::client_ids_fit(o.client_ids.len() + 1)?;
            o.client_ids.push(input.client_id.clone());
            Ok(true)
        })
    }
}
