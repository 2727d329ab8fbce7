//! `iam:RemoveClientIDFromOpenIDConnectProvider`.

use keyturn_api::NoOutput;
use keyturn_api::iam::RemoveClientIDFromOpenIDConnectProviderRequest;

use super::providers::{self, Provider};
use super::write;
use crate::Error;
use crate::iam::Entity;
use crate::ops::{Context, Operation};

/// `iam:RemoveClientIDFromOpenIDConnectProvider` on the provider's ARN: removes an audience
/// (nothing changes if the provider does not have it); tokens for it are refused from the very
/// next request.
#[derive(Debug)]
pub struct RemoveClientIdFromOpenIdConnectProvider;

impl Operation for RemoveClientIdFromOpenIdConnectProvider {
    type Input = RemoveClientIDFromOpenIDConnectProviderRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:RemoveClientIDFromOpenIDConnectProvider");

    fn resource(_: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        providers::resource(Provider::Oidc, &input.open_id_connect_provider_arn)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
