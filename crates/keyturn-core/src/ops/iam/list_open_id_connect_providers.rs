//! `iam:ListOpenIDConnectProviders`.

use keyturn_api::iam::{
    ListOpenIDConnectProvidersRequest, ListOpenIDConnectProvidersResponse,
    OpenIDConnectProviderListEntry,
};

use super::shared;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListOpenIDConnectProviders` on `*` (no resource type): the ARNs of the account's OIDC
/// providers, sorted (IAM does not page this list).
#[derive(Debug)]
pub struct ListOpenIdConnectProviders;

impl Operation for ListOpenIdConnectProviders {
    type Input = ListOpenIDConnectProvidersRequest;
    type Output = ListOpenIDConnectProvidersResponse;
    const ACTION: Option<&'static str> = Some("iam:ListOpenIDConnectProviders");

    fn run(cx: &Context<'_>, _: Self::Input) -> Result<Self::Output, Error> {
        let v = shared::view(cx)?;
        Ok(ListOpenIDConnectProvidersResponse {
            open_id_connect_provider_list: Some(
                v.oidc_provider_arns()
                    .into_iter()
                    .map(|arn| OpenIDConnectProviderListEntry {
                        arn: Some(arn),
                        is_trusted_identity_propagation_enabled: None,
                    })
                    .collect(),
            ),
        })
    }
}
