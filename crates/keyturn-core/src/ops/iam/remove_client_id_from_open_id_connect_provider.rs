//! `iam:RemoveClientIDFromOpenIDConnectProvider`.

use crate::ops::prelude::*;
use keyturn_api::iam::RemoveClientIDFromOpenIDConnectProviderRequest;

use super::providers::{self, Provider};
use super::write;
use crate::iam::Entity;

operation! {
    /// `iam:RemoveClientIDFromOpenIDConnectProvider` on the provider's ARN: removes an audience
    /// (nothing changes if the provider does not have it); tokens for it are refused from the very
    /// next request.
    RemoveClientIdFromOpenIdConnectProvider(RemoveClientIDFromOpenIDConnectProviderRequest) -> NoOutput;

    fn resource(_, input) {
        providers::resource(Provider::Oidc, &input.open_id_connect_provider_arn)
    }

    fn run(cx, input) {
        write::change(cx, |p| {
            let mut o = providers::oidc(p, &input.open_id_connect_provider_arn)?;
            if !o.client_ids.contains(&input.client_id) {
                return Ok(());
            }
            o.client_ids.retain(|c| c != &input.client_id);
            p.put(Entity::OidcProvider(o));
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
