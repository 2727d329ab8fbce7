//! `iam:UpdateSAMLProvider`.

use keyturn_api::iam::{UpdateSAMLProviderRequest, UpdateSAMLProviderResponse};

use super::providers;

use crate::iam::SamlProvider;
use crate::ops::prelude::*;

operation! {
    /// `iam:UpdateSAMLProvider` on the provider's ARN: new metadata (checked as CreateSAMLProvider
    /// checks it; AssumeRoleWithSAML verifies against it from the very next request), encryption
    /// mode, a private key added or removed; or its context provider set or removed (not both
    /// kinds of change in one request, as IAM answers).
    UpdateSamlProvider(UpdateSAMLProviderRequest)
        -> UpdateSAMLProviderResponse, on providers::saml_resource(saml_provider_arn);

    fn run(cx, input) {
        let context = providers::ContextChange::of(
            input.context_provider.as_ref(),
            input.remove_context_provider,
            input.identity_center_instance_arn.as_deref(),
        )?;
        let metadata = input.saml_metadata_document.is_some()
            || input.assertion_encryption_mode.is_some()
            || input.add_private_key.is_some()
            || input.remove_private_key.is_some();
        if context.changes() && metadata {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "A single request can change either the context provider or the provider metadata, not both.",
            ));
        }
        providers::edit::<SamlProvider>(cx, &input.saml_provider_arn, |p, s| {
            if let Some(document) = &input.saml_metadata_document {
                s.valid_until = Some(providers::metadata(document, p.now)?);
                s.metadata = Some(document.clone());
                s.metadata_file = None;
            }
            providers::encryption(
                s,
                input.assertion_encryption_mode.as_deref(),
                input.add_private_key.as_ref(),
                input.remove_private_key.as_deref(),
                p.now,
            )?;
            context.clone().apply(&mut s.context_provider);
            Ok(true)
        })?;
        Ok(UpdateSAMLProviderResponse {
            saml_provider_arn: Some(input.saml_provider_arn),
        })
    }
}
