//! `iam:GetOpenIDConnectProvider`.

use keyturn_api::iam::{GetOpenIDConnectProviderRequest, GetOpenIDConnectProviderResponse};

use super::providers;
use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetOpenIDConnectProvider` on the provider's ARN: its URL (without the scheme, as IAM
    /// returns it), audiences, thumbprints, creation date and tags.
    GetOpenIdConnectProvider(GetOpenIDConnectProviderRequest) -> GetOpenIDConnectProviderResponse,
        on providers::oidc_resource(open_id_connect_provider_arn);

    fn run(cx, input) {
        shared::view(cx)?.oidc_provider(&input.open_id_connect_provider_arn)
    }
}
