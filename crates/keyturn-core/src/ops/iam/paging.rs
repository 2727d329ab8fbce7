//! IAM's paging of list answers: one function pages a list into any paged response
//! ([`paged`]); the requests give the page's start and size ([`PageRequest`]) and the responses
//! say which member holds its items ([`Paged`]), declared together by [`paged_responses`].

use keyturn_api::iam::{
    AccessKeyMetadata, AttachedPolicy, DelegationRequest, GetGroupRequest, GetGroupResponse, Group,
    InstanceProfile, ListAccessKeysRequest, ListAccessKeysResponse, ListAccountAliasesRequest,
    ListAccountAliasesResponse, ListAttachedGroupPoliciesRequest,
    ListAttachedGroupPoliciesResponse, ListAttachedRolePoliciesRequest,
    ListAttachedRolePoliciesResponse, ListAttachedUserPoliciesRequest,
    ListAttachedUserPoliciesResponse, ListDelegationRequestsRequest,
    ListDelegationRequestsResponse, ListGroupPoliciesRequest, ListGroupPoliciesResponse,
    ListGroupsForUserRequest, ListGroupsForUserResponse, ListGroupsRequest, ListGroupsResponse,
    ListInstanceProfileTagsRequest, ListInstanceProfileTagsResponse,
    ListInstanceProfilesForRoleRequest, ListInstanceProfilesForRoleResponse,
    ListInstanceProfilesRequest, ListInstanceProfilesResponse, ListMFADevicesRequest,
    ListMFADevicesResponse, ListOpenIDConnectProviderTagsRequest,
    ListOpenIDConnectProviderTagsResponse, ListPoliciesRequest, ListPoliciesResponse,
    ListPolicyTagsRequest, ListPolicyTagsResponse, ListPolicyVersionsRequest,
    ListPolicyVersionsResponse, ListRolePoliciesRequest, ListRolePoliciesResponse,
    ListRoleTagsRequest, ListRoleTagsResponse, ListRolesRequest, ListRolesResponse,
    ListSAMLProviderTagsRequest, ListSAMLProviderTagsResponse, ListSSHPublicKeysRequest,
    ListSSHPublicKeysResponse, ListServerCertificateTagsRequest, ListServerCertificateTagsResponse,
    ListServerCertificatesRequest, ListServerCertificatesResponse, ListSigningCertificatesRequest,
    ListSigningCertificatesResponse, ListUserPoliciesRequest, ListUserPoliciesResponse,
    ListUserTagsRequest, ListUserTagsResponse, ListUsersRequest, ListUsersResponse,
    ListVirtualMFADevicesRequest, ListVirtualMFADevicesResponse, MFADevice, Policy, PolicyVersion,
    Role, SSHPublicKeyMetadata, ServerCertificateMetadata, SigningCertificate, Tag, User,
    VirtualMFADevice,
};
use keyturn_api::iam::{
    ListWorkloadIdentityProviderTagsRequest, ListWorkloadIdentityProviderTagsResponse,
    ListWorkloadIdentityProvidersRequest, ListWorkloadIdentityProvidersResponse,
    ListWorkloadIdentityTemplateTagsRequest, ListWorkloadIdentityTemplateTagsResponse,
    ListWorkloadIdentityTemplatesRequest, ListWorkloadIdentityTemplatesResponse,
    WorkloadIdentityProviderListEntry, WorkloadIdentityTemplateSummary,
};

use super::shared;
use crate::Error;

/// A list request: `Marker` (where the page starts) and `MaxItems`.
pub(crate) trait PageRequest {
    /// The `Marker` of the request, if any.
    fn marker(&self) -> Option<&str>;
    /// The `MaxItems` of the request, if any.
    fn max_items(&self) -> Option<i32>;
}

/// A response that carries one page of a list: its items, `IsTruncated` and `Marker`.
pub(crate) trait Paged: Default {
    /// The shape of the list's items.
    type Item;

    /// Sets the page's members.
    fn set_page(&mut self, items: Vec<Self::Item>, is_truncated: bool, marker: Option<String>);
}

/// Declares [`PageRequest`] for list requests and [`Paged`] for their responses:
/// `Request => Response.member: Item;` (the member may be required or optional).
macro_rules! paged_responses {
    ($($request:ident => $response:ident.$member:ident: $item:ty;)*) => {$(
        impl PageRequest for $request {
            fn marker(&self) -> Option<&str> {
                self.marker.as_deref()
            }

            fn max_items(&self) -> Option<i32> {
                self.max_items
            }
        }

        impl Paged for $response {
            type Item = $item;

            fn set_page(&mut self, items: Vec<$item>, is_truncated: bool, marker: Option<String>) {
                self.$member = items.into();
                self.is_truncated = is_truncated.into();
                self.marker = marker;
            }
        }
    )*};
}

paged_responses! {
    ListDelegationRequestsRequest => ListDelegationRequestsResponse.delegation_requests: DelegationRequest;
    ListWorkloadIdentityProvidersRequest => ListWorkloadIdentityProvidersResponse.workload_identity_providers: WorkloadIdentityProviderListEntry;
    ListWorkloadIdentityTemplatesRequest => ListWorkloadIdentityTemplatesResponse.workload_identity_templates: WorkloadIdentityTemplateSummary;
    ListWorkloadIdentityProviderTagsRequest => ListWorkloadIdentityProviderTagsResponse.tags: Tag;
    ListWorkloadIdentityTemplateTagsRequest => ListWorkloadIdentityTemplateTagsResponse.tags: Tag;
    ListUsersRequest => ListUsersResponse.users: User;
    ListRolesRequest => ListRolesResponse.roles: Role;
    ListGroupsRequest => ListGroupsResponse.groups: Group;
    GetGroupRequest => GetGroupResponse.users: User;
    ListGroupsForUserRequest => ListGroupsForUserResponse.groups: Group;
    ListInstanceProfilesRequest => ListInstanceProfilesResponse.instance_profiles: InstanceProfile;
    ListInstanceProfilesForRoleRequest => ListInstanceProfilesForRoleResponse.instance_profiles: InstanceProfile;
    ListAccessKeysRequest => ListAccessKeysResponse.access_key_metadata: AccessKeyMetadata;
    ListMFADevicesRequest => ListMFADevicesResponse.mfa_devices: MFADevice;
    ListVirtualMFADevicesRequest => ListVirtualMFADevicesResponse.virtual_mfa_devices: VirtualMFADevice;
    ListAccountAliasesRequest => ListAccountAliasesResponse.account_aliases: String;
    ListPoliciesRequest => ListPoliciesResponse.policies: Policy;
    ListPolicyVersionsRequest => ListPolicyVersionsResponse.versions: PolicyVersion;
    ListUserPoliciesRequest => ListUserPoliciesResponse.policy_names: String;
    ListGroupPoliciesRequest => ListGroupPoliciesResponse.policy_names: String;
    ListRolePoliciesRequest => ListRolePoliciesResponse.policy_names: String;
    ListAttachedUserPoliciesRequest => ListAttachedUserPoliciesResponse.attached_policies: AttachedPolicy;
    ListAttachedGroupPoliciesRequest => ListAttachedGroupPoliciesResponse.attached_policies: AttachedPolicy;
    ListAttachedRolePoliciesRequest => ListAttachedRolePoliciesResponse.attached_policies: AttachedPolicy;
    ListUserTagsRequest => ListUserTagsResponse.tags: Tag;
    ListRoleTagsRequest => ListRoleTagsResponse.tags: Tag;
    ListPolicyTagsRequest => ListPolicyTagsResponse.tags: Tag;
    ListInstanceProfileTagsRequest => ListInstanceProfileTagsResponse.tags: Tag;
    ListOpenIDConnectProviderTagsRequest => ListOpenIDConnectProviderTagsResponse.tags: Tag;
    ListSAMLProviderTagsRequest => ListSAMLProviderTagsResponse.tags: Tag;
    ListServerCertificateTagsRequest => ListServerCertificateTagsResponse.tags: Tag;
    ListServerCertificatesRequest => ListServerCertificatesResponse.server_certificate_metadata_list: ServerCertificateMetadata;
    ListSigningCertificatesRequest => ListSigningCertificatesResponse.certificates: SigningCertificate;
    ListSSHPublicKeysRequest => ListSSHPublicKeysResponse.ssh_public_keys: SSHPublicKeyMetadata;
}

/// The page of `items` that `request` asks for, as response `R`, each item in the response's
/// shape by `shape`.
///
/// # Errors
/// As [`shared::page`]: a marker that is not this list's.
pub(crate) fn paged<T, R: Paged>(
    items: Vec<T>,
    request: &impl PageRequest,
    shape: impl FnMut(T) -> R::Item,
) -> Result<R, Error> {
    let p = shared::page(items, request.marker(), request.max_items())?;
    let mut out = R::default();
    out.set_page(
        p.items.into_iter().map(shape).collect(),
        p.is_truncated,
        p.marker,
    );
    Ok(out)
}
