//! `iam:ListSAMLProviderTags`.

use keyturn_api::iam::{ListSAMLProviderTagsRequest, ListSAMLProviderTagsResponse};

use super::providers::{self, Provider};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListSAMLProviderTags` on the provider's ARN: its tags, by key, paged.
    ListSamlProviderTags(ListSAMLProviderTagsRequest) -> ListSAMLProviderTagsResponse;

    fn resource(_, input) { providers::resource(Provider::Saml, &input.saml_provider_arn) }

    fn run(cx, input) {
        let (marker, max) = (input.marker.as_deref(), input.max_items);
        let p = providers::list_tags(cx, Provider::Saml, &input.saml_provider_arn, marker, max)?;
        Ok(ListSAMLProviderTagsResponse {
            tags: providers::tag_list(&p),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
