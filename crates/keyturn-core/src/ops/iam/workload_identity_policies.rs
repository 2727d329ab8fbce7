//! The policy of workload identity providers and templates: `Get…`, `Put…` and `Delete…` of a
//! provider's resource policy and of a template's attestation policy, declared by one macro
//! over the generic functions of [`super::workload_identity`] ([`wi::Editable`] says which
//! policy an entity holds and how a new one is checked).

use keyturn_api::iam::{
    DeleteWorkloadIdentityProviderResourcePolicyRequest,
    DeleteWorkloadIdentityProviderResourcePolicyResponse,
    DeleteWorkloadIdentityTemplateAttestationPolicyRequest,
    DeleteWorkloadIdentityTemplateAttestationPolicyResponse,
    GetWorkloadIdentityProviderResourcePolicyRequest,
    GetWorkloadIdentityProviderResourcePolicyResponse,
    GetWorkloadIdentityTemplateAttestationPolicyRequest,
    GetWorkloadIdentityTemplateAttestationPolicyResponse,
    PutWorkloadIdentityProviderResourcePolicyRequest,
    PutWorkloadIdentityProviderResourcePolicyResponse,
    PutWorkloadIdentityTemplateAttestationPolicyRequest,
    PutWorkloadIdentityTemplateAttestationPolicyResponse,
};

use super::workload_identity as wi;
use crate::iam::{WorkloadIdentityProvider, WorkloadIdentityTemplate};

/// Declares the three policy operations of a workload identity entity `$t`: the request
/// member holding its ARN and the `on` function, then each operation with its documentation
/// (the answer of `Get…` names its ARN and policy members, the request of `Put…` its policy
/// member).
macro_rules! workload_policy {
    (
        $t:ty, $field:ident, $($on:ident)::+,
        $(#[doc = $get_doc:literal])* $get:ident($get_in:ty) -> $get_out:ident { $arn_out:ident, $policy_out:ident },
        $(#[doc = $put_doc:literal])* $put:ident($put_in:ty) -> $put_out:ident { $policy_in:ident },
        $(#[doc = $delete_doc:literal])* $delete:ident($delete_in:ty) -> $delete_out:ident
    ) => {
        $crate::ops::operation! {
            $(#[doc = $get_doc])*
            $get($get_in) -> $get_out, on $($on)::+($field);

            fn run(cx, input) {
                let $policy_out = wi::policy_of::<$t>(cx, &input.$field)?;
                Ok($get_out { $arn_out: input.$field, $policy_out })
            }
        }

        $crate::ops::operation! {
            $(#[doc = $put_doc])*
            $put($put_in) -> $put_out, on $($on)::+($field);

            fn run(cx, input) {
                wi::put_policy::<$t>(cx, &input.$field, &input.$policy_in)?;
                Ok($put_out::default())
            }
        }

        $crate::ops::operation! {
            $(#[doc = $delete_doc])*
            $delete($delete_in) -> $delete_out, on $($on)::+($field);

            fn run(cx, input) {
                wi::delete_policy::<$t>(cx, &input.$field)?;
                Ok($delete_out::default())
            }
        }
    };
}

workload_policy!(
    WorkloadIdentityProvider, workload_identity_provider_arn, wi::provider_on,
    /// `iam:GetWorkloadIdentityProviderResourcePolicy` on the provider's ARN: the policy as
    /// stored; `NoSuchEntity` for a provider without one.
    GetWorkloadIdentityProviderResourcePolicy(GetWorkloadIdentityProviderResourcePolicyRequest)
        -> GetWorkloadIdentityProviderResourcePolicyResponse { arn, policy_document },
    /// `iam:PutWorkloadIdentityProviderResourcePolicy` on the provider's ARN: attaches the
    /// resource policy (a valid resource-based policy, kept as given) or replaces the one
    /// attached.
    PutWorkloadIdentityProviderResourcePolicy(PutWorkloadIdentityProviderResourcePolicyRequest)
        -> PutWorkloadIdentityProviderResourcePolicyResponse { policy_document },
    /// `iam:DeleteWorkloadIdentityProviderResourcePolicy` on the provider's ARN: removes the
    /// policy and keeps the provider; `NoSuchEntity` for a provider without one.
    DeleteWorkloadIdentityProviderResourcePolicy(DeleteWorkloadIdentityProviderResourcePolicyRequest)
        -> DeleteWorkloadIdentityProviderResourcePolicyResponse
);
workload_policy!(
    WorkloadIdentityTemplate, workload_identity_template_arn, wi::template_on,
    /// `iam:GetWorkloadIdentityTemplateAttestationPolicy` on the template's ARN: the policy as
    /// stored; `NoSuchEntity` for a template without one.
    GetWorkloadIdentityTemplateAttestationPolicy(GetWorkloadIdentityTemplateAttestationPolicyRequest)
        -> GetWorkloadIdentityTemplateAttestationPolicyResponse {
            workload_identity_template_arn, attestation_policy
        },
    /// `iam:PutWorkloadIdentityTemplateAttestationPolicy` on the template's ARN: sets the
    /// attestation policy (an upsert). The policy is a valid resource-based policy whose
    /// conditions on attested values name only the template's placeholders.
    PutWorkloadIdentityTemplateAttestationPolicy(PutWorkloadIdentityTemplateAttestationPolicyRequest)
        -> PutWorkloadIdentityTemplateAttestationPolicyResponse { attestation_policy },
    /// `iam:DeleteWorkloadIdentityTemplateAttestationPolicy` on the template's ARN: removes the
    /// policy (the template then admits nothing); `NoSuchEntity` for a template without one.
    DeleteWorkloadIdentityTemplateAttestationPolicy(DeleteWorkloadIdentityTemplateAttestationPolicyRequest)
        -> DeleteWorkloadIdentityTemplateAttestationPolicyResponse
);
