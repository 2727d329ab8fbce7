//! `iam:UpdateOpenIDConnectProviderThumbprint`.

use keyturn_api::NoOutput;
use keyturn_api::iam::UpdateOpenIDConnectProviderThumbprintRequest;

use super::providers::{self, Provider};
use super::write;
use crate::Error;
use crate::iam::Entity;
use crate::ops::{Context, Operation};

/// `iam:UpdateOpenIDConnectProviderThumbprint` on the provider's ARN: replaces its thumbprints
/// (the lists are not merged).
#[derive(Debug)]
pub struct UpdateOpenIdConnectProviderThumbprint;

impl Operation for UpdateOpenIdConnectProviderThumbprint {
    type Input = UpdateOpenIDConnectProviderThumbprintRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:UpdateOpenIDConnectProviderThumbprint");

    fn resource(_: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        providers::resource(Provider::Oidc, &input.open_id_connect_provider_arn)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        write::change(cx, |p| {
            let mut o = providers::oidc(p, &input.open_id_connect_provider_arn)?;
            o.thumbprints = providers::thumbprints(Some(&input.thumbprint_list))?;
            p.put(Entity::OidcProvider(o));
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
