//! Tagging: `Tag…`, `Untag…` and `List…Tags` of users, roles, managed policies, instance
//! profiles, OIDC and SAML providers and server certificates. One implementation of each verb
//! over [`Tagged`] (the per-kind differences: how the resource is named and authorized, where
//! its tags are stored), and the three operations of each kind, declared by one macro
//! ([`tagging`]).
//!
//! As IAM: tagging adds tags, replacing those with the same key (ignoring case), at most 50, and
//! is authorized with `aws:RequestTag/…` and `aws:TagKeys`; untagging removes the tags of the
//! keys (ignoring case; keys the resource does not have are ignored), authorized with
//! `aws:TagKeys`; listing pages the tags by key. An unknown resource is `NoSuchEntity` with
//! its kind's text.

use keyturn_api::iam::{
    ListInstanceProfileTagsRequest, ListInstanceProfileTagsResponse,
    ListOpenIDConnectProviderTagsRequest, ListOpenIDConnectProviderTagsResponse,
    ListPolicyTagsRequest, ListPolicyTagsResponse, ListRoleTagsRequest, ListRoleTagsResponse,
    ListSAMLProviderTagsRequest, ListSAMLProviderTagsResponse, ListServerCertificateTagsRequest,
    ListServerCertificateTagsResponse, ListUserTagsRequest, ListUserTagsResponse, Tag,
    TagInstanceProfileRequest, TagOpenIDConnectProviderRequest, TagPolicyRequest, TagRoleRequest,
    TagSAMLProviderRequest, TagServerCertificateRequest, TagUserRequest,
    UntagInstanceProfileRequest, UntagOpenIDConnectProviderRequest, UntagPolicyRequest,
    UntagRoleRequest, UntagSAMLProviderRequest, UntagServerCertificateRequest, UntagUserRequest,
};

use super::paging::{PageRequest, Paged};
use super::shared::{self, Kind};
use super::write;
use super::{admin, certificates, instance_profiles, providers};
use crate::iam::{Entity, Tags};
use crate::ops::prelude::*;

/// A taggable resource of the caller's account, as its requests name it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Tagged<'a> {
    /// A user, by name.
    User(&'a str),
    /// A role, by name.
    Role(&'a str),
    /// A managed policy, by ARN.
    Policy(&'a str),
    /// An instance profile, by name.
    InstanceProfile(&'a str),
    /// An OIDC provider, by ARN.
    Oidc(&'a str),
    /// A SAML provider, by ARN.
    Saml(&'a str),
    /// A server certificate, by name.
    ServerCertificate(&'a str),
}

impl Tagged<'_> {
    /// The ARN the action is authorized on.
    ///
    /// # Errors
    /// `InvalidInput` for an ARN of another kind (policies, providers).
    pub(crate) fn resource(self, cx: &Context<'_>) -> Result<String, Error> {
        match self {
            Self::User(name) => shared::entity_arn(cx, Kind::User, name),
            Self::Role(name) => shared::entity_arn(cx, Kind::Role, name),
            Self::Policy(arn) => admin::policy_resource(arn),
            Self::InstanceProfile(name) => instance_profiles::arn(cx, name),
            Self::Oidc(arn) => providers::resource(providers::Provider::Oidc, arn),
            Self::Saml(arn) => providers::resource(providers::Provider::Saml, arn),
            Self::ServerCertificate(name) => shared::server_certificate_arn(cx, name),
        }
    }

    /// Replaces the resource's tags with `edit` of them and commits.
    fn retag(
        self,
        cx: &Context<'_>,
        edit: impl Fn(&Tags) -> Result<Tags, Error>,
    ) -> Result<(), Error> {
        let set = |tags: &mut Tags| -> Result<(), Error> {
            *tags = edit(tags)?;
            Ok(())
        };
        match self {
            Self::User(name) => {
                write::change(cx, |p| {
                    let mut user = write::user_in(p, name)?.clone();
                    let before = user.tags.clone();
                    set(&mut user.tags)?;
                    if user.tags != before {
                        p.put(Entity::User(user));
                    }
                    Ok(())
                })?;
            }
            Self::Role(name) => admin::edit_role(cx, name, |_, r| set(&mut r.tags)).map(drop)?,
            Self::Policy(arn) => admin::edit_policy(cx, arn, |_, m| set(&mut m.tags)).map(drop)?,
            Self::InstanceProfile(name) => {
                instance_profiles::update(cx, name, |_, p| set(&mut p.tags))?
            }
            Self::Oidc(arn) => providers::retag(cx, providers::Provider::Oidc, arn, &edit)?,
            Self::Saml(arn) => providers::retag(cx, providers::Provider::Saml, arn, &edit)?,
            Self::ServerCertificate(name) => {
                certificates::update_server(cx, name, |_, c| set(&mut c.tags))?
            }
        }
        Ok(())
    }

    /// `Tag…`: adds `tags`, replacing those with the same key (ignoring case).
    ///
    /// # Errors
    /// `NoSuchEntity`; as [`write::tags`].
    pub(crate) fn tag(self, cx: &Context<'_>, tags: &[Tag]) -> Result<NoOutput, Error> {
        self.retag(cx, |existing| write::tags(Some(tags), existing))?;
        Ok(NoOutput)
    }

    /// `Untag…`: removes the tags of `keys` (ignoring case).
    ///
    /// # Errors
    /// `NoSuchEntity`.
    pub(crate) fn untag(self, cx: &Context<'_>, keys: &[String]) -> Result<NoOutput, Error> {
        self.retag(cx, |existing| {
            let mut out = existing.clone();
            admin::untag(&mut out, keys);
            Ok(out)
        })?;
        Ok(NoOutput)
    }

    /// `List…Tags`: the tags by key, paged, as response `R`.
    ///
    /// # Errors
    /// `InvalidInput`, `NoSuchEntity`; a bad marker.
    pub(crate) fn list<R: Paged<Item = Tag>>(
        self,
        cx: &Context<'_>,
        request: &impl PageRequest,
    ) -> Result<R, Error> {
        let v = || shared::view(cx);
        let tags = match self {
            Self::User(name) => v()?.user_tags(name)?,
            Self::Role(name) => v()?.role_tags(name)?,
            Self::Policy(arn) => v()?.policy(arn)?.tags,
            Self::InstanceProfile(name) => v()?.instance_profile(name)?.tags,
            Self::Oidc(arn) => v()?.oidc_provider(arn)?.tags,
            Self::Saml(arn) => v()?.saml_provider(arn)?.tags,
            Self::ServerCertificate(name) => {
                let (_, c) = certificates::server_certificate(cx, name)?;
                let tags = instance_profiles::tag_list(&c.tags).unwrap_or_default();
                return shared::paged(tags, request, |t| t);
            }
        };
        shared::paged(tags, request, |t| Tag {
            key: t.key,
            value: t.value,
        })
    }
}

/// Declares the three tagging operations of a kind of resource over [`Tagged`]:
/// `tagging!("the role", Role(role_name), TagRole(TagRoleRequest), UntagRole(UntagRoleRequest),
/// ListRoleTags(ListRoleTagsRequest) -> ListRoleTagsResponse)`, where `Role` is the [`Tagged`]
/// variant and `role_name` the requests' member that names the resource.
macro_rules! tagging {
    (
        $what:literal, $kind:ident($field:ident),
        $tag:ident($tag_in:ty), $untag:ident($untag_in:ty), $list:ident($list_in:ty) -> $list_out:ident
    ) => {
        $crate::ops::operation! {
            #[doc = concat!("`iam:", stringify!($tag), "` on ", $what, "'s ARN, with \
`aws:RequestTag/…` and `aws:TagKeys`: adds tags, replacing those with the same \
key (ignoring case); at most 50.")]
            $tag($tag_in) -> NoOutput;

            fn resource(cx, input) { Tagged::$kind(&input.$field).resource(cx) }

            fn conditions(_cx, input) { Ok(write::tag_conditions(Some(&input.tags))) }

            fn run(cx, input) { Tagged::$kind(&input.$field).tag(cx, &input.tags) }
        }

        $crate::ops::operation! {
            #[doc = concat!("`iam:", stringify!($untag), "` on ", $what, "'s ARN, with \
`aws:TagKeys`: removes the tags with these keys.")]
            $untag($untag_in) -> NoOutput;

            fn resource(cx, input) { Tagged::$kind(&input.$field).resource(cx) }

            fn conditions(_cx, input) { Ok(admin::tag_keys_condition(&input.tag_keys)) }

            fn run(cx, input) { Tagged::$kind(&input.$field).untag(cx, &input.tag_keys) }
        }

        $crate::ops::operation! {
            #[doc = concat!("`iam:", stringify!($list), "` on ", $what, "'s ARN: its tags, by \
key.")]
            $list($list_in) -> $list_out;

            fn resource(cx, input) { Tagged::$kind(&input.$field).resource(cx) }

            fn run(cx, input) {
                Tagged::$kind(&input.$field).list(cx, &input)
            }
        }
    };
}

tagging!(
    "the user", User(user_name),
    TagUser(TagUserRequest), UntagUser(UntagUserRequest),
    ListUserTags(ListUserTagsRequest) -> ListUserTagsResponse
);
tagging!(
    "the role", Role(role_name),
    TagRole(TagRoleRequest), UntagRole(UntagRoleRequest),
    ListRoleTags(ListRoleTagsRequest) -> ListRoleTagsResponse
);
tagging!(
    "the managed policy", Policy(policy_arn),
    TagPolicy(TagPolicyRequest), UntagPolicy(UntagPolicyRequest),
    ListPolicyTags(ListPolicyTagsRequest) -> ListPolicyTagsResponse
);
tagging!(
    "the instance profile", InstanceProfile(instance_profile_name),
    TagInstanceProfile(TagInstanceProfileRequest),
    UntagInstanceProfile(UntagInstanceProfileRequest),
    ListInstanceProfileTags(ListInstanceProfileTagsRequest) -> ListInstanceProfileTagsResponse
);
tagging!(
    "the OIDC provider", Oidc(open_id_connect_provider_arn),
    TagOpenIdConnectProvider(TagOpenIDConnectProviderRequest),
    UntagOpenIdConnectProvider(UntagOpenIDConnectProviderRequest),
    ListOpenIdConnectProviderTags(ListOpenIDConnectProviderTagsRequest)
        -> ListOpenIDConnectProviderTagsResponse
);
tagging!(
    "the SAML provider", Saml(saml_provider_arn),
    TagSamlProvider(TagSAMLProviderRequest),
    UntagSamlProvider(UntagSAMLProviderRequest),
    ListSamlProviderTags(ListSAMLProviderTagsRequest) -> ListSAMLProviderTagsResponse
);
tagging!(
    "the server certificate", ServerCertificate(server_certificate_name),
    TagServerCertificate(TagServerCertificateRequest),
    UntagServerCertificate(UntagServerCertificateRequest),
    ListServerCertificateTags(ListServerCertificateTagsRequest) -> ListServerCertificateTagsResponse
);
