//! `iam:ListOpenIDConnectProviderTags`.

use keyturn_api::iam::{
    ListOpenIDConnectProviderTagsRequest, ListOpenIDConnectProviderTagsResponse,
};

use super::providers::{self, Provider};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListOpenIDConnectProviderTags` on the provider's ARN: its tags, by key, paged.
#[derive(Debug)]
pub struct ListOpenIdConnectProviderTags;

impl Operation for ListOpenIdConnectProviderTags {
    type Input = ListOpenIDConnectProviderTagsRequest;
    type Output = ListOpenIDConnectProviderTagsResponse;
    const ACTION: Option<&'static str> = Some("iam:ListOpenIDConnectProviderTags");

    fn resource(_: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        providers::resource(Provider::Oidc, &input.open_id_connect_provider_arn)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
