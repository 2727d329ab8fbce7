//! `iam:ListOpenIDConnectProviderTags`.

use keyturn_api::iam::{
    ListOpenIDConnectProviderTagsRequest, ListOpenIDConnectProviderTagsResponse,
};

use super::providers::{self, Provider};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListOpenIDConnectProviderTags` on the provider's ARN: its tags, by key, paged.
    ListOpenIdConnectProviderTags(ListOpenIDConnectProviderTagsRequest) -> ListOpenIDConnectProviderTagsResponse;

    fn resource(_, input) {
        providers::resource(Provider::Oidc, &input.open_id_connect_provider_arn)
    }

    fn run(cx, input) {
        let (marker, max) = (input.marker.as_deref(), input.max_items);
        let p = providers::list_tags(
            cx,
            Provider::Oidc,
            &input.open_id_connect_provider_arn,
            marker,
            max,
        )?;
        Ok(ListOpenIDConnectProviderTagsResponse {
            tags: providers::tag_list(&p),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
