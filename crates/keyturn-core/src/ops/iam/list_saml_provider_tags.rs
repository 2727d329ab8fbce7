//! `iam:ListSAMLProviderTags`.

use keyturn_api::iam::{ListSAMLProviderTagsRequest, ListSAMLProviderTagsResponse};

use super::providers::{self, Provider};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListSAMLProviderTags` on the provider's ARN: its tags, by key, paged.
#[derive(Debug)]
pub struct ListSamlProviderTags;

impl Operation for ListSamlProviderTags {
    type Input = ListSAMLProviderTagsRequest;
    type Output = ListSAMLProviderTagsResponse;
    const ACTION: Option<&'static str> = Some("iam:ListSAMLProviderTags");

    fn resource(_: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        providers::resource(Provider::Saml, &input.saml_provider_arn)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let (marker, max) = (input.marker.as_deref(), input.max_items);
        let p = providers::list_tags(cx, Provider::Saml, &input.saml_provider_arn, marker, max)?;
        Ok(ListSAMLProviderTagsResponse {
            tags: providers::tag_list(&p),
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
