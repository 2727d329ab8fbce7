//! `iam:UpdateSAMLProvider`.

use keyturn_api::iam::{UpdateSAMLProviderRequest, UpdateSAMLProviderResponse};

use super::providers;

use crate::iam::SamlProvider;
use crate::ops::prelude::*;

operation! {
    /// `iam:UpdateSAMLProvider` on the provider's ARN: new metadata (checked as CreateSAMLProvider
    /// checks it; AssumeRoleWithSAML verifies against it from the very next request), encryption
    /// mode, a private key added or removed.
    UpdateSamlProvider(UpdateSAMLProviderRequest)
        -> UpdateSAMLProviderResponse, on providers::saml_resource(saml_provider_arn);

    fn run(cx, input) {
        providers::no_identity_center(
            input.context_provider.is_some()
                || input.identity_center_instance_arn.is_some()
                || input.remove_context_provider == Some(true)
                || input.remove_identity_center_instance == Some(true),
        )?;
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
            Ok(true)
        })?;
        Ok(UpdateSAMLProviderResponse {
            saml_provider_arn: Some(input.saml_provider_arn),
        })
    }
}
