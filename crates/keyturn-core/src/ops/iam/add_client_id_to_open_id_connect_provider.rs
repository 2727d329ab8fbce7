//! `iam:AddClientIDToOpenIDConnectProvider`.

use keyturn_api::NoOutput;
use keyturn_api::iam::AddClientIDToOpenIDConnectProviderRequest;

use super::providers::{self, Provider};
use super::write;
use crate::Error;
use crate::iam::Entity;
use crate::ops::{Context, Operation};

/// `iam:AddClientIDToOpenIDConnectProvider` on the provider's ARN: adds an audience (nothing
/// changes if the provider has it).
#[derive(Debug)]
pub struct AddClientIdToOpenIdConnectProvider;

impl Operation for AddClientIdToOpenIdConnectProvider {
    type Input = AddClientIDToOpenIDConnectProviderRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:AddClientIDToOpenIDConnectProvider");

    fn resource(_: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        providers::resource(Provider::Oidc, &input.open_id_connect_provider_arn)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        write::change(cx, |p| {
            let mut o = providers::oidc(p, &input.open_id_connect_provider_arn)?;
            if o.client_ids.contains(&input.client_id) {
                return Ok(());
            }
            providers::client_ids_fit(o.client_ids.len() + 1)?;
            o.client_ids.push(input.client_id.clone());
            p.put(Entity::OidcProvider(o));
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
