//! `iam:UpdateOpenIDConnectProviderThumbprint`.

use crate::ops::prelude::*;
use keyturn_api::iam::UpdateOpenIDConnectProviderThumbprintRequest;

use super::providers::{self, Provider};
use super::write;
use crate::iam::Entity;

operation! {
    /// `iam:UpdateOpenIDConnectProviderThumbprint` on the provider's ARN: replaces its thumbprints
    /// (the lists are not merged).
    UpdateOpenIdConnectProviderThumbprint(UpdateOpenIDConnectProviderThumbprintRequest) -> NoOutput;

    fn resource(_, input) {
        providers::resource(Provider::Oidc, &input.open_id_connect_provider_arn)
    }

    fn run(cx, input) {
        write::change(cx, |p| {
            let mut o = providers::oidc(p, &input.open_id_connect_provider_arn)?;
            o.thumbprints = providers::thumbprints(Some(&input.thumbprint_list))?;
            p.put(Entity::OidcProvider(o));
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
