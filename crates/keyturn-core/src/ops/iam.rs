//! The IAM operations (`2010-05-08`), one [`Operation`](crate::ops::Operation) each.
//!
//! The read operations answer from the caller's account in the snapshot the caller was
//! authenticated against ([`crate::engine::view::AccountView`]); how each is authorized (action
//! and resource) is on its type and in `shared`'s module docs. The write operations plan typed
//! changes and commit them through `write` (see its module docs); the writes of roles, role
//! policies and managed policies share `admin`, and the six attach/detach operations `attach`;
//! certificates and SSH keys share `certificates`, and the credential report is
//! `credential_report`.

mod add_client_id_to_open_id_connect_provider;
mod add_user_to_group;
mod admin;
mod attach;
mod attach_group_policy;
mod attach_role_policy;
mod attach_user_policy;
mod create_open_id_connect_provider;
mod create_policy;
mod create_policy_version;
mod create_role;
mod create_saml_provider;
mod create_user;
mod delete_open_id_connect_provider;
mod delete_policy;
mod delete_policy_version;
mod delete_role;
mod delete_role_permissions_boundary;
mod delete_saml_provider;
mod delete_user;
mod detach_group_policy;
mod detach_role_policy;
mod detach_user_policy;
mod entity_policies;
mod get_account_authorization_details;
mod get_account_summary;
mod get_context_keys_for_custom_policy;
mod get_context_keys_for_principal_policy;
mod get_group;
mod get_open_id_connect_provider;
mod get_policy;
mod get_policy_version;
mod get_role;
mod get_saml_provider;
mod get_user;
mod list_access_keys;
mod list_account_aliases;
mod list_entities_for_policy;
mod list_groups;
mod list_groups_for_user;
mod list_mfa_devices;
mod list_open_id_connect_providers;
mod list_policies;
mod list_policy_versions;
mod list_roles;
mod list_saml_providers;
mod list_users;
mod list_virtual_mfa_devices;
mod paging;
mod providers;
mod put_role_permissions_boundary;
mod remove_client_id_from_open_id_connect_provider;
mod set_default_policy_version;
mod shared;
mod simulate;
mod tags;
mod update_assume_role_policy;
mod update_open_id_connect_provider;
mod update_open_id_connect_provider_thumbprint;
mod update_role;
mod update_role_description;
mod update_saml_provider;
mod write;
// Virtual MFA devices, instance profiles, service-linked roles.
mod add_role_to_instance_profile;
mod create_instance_profile;
mod create_service_linked_role;
mod create_virtual_mfa_device;
mod deactivate_mfa_device;
mod delete_instance_profile;
mod delete_service_linked_role;
mod delete_virtual_mfa_device;
mod enable_mfa_device;
mod get_instance_profile;
mod get_service_linked_role_deletion_status;
mod instance_profiles;
mod list_instance_profiles;
mod list_instance_profiles_for_role;
mod mfa_devices;
mod remove_role_from_instance_profile;
mod resync_mfa_device;
mod service_linked;

// Users, access keys, groups, inline policies, boundaries, aliases (issue 12).
mod create_access_key;
mod create_account_alias;
mod create_group;
mod delete_access_key;
mod delete_account_alias;
mod delete_group;
mod delete_user_permissions_boundary;
mod get_access_key_last_used;
mod put_user_permissions_boundary;
mod remove_user_from_group;
mod update_access_key;
mod update_group;
mod update_user;
mod users_groups;

// Server and signing certificates, SSH public keys, the credential report.
mod certificates;
mod credential_report;
mod delete_server_certificate;
mod delete_signing_certificate;
mod delete_ssh_public_key;
mod generate_credential_report;
mod get_credential_report;
mod get_server_certificate;
mod get_ssh_public_key;
mod list_server_certificates;
mod list_signing_certificates;
mod list_ssh_public_keys;
mod update_server_certificate;
mod update_signing_certificate;
mod update_ssh_public_key;
mod upload_server_certificate;
mod upload_signing_certificate;
mod upload_ssh_public_key;

/// The generated IAM shapes (inputs and outputs of these operations), for callers that depend
/// on `keyturn-core` alone.
pub use keyturn_api::iam as shapes;

pub use add_client_id_to_open_id_connect_provider::AddClientIdToOpenIdConnectProvider;
pub use add_user_to_group::AddUserToGroup;
pub use attach_group_policy::AttachGroupPolicy;
pub use attach_role_policy::AttachRolePolicy;
pub use attach_user_policy::AttachUserPolicy;
pub use create_open_id_connect_provider::CreateOpenIdConnectProvider;
pub use create_policy::CreatePolicy;
pub use create_policy_version::CreatePolicyVersion;
pub use create_role::CreateRole;
pub use create_saml_provider::CreateSamlProvider;
pub use create_user::CreateUser;
pub use delete_open_id_connect_provider::DeleteOpenIdConnectProvider;
pub use delete_policy::DeletePolicy;
pub use delete_policy_version::DeletePolicyVersion;
pub use delete_role::DeleteRole;
pub use delete_role_permissions_boundary::DeleteRolePermissionsBoundary;
pub use delete_saml_provider::DeleteSamlProvider;
pub use delete_user::DeleteUser;
pub use detach_group_policy::DetachGroupPolicy;
pub use detach_role_policy::DetachRolePolicy;
pub use detach_user_policy::DetachUserPolicy;
pub use entity_policies::{
    DeleteGroupPolicy, DeleteRolePolicy, DeleteUserPolicy, GetGroupPolicy, GetRolePolicy,
    GetUserPolicy, ListAttachedGroupPolicies, ListAttachedRolePolicies, ListAttachedUserPolicies,
    ListGroupPolicies, ListRolePolicies, ListUserPolicies, PutGroupPolicy, PutRolePolicy,
    PutUserPolicy,
};
pub use get_account_authorization_details::GetAccountAuthorizationDetails;
pub use get_account_summary::GetAccountSummary;
pub use get_context_keys_for_custom_policy::GetContextKeysForCustomPolicy;
pub use get_context_keys_for_principal_policy::GetContextKeysForPrincipalPolicy;
pub use get_group::GetGroup;
pub use get_open_id_connect_provider::GetOpenIdConnectProvider;
pub use get_policy::GetPolicy;
pub use get_policy_version::GetPolicyVersion;
pub use get_role::GetRole;
pub use get_saml_provider::GetSamlProvider;
pub use get_user::GetUser;
pub use list_access_keys::ListAccessKeys;
pub use list_account_aliases::ListAccountAliases;
pub use list_entities_for_policy::ListEntitiesForPolicy;
pub use list_groups::ListGroups;
pub use list_groups_for_user::ListGroupsForUser;
pub use list_mfa_devices::ListMfaDevices;
pub use list_open_id_connect_providers::ListOpenIdConnectProviders;
pub use list_policies::ListPolicies;
pub use list_policy_versions::ListPolicyVersions;
pub use list_roles::ListRoles;
pub use list_saml_providers::ListSamlProviders;
pub use list_users::ListUsers;
pub use list_virtual_mfa_devices::ListVirtualMfaDevices;
pub use put_role_permissions_boundary::PutRolePermissionsBoundary;
pub use set_default_policy_version::SetDefaultPolicyVersion;
pub use shared::NON_USER_TEXT;
pub use simulate::{SimulateCustomPolicy, SimulatePrincipalPolicy};
pub use tags::{
    ListInstanceProfileTags, ListOpenIdConnectProviderTags, ListPolicyTags, ListRoleTags,
    ListSamlProviderTags, ListServerCertificateTags, ListUserTags, TagInstanceProfile,
    TagOpenIdConnectProvider, TagPolicy, TagRole, TagSamlProvider, TagServerCertificate, TagUser,
    UntagInstanceProfile, UntagOpenIdConnectProvider, UntagPolicy, UntagRole, UntagSamlProvider,
    UntagServerCertificate, UntagUser,
};
// Virtual MFA devices, instance profiles, service-linked roles.
pub use add_role_to_instance_profile::AddRoleToInstanceProfile;
pub use create_instance_profile::CreateInstanceProfile;
pub use create_service_linked_role::CreateServiceLinkedRole;
pub use create_virtual_mfa_device::CreateVirtualMfaDevice;
pub use deactivate_mfa_device::DeactivateMfaDevice;
pub use delete_instance_profile::DeleteInstanceProfile;
pub use delete_service_linked_role::DeleteServiceLinkedRole;
pub use delete_virtual_mfa_device::DeleteVirtualMfaDevice;
pub use enable_mfa_device::EnableMfaDevice;
pub use get_instance_profile::GetInstanceProfile;
pub use get_service_linked_role_deletion_status::GetServiceLinkedRoleDeletionStatus;
pub use list_instance_profiles::ListInstanceProfiles;
pub use list_instance_profiles_for_role::ListInstanceProfilesForRole;
pub use remove_role_from_instance_profile::RemoveRoleFromInstanceProfile;
pub use resync_mfa_device::ResyncMfaDevice;

// Users, access keys, groups, inline policies, boundaries, aliases (issue 12).
pub use create_access_key::CreateAccessKey;
pub use create_account_alias::CreateAccountAlias;
pub use create_group::CreateGroup;
pub use delete_access_key::DeleteAccessKey;
pub use delete_account_alias::DeleteAccountAlias;
pub use delete_group::DeleteGroup;
pub use delete_user_permissions_boundary::DeleteUserPermissionsBoundary;
pub use get_access_key_last_used::GetAccessKeyLastUsed;
pub use put_user_permissions_boundary::PutUserPermissionsBoundary;
pub use remove_client_id_from_open_id_connect_provider::RemoveClientIdFromOpenIdConnectProvider;
pub use remove_user_from_group::RemoveUserFromGroup;
pub use update_access_key::UpdateAccessKey;
pub use update_assume_role_policy::UpdateAssumeRolePolicy;
pub use update_group::UpdateGroup;
pub use update_open_id_connect_provider::UpdateOpenIdConnectProvider;
pub use update_open_id_connect_provider_thumbprint::UpdateOpenIdConnectProviderThumbprint;
pub use update_role::UpdateRole;
pub use update_role_description::UpdateRoleDescription;
pub use update_saml_provider::UpdateSamlProvider;
pub use update_user::UpdateUser;

// Server and signing certificates, SSH public keys, the credential report.
pub use delete_server_certificate::DeleteServerCertificate;
pub use delete_signing_certificate::DeleteSigningCertificate;
pub use delete_ssh_public_key::DeleteSshPublicKey;
pub use generate_credential_report::GenerateCredentialReport;
pub use get_credential_report::GetCredentialReport;
pub use get_server_certificate::GetServerCertificate;
pub use get_ssh_public_key::GetSshPublicKey;
pub use list_server_certificates::ListServerCertificates;
pub use list_signing_certificates::ListSigningCertificates;
pub use list_ssh_public_keys::ListSshPublicKeys;
pub use update_server_certificate::UpdateServerCertificate;
pub use update_signing_certificate::UpdateSigningCertificate;
pub use update_ssh_public_key::UpdateSshPublicKey;
pub use upload_server_certificate::UploadServerCertificate;
pub use upload_signing_certificate::UploadSigningCertificate;
pub use upload_ssh_public_key::UploadSshPublicKey;

// Outbound web identity federation (the account as an OIDC issuer).
mod disable_outbound_web_identity_federation;
mod enable_outbound_web_identity_federation;
mod get_outbound_web_identity_federation_info;
pub use disable_outbound_web_identity_federation::{
    DisableOutboundWebIdentityFederation, FEATURE_DISABLED_TEXT,
};
pub use enable_outbound_web_identity_federation::{
    EnableOutboundWebIdentityFederation, FEATURE_ENABLED_TEXT,
};
pub use get_outbound_web_identity_federation_info::GetOutboundWebIdentityFederationInfo;

// The partner-delegation flow (issue 13).
mod accept_delegation_request;
mod associate_delegation_request;
mod create_delegation_request;
pub mod delegation;
mod get_delegation_request;
mod list_delegation_requests;
mod reject_delegation_request;
mod send_delegation_token;
mod update_delegation_request;
pub use accept_delegation_request::{AcceptDelegationRequest, NOT_DELEGABLE_TEXT};
pub use associate_delegation_request::AssociateDelegationRequest;
pub use create_delegation_request::{CreateDelegationRequest, OPEN_REQUESTS_QUOTA};
pub use get_delegation_request::GetDelegationRequest;
pub use list_delegation_requests::ListDelegationRequests;
pub use reject_delegation_request::RejectDelegationRequest;
pub use send_delegation_token::{ONLY_OWNER_TEXT, SendDelegationToken};
pub use update_delegation_request::UpdateDelegationRequest;

// Workload identity (issue 13, section 3): providers, their signers, templates.
mod create_workload_identity_provider;
mod create_workload_identity_provider_outbound_signer;
mod create_workload_identity_template;
mod delete_workload_identity_provider;
mod delete_workload_identity_provider_outbound_signer;
mod delete_workload_identity_template;
mod disable_workload_identity_provider_outbound_signer;
mod enable_workload_identity_provider_outbound_signer;
mod get_workload_identity_provider;
mod get_workload_identity_provider_deletion_status;
mod get_workload_identity_template;
mod list_workload_identity_provider_outbound_signers;
mod list_workload_identity_providers;
mod list_workload_identity_templates;
mod update_workload_identity_provider_outbound_signer;
pub mod workload_identity;
mod workload_identity_policies;
mod workload_identity_signers;
mod workload_identity_tags;
pub use create_workload_identity_provider::CreateWorkloadIdentityProvider;
pub use create_workload_identity_provider_outbound_signer::CreateWorkloadIdentityProviderOutboundSigner;
pub use create_workload_identity_template::CreateWorkloadIdentityTemplate;
pub use delete_workload_identity_provider::DeleteWorkloadIdentityProvider;
pub use delete_workload_identity_provider_outbound_signer::DeleteWorkloadIdentityProviderOutboundSigner;
pub use delete_workload_identity_template::DeleteWorkloadIdentityTemplate;
pub use disable_workload_identity_provider_outbound_signer::DisableWorkloadIdentityProviderOutboundSigner;
pub use enable_workload_identity_provider_outbound_signer::EnableWorkloadIdentityProviderOutboundSigner;
pub use get_workload_identity_provider::GetWorkloadIdentityProvider;
pub use get_workload_identity_provider_deletion_status::GetWorkloadIdentityProviderDeletionStatus;
pub use get_workload_identity_template::GetWorkloadIdentityTemplate;
pub use list_workload_identity_provider_outbound_signers::ListWorkloadIdentityProviderOutboundSigners;
pub use list_workload_identity_providers::ListWorkloadIdentityProviders;
pub use list_workload_identity_templates::ListWorkloadIdentityTemplates;
pub use update_workload_identity_provider_outbound_signer::UpdateWorkloadIdentityProviderOutboundSigner;
pub use workload_identity_policies::{
    DeleteWorkloadIdentityProviderResourcePolicy, DeleteWorkloadIdentityTemplateAttestationPolicy,
    GetWorkloadIdentityProviderResourcePolicy, GetWorkloadIdentityTemplateAttestationPolicy,
    PutWorkloadIdentityProviderResourcePolicy, PutWorkloadIdentityTemplateAttestationPolicy,
};
pub use workload_identity_tags::{
    ListWorkloadIdentityProviderTags, ListWorkloadIdentityTemplateTags,
    TagWorkloadIdentityProvider, TagWorkloadIdentityTemplate, UntagWorkloadIdentityProvider,
    UntagWorkloadIdentityTemplate,
};
