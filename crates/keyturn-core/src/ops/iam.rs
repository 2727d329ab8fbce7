//! The IAM operations (`2010-05-08`), one [`Operation`](crate::ops::Operation) each.
//!
//! The read operations answer from the caller's account in the snapshot the caller was
//! authenticated against ([`crate::engine::view::AccountView`]); how each is authorized (action
//! and resource) is on its type and in `shared`'s module docs. The write operations plan typed
//! changes and commit them through `write` (see its module docs).

mod add_client_id_to_open_id_connect_provider;
mod add_user_to_group;
mod create_open_id_connect_provider;
mod create_saml_provider;
mod create_user;
mod delete_open_id_connect_provider;
mod delete_saml_provider;
mod delete_user;
mod get_account_authorization_details;
mod get_account_summary;
mod get_context_keys_for_custom_policy;
mod get_context_keys_for_principal_policy;
mod get_group;
mod get_group_policy;
mod get_open_id_connect_provider;
mod get_policy;
mod get_policy_version;
mod get_role;
mod get_role_policy;
mod get_saml_provider;
mod get_user;
mod get_user_policy;
mod list_access_keys;
mod list_account_aliases;
mod list_attached_group_policies;
mod list_attached_role_policies;
mod list_attached_user_policies;
mod list_group_policies;
mod list_groups;
mod list_groups_for_user;
mod list_mfa_devices;
mod list_open_id_connect_provider_tags;
mod list_open_id_connect_providers;
mod list_policies;
mod list_role_policies;
mod list_role_tags;
mod list_roles;
mod list_saml_provider_tags;
mod list_saml_providers;
mod list_user_policies;
mod list_user_tags;
mod list_users;
mod list_virtual_mfa_devices;
mod providers;
mod remove_client_id_from_open_id_connect_provider;
mod shared;
mod simulate;
mod tag_open_id_connect_provider;
mod tag_saml_provider;
mod untag_open_id_connect_provider;
mod untag_saml_provider;
mod update_open_id_connect_provider_thumbprint;
mod update_saml_provider;
mod write;

/// The generated IAM shapes (inputs and outputs of these operations), for callers that depend
/// on `keyturn-core` alone.
pub use keyturn_api::iam as shapes;

pub use add_client_id_to_open_id_connect_provider::AddClientIdToOpenIdConnectProvider;
pub use add_user_to_group::AddUserToGroup;
pub use create_open_id_connect_provider::CreateOpenIdConnectProvider;
pub use create_saml_provider::CreateSamlProvider;
pub use create_user::CreateUser;
pub use delete_open_id_connect_provider::DeleteOpenIdConnectProvider;
pub use delete_saml_provider::DeleteSamlProvider;
pub use delete_user::DeleteUser;
pub use get_account_authorization_details::GetAccountAuthorizationDetails;
pub use get_account_summary::GetAccountSummary;
pub use get_context_keys_for_custom_policy::GetContextKeysForCustomPolicy;
pub use get_context_keys_for_principal_policy::GetContextKeysForPrincipalPolicy;
pub use get_group::GetGroup;
pub use get_group_policy::GetGroupPolicy;
pub use get_open_id_connect_provider::GetOpenIdConnectProvider;
pub use get_policy::GetPolicy;
pub use get_policy_version::GetPolicyVersion;
pub use get_role::GetRole;
pub use get_role_policy::GetRolePolicy;
pub use get_saml_provider::GetSamlProvider;
pub use get_user::GetUser;
pub use get_user_policy::GetUserPolicy;
pub use list_access_keys::ListAccessKeys;
pub use list_account_aliases::ListAccountAliases;
pub use list_attached_group_policies::ListAttachedGroupPolicies;
pub use list_attached_role_policies::ListAttachedRolePolicies;
pub use list_attached_user_policies::ListAttachedUserPolicies;
pub use list_group_policies::ListGroupPolicies;
pub use list_groups::ListGroups;
pub use list_groups_for_user::ListGroupsForUser;
pub use list_mfa_devices::ListMfaDevices;
pub use list_open_id_connect_provider_tags::ListOpenIdConnectProviderTags;
pub use list_open_id_connect_providers::ListOpenIdConnectProviders;
pub use list_policies::ListPolicies;
pub use list_role_policies::ListRolePolicies;
pub use list_role_tags::ListRoleTags;
pub use list_roles::ListRoles;
pub use list_saml_provider_tags::ListSamlProviderTags;
pub use list_saml_providers::ListSamlProviders;
pub use list_user_policies::ListUserPolicies;
pub use list_user_tags::ListUserTags;
pub use list_users::ListUsers;
pub use list_virtual_mfa_devices::ListVirtualMfaDevices;
pub use remove_client_id_from_open_id_connect_provider::RemoveClientIdFromOpenIdConnectProvider;
pub use shared::NON_USER_TEXT;
pub use simulate::{SimulateCustomPolicy, SimulatePrincipalPolicy};
pub use tag_open_id_connect_provider::TagOpenIdConnectProvider;
pub use tag_saml_provider::TagSamlProvider;
pub use untag_open_id_connect_provider::UntagOpenIdConnectProvider;
pub use untag_saml_provider::UntagSamlProvider;
pub use update_open_id_connect_provider_thumbprint::UpdateOpenIdConnectProviderThumbprint;
pub use update_saml_provider::UpdateSamlProvider;
