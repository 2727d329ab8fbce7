//! Tagging of workload identity providers and templates: `Tag…`, `Untag…` and `List…Tags`
//! of each, declared by one macro over the generic retagging and reading functions of
//! [`super::workload_identity`].
//!
//! These entities' tag rules differ from the older IAM entities': keys are case sensitive (a
//! key replaces only its exact match, and two keys that differ only in case are refused),
//! `aws:` keys are reserved, and untagging removes exact keys only.

use keyturn_api::iam::{
    ListWorkloadIdentityProviderTagsRequest, ListWorkloadIdentityProviderTagsResponse,
    ListWorkloadIdentityTemplateTagsRequest, ListWorkloadIdentityTemplateTagsResponse,
    TagWorkloadIdentityProviderRequest, TagWorkloadIdentityTemplateRequest,
    UntagWorkloadIdentityProviderRequest, UntagWorkloadIdentityTemplateRequest,
};

use super::workload_identity as wi;
use super::{admin, shared, write};
use crate::engine::view::tag_list;
use crate::iam::{WorkloadIdentityProvider, WorkloadIdentityTemplate};
use crate::ops::prelude::*;

/// Declares the three tagging operations of a workload identity entity: its name in the docs,
/// its type, the request member holding its ARN and the `on` function, then the operations.
macro_rules! workload_tagging {
    (
        $what:literal, $t:ty, $field:ident, $on:path,
        $tag:ident($tag_in:ty), $untag:ident($untag_in:ty), $list:ident($list_in:ty) -> $list_out:ident
    ) => {
        $crate::ops::operation! {
            #[doc = concat!("`iam:", stringify!($tag), "` on ", $what, "'s ARN, with \
`aws:RequestTag/…` and `aws:TagKeys`: adds tags, replacing those with the same key.")]
            $tag($tag_in) -> NoOutput;

            fn resource(cx, input) { $on(cx, &input.$field) }

            fn conditions(_cx, input) { Ok(write::tag_conditions(Some(&input.tags))) }

            fn run(cx, input) {
                wi::retag::<$t>(cx, &input.$field, |existing| wi::tags(&input.tags, existing))?;
                Ok(NoOutput)
            }
        }

        $crate::ops::operation! {
            #[doc = concat!("`iam:", stringify!($untag), "` on ", $what, "'s ARN, with \
`aws:TagKeys`: removes the tags with these keys (exactly).")]
            $untag($untag_in) -> NoOutput;

            fn resource(cx, input) { $on(cx, &input.$field) }

            fn conditions(_cx, input) { Ok(admin::tag_keys_condition(&input.tag_keys)) }

            fn run(cx, input) {
                wi::retag::<$t>(cx, &input.$field, |existing| {
                    let mut out = existing.clone();
                    out.retain(|k, _| !input.tag_keys.contains(k));
                    Ok(out)
                })?;
                Ok(NoOutput)
            }
        }

        $crate::ops::operation! {
            #[doc = concat!("`iam:", stringify!($list), "` on ", $what, "'s ARN: its tags, by \
key.")]
            $list($list_in) -> $list_out;

            fn resource(cx, input) { $on(cx, &input.$field) }

            fn run(cx, input) {
                let tags = tag_list(&wi::tags_of::<$t>(cx, &input.$field)?);
                shared::paged(tags, &input, std::convert::identity)
            }
        }
    };
}

workload_tagging!(
    "the workload identity provider",
    WorkloadIdentityProvider, workload_identity_provider_arn, wi::provider_on,
    TagWorkloadIdentityProvider(TagWorkloadIdentityProviderRequest),
    UntagWorkloadIdentityProvider(UntagWorkloadIdentityProviderRequest),
    ListWorkloadIdentityProviderTags(ListWorkloadIdentityProviderTagsRequest)
        -> ListWorkloadIdentityProviderTagsResponse
);
workload_tagging!(
    "the workload identity template",
    WorkloadIdentityTemplate, workload_identity_template_arn, wi::template_on,
    TagWorkloadIdentityTemplate(TagWorkloadIdentityTemplateRequest),
    UntagWorkloadIdentityTemplate(UntagWorkloadIdentityTemplateRequest),
    ListWorkloadIdentityTemplateTags(ListWorkloadIdentityTemplateTagsRequest)
        -> ListWorkloadIdentityTemplateTagsResponse
);
