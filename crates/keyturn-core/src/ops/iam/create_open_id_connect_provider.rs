//! `iam:CreateOpenIDConnectProvider`.

use keyturn_api::iam::{CreateOpenIDConnectProviderRequest, CreateOpenIDConnectProviderResponse};

use super::providers::{self, quota};
use super::write;
use crate::iam::{Entity, OidcProvider};
use crate::ops::prelude::*;

operation! {
    /// `iam:CreateOpenIDConnectProvider` on the new provider's ARN
    /// (`arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH`), with the request's tags as condition keys:
    /// an OIDC provider that AssumeRoleWithWebIdentity trusts from the very next request, with
    /// its context provider (trusted identity propagation) when given.
    CreateOpenIdConnectProvider(CreateOpenIDConnectProviderRequest)
        -> CreateOpenIDConnectProviderResponse, when write::requested_tags(tags);

    fn resource(cx, input) { providers::oidc_arn(&cx.caller()?.account, &input.url) }

    fn run(cx, input) {
        providers::no_identity_center(input.identity_center_instance_arn.as_deref())?;
        let context_provider = providers::context_provider(input.context_provider.as_ref())?;
        let plan = |p: &write::Plan<'_>| {
            let a = p.account;
            let arn = providers::oidc_arn(&a.id, &input.url)?;
            let thumbprints = providers::thumbprints(input.thumbprint_list.as_deref())?;
            let mut client_ids: Vec<String> = Vec::new();
            for id in input.client_id_list.iter().flatten() {
                if !client_ids.contains(id) {
                    client_ids.push(id.clone());
                }
            }
            providers::client_ids_fit(client_ids.len())?;
            let exists = a.oidc_providers.iter().any(|o| o.arn(&a.id) == arn);
            let url = &input.url;
            let duplicate = || write::exists(format!("Provider with url {url} already exists."));
            write::admit(exists, duplicate, a.oidc_providers.len(), quota::OIDC_PROVIDERS)?;
            let provider = OidcProvider {
                url: input.url.clone(),
                client_ids,
                thumbprints,
                tags: write::tags(input.tags.as_deref(), &Default::default())?,
                context_provider: context_provider.clone(),
                ..OidcProvider::default()
            };
            Ok((arn, Entity::OidcProvider(provider)))
        };
        write::create(cx, plan, |v, arn| {
            Ok(CreateOpenIDConnectProviderResponse {
                tags: v.oidc_provider(&arn)?.tags,
                open_id_connect_provider_arn: Some(arn),
            })
        })
    }
}
