//! `iam:CreateSAMLProvider`.

use keyturn_api::iam::{CreateSAMLProviderRequest, CreateSAMLProviderResponse};

use super::providers::{self, quota};
use super::write::{self, Named};
use crate::iam::{Entity, SamlProvider};
use crate::ops::prelude::*;

operation! {
    /// `iam:CreateSAMLProvider` on the new provider's ARN
    /// (`arn:aws:iam::ACCOUNT:saml-provider/NAME`), with the request's tags as condition keys: a
    /// SAML provider whose metadata IAM accepts, trusted by AssumeRoleWithSAML from the very next
    /// request, with its context provider (trusted identity propagation) when given.
    CreateSamlProvider(CreateSAMLProviderRequest) -> CreateSAMLProviderResponse,
        when write::requested_tags(tags);

    fn resource(cx, input) {
        Ok(format!(
            "arn:aws:iam::{}:saml-provider/{}",
            cx.caller()?.account,
            input.name
        ))
    }

    fn run(cx, input) {
        let plan = |p: &write::Plan<'_>| {
            let a = p.account;
            let names = a.saml_providers.iter().map(Named::name);
            if write::taken(names, &input.name) {
                return Err(write::already_exists("SAMLProvider", &input.name));
            }
            providers::no_identity_center(input.identity_center_instance_arn.as_deref())?;
            let context_provider = providers::context_provider(input.context_provider.as_ref())?;
            write::within(a.saml_providers.len(), quota::SAML_PROVIDERS)?;
            let mut provider = SamlProvider {
                name: input.name.clone(),
                valid_until: Some(providers::metadata(&input.saml_metadata_document, p.now)?),
                metadata: Some(input.saml_metadata_document.clone()),
                tags: write::tags(input.tags.as_deref(), &Default::default())?,
                uuid: Some(uuid::Uuid::new_v4().simple().to_string().to_uppercase()),
                context_provider,
                ..SamlProvider::default()
            };
            providers::encryption(
                &mut provider,
                input.assertion_encryption_mode.as_deref(),
                input.add_private_key.as_ref(),
                None,
                p.now,
            )?;
            Ok((provider.arn(&a.id), Entity::SamlProvider(provider)))
        };
        write::create(cx, plan, |v, arn| {
            Ok(CreateSAMLProviderResponse {
                tags: v.saml_provider(&arn)?.tags,
                saml_provider_arn: Some(arn),
            })
        })
    }
}
