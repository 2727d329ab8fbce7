//! `iam:GetSAMLProvider`.

use keyturn_api::iam::{GetSAMLProviderRequest, GetSAMLProviderResponse, SAMLPrivateKey};

use super::providers;
use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetSAMLProvider` on the provider's ARN: its metadata document, unique id, creation
    /// and expiry dates, tags, encryption mode and private keys' ids (never the keys). A
    /// provider whose metadata the model names by file answers with the file's current text (read
    /// as AssumeRoleWithSAML reads it), or without a document when it cannot be read.
    GetSamlProvider(GetSAMLProviderRequest)
        -> GetSAMLProviderResponse, on providers::saml_resource(saml_provider_arn);

    fn run(cx, input) {
        let p = shared::view(cx)?.saml_provider(&input.saml_provider_arn)?;
        let document = p.metadata_document.or_else(|| {
            p.metadata_file
                .as_ref()
                .and_then(|f| std::fs::read_to_string(f).ok())
        });
        let keys = p
            .private_keys
            .into_iter()
            .map(|(key_id, timestamp)| SAMLPrivateKey {
                key_id: Some(key_id),
                timestamp: Some(timestamp),
            })
            .collect::<Vec<_>>();
        Ok(GetSAMLProviderResponse {
            saml_provider_uuid: p.uuid,
            saml_metadata_document: document,
            create_date: Some(p.create_date),
            valid_until: p.valid_until,
            tags: shared::tags(&p.tags),
            assertion_encryption_mode: p.assertion_encryption_mode,
            private_key_list: (!keys.is_empty()).then_some(keys),
            ..GetSAMLProviderResponse::default()
        })
    }
}
