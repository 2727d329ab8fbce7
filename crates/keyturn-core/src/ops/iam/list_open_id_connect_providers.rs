//! `iam:ListOpenIDConnectProviders`.

use keyturn_api::iam::{
    ListOpenIDConnectProvidersRequest, ListOpenIDConnectProvidersResponse,
    OpenIDConnectProviderListEntry,
};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListOpenIDConnectProviders` on `*` (no resource type): the ARNs of the account's OIDC
    /// providers, sorted (IAM does not page this list).
    ListOpenIdConnectProviders(ListOpenIDConnectProvidersRequest)
        -> ListOpenIDConnectProvidersResponse;

    fn run(cx, _) {
        let entry = |arn| OpenIDConnectProviderListEntry {
            arn: Some(arn),
            is_trusted_identity_propagation_enabled: None,
        };
        let list = shared::unpaged(cx, |v| v.oidc_provider_arns(), entry)?;
        Ok(ListOpenIDConnectProvidersResponse {
            open_id_connect_provider_list: list,
        })
    }
}
