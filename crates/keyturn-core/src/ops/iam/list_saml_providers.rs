//! `iam:ListSAMLProviders`.

use keyturn_api::iam::{
    ListSAMLProvidersRequest, ListSAMLProvidersResponse, SAMLProviderListEntry,
};

use super::shared;
use crate::engine::view::SamlProviderInfo;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListSAMLProviders` on `*` (no resource type): the account's SAML providers (ARN, expiry
    /// and creation dates), by ARN (IAM does not page this list).
    ListSamlProviders(ListSAMLProvidersRequest) -> ListSAMLProvidersResponse;

    fn run(cx, _) {
        let entry = |p: SamlProviderInfo| SAMLProviderListEntry {
            arn: Some(p.arn),
            create_date: Some(p.create_date),
            valid_until: p.valid_until,
            is_trusted_identity_propagation_enabled: None,
        };
        let saml_provider_list = shared::unpaged(cx, |v| v.saml_providers(), entry)?;
        Ok(ListSAMLProvidersResponse { saml_provider_list })
    }
}
