//! IAM's paging of list answers: one function pages a list into any paged response
//! ([`paged`]); the responses say which member holds the page's items ([`Paged`], declared
//! for each by [`paged_responses`]).

use keyturn_api::iam::{
    AccessKeyMetadata, AttachedPolicy, GetGroupResponse, Group, InstanceProfile,
    ListAccessKeysResponse, ListAccountAliasesResponse, ListAttachedGroupPoliciesResponse,
    ListAttachedRolePoliciesResponse, ListAttachedUserPoliciesResponse, ListGroupPoliciesResponse,
    ListGroupsForUserResponse, ListGroupsResponse, ListInstanceProfileTagsResponse,
    ListInstanceProfilesForRoleResponse, ListInstanceProfilesResponse, ListMFADevicesResponse,
    ListOpenIDConnectProviderTagsResponse, ListPoliciesResponse, ListPolicyTagsResponse,
    ListPolicyVersionsResponse, ListRolePoliciesResponse, ListRoleTagsResponse, ListRolesResponse,
    ListSAMLProviderTagsResponse, ListUserPoliciesResponse, ListUserTagsResponse,
    ListUsersResponse, ListVirtualMFADevicesResponse, MFADevice, Policy, PolicyVersion, Role, Tag,
    User, VirtualMFADevice,
};

use super::shared;
use crate::Error;

/// A response that carries one page of a list: its items, `IsTruncated` and `Marker`.
pub(crate) trait Paged: Default {
    /// The shape of the list's items.
    type Item;

    /// Sets the page's members.
    fn set_page(&mut self, items: Vec<Self::Item>, is_truncated: bool, marker: Option<String>);
}

/// Declares [`Paged`] for responses: `Response.member: Item;` (the member may be required or
/// optional).
macro_rules! paged_responses {
    ($($response:ident.$member:ident: $item:ty;)*) => {$(
        impl Paged for $response {
            type Item = $item;

            fn set_page(&mut self, items: Vec<$item>, is_truncated: bool, marker: Option<String>) {
                self.$member = items.into();
                self.is_truncated = Some(is_truncated);
                self.marker = marker;
            }
        }
    )*};
}

paged_responses! {
    ListUsersResponse.users: User;
    ListRolesResponse.roles: Role;
    ListGroupsResponse.groups: Group;
    GetGroupResponse.users: User;
    ListGroupsForUserResponse.groups: Group;
    ListInstanceProfilesResponse.instance_profiles: InstanceProfile;
    ListInstanceProfilesForRoleResponse.instance_profiles: InstanceProfile;
    ListAccessKeysResponse.access_key_metadata: AccessKeyMetadata;
    ListMFADevicesResponse.mfa_devices: MFADevice;
    ListVirtualMFADevicesResponse.virtual_mfa_devices: VirtualMFADevice;
    ListAccountAliasesResponse.account_aliases: String;
    ListPoliciesResponse.policies: Policy;
    ListPolicyVersionsResponse.versions: PolicyVersion;
    ListUserPoliciesResponse.policy_names: String;
    ListGroupPoliciesResponse.policy_names: String;
    ListRolePoliciesResponse.policy_names: String;
    ListAttachedUserPoliciesResponse.attached_policies: AttachedPolicy;
    ListAttachedGroupPoliciesResponse.attached_policies: AttachedPolicy;
    ListAttachedRolePoliciesResponse.attached_policies: AttachedPolicy;
    ListUserTagsResponse.tags: Tag;
    ListRoleTagsResponse.tags: Tag;
    ListPolicyTagsResponse.tags: Tag;
    ListInstanceProfileTagsResponse.tags: Tag;
    ListOpenIDConnectProviderTagsResponse.tags: Tag;
    ListSAMLProviderTagsResponse.tags: Tag;
}

/// The page of `items` that `marker` and `max` ask for, as response `R`, each item in the
/// response's shape by `shape`.
///
/// # Errors
/// As [`shared::page`]: a marker that is not this list's.
pub(crate) fn paged<T, R: Paged>(
    items: Vec<T>,
    marker: Option<&str>,
    max: Option<i32>,
    shape: impl FnMut(T) -> R::Item,
) -> Result<R, Error> {
    let p = shared::page(items, marker, max)?;
    let mut out = R::default();
    out.set_page(
        p.items.into_iter().map(shape).collect(),
        p.is_truncated,
        p.marker,
    );
    Ok(out)
}
