//! `iam:ListServerCertificateTags`.

use keyturn_api::iam::{ListServerCertificateTagsRequest, ListServerCertificateTagsResponse};

use super::{certificates, instance_profiles, shared};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ListServerCertificateTags` on the certificate's ARN: its tags by key, paged.
#[derive(Debug)]
pub struct ListServerCertificateTags;

impl Operation for ListServerCertificateTags {
    type Input = ListServerCertificateTagsRequest;
    type Output = ListServerCertificateTagsResponse;
    const ACTION: Option<&'static str> = Some("iam:ListServerCertificateTags");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        certificates::server_arn(cx, &input.server_certificate_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let (_, c) = certificates::server_certificate(cx, &input.server_certificate_name)?;
        let tags = instance_profiles::tag_list(&c.tags).unwrap_or_default();
        let p = shared::page(tags, input.marker.as_deref(), input.max_items)?;
        Ok(ListServerCertificateTagsResponse {
            tags: p.items,
            is_truncated: Some(p.is_truncated),
            marker: p.marker,
        })
    }
}
