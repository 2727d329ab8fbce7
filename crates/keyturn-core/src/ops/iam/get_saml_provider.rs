//! `iam:GetSAMLProvider`.

use keyturn_api::iam::{GetSAMLProviderRequest, GetSAMLProviderResponse};

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
        shared::view(cx)?.saml_provider(&input.saml_provider_arn)
    }
}
