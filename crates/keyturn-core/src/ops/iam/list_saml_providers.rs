//! `iam:ListSAMLProviders`.

use keyturn_api::iam::{ListSAMLProvidersRequest, ListSAMLProvidersResponse};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListSAMLProviders` on `*` (no resource type): the account's SAML providers (ARN, expiry
    /// and creation dates), by ARN (IAM does not page this list).
    ListSamlProviders(ListSAMLProvidersRequest) -> ListSAMLProvidersResponse;

    fn run(cx, _) {
        let saml_provider_list =
            shared::unpaged(cx, |v| v.saml_providers(), std::convert::identity)?;
        Ok(ListSAMLProvidersResponse { saml_provider_list })
    }
}
