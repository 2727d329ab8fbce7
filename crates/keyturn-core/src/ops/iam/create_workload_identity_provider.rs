//! `iam:CreateWorkloadIdentityProvider`.

use keyturn_api::iam::{
    CreateWorkloadIdentityProviderRequest, CreateWorkloadIdentityProviderResponse,
};

use super::workload_identity::{self as wi, PROVIDERS_QUOTA, invalid, provider_answer};
use super::write;
use crate::iam::WorkloadIdentityProvider;
use crate::iam::workload::WorkloadScheme;
use crate::ops::prelude::*;

operation! {
    /// `iam:CreateWorkloadIdentityProvider` on the new provider's ARN, with the request's tags
    /// as condition keys: a provider of the caller's account (or, ORGANIZATION-scoped, of its
    /// organization, created by the management account or the delegated administrator) with
    /// its two JWT signers (RS256, ES384) and no X.509 signer yet. The name is unique in its
    /// collection; a SPIFFE provider needs a domain, a NONE provider has none.
    CreateWorkloadIdentityProvider(CreateWorkloadIdentityProviderRequest)
        -> CreateWorkloadIdentityProviderResponse, when write::requested_tags(tags);

    fn resource(cx, input) {
        wi::new_arn::<WorkloadIdentityProvider>(cx, input.resource_scope.as_deref(), &input.provider_name)
    }

    fn run(cx, input) {
        let scheme = WorkloadScheme::parse(&input.scheme)
            .ok_or_else(|| invalid(format!("{} is not a scheme.", input.scheme)))?;
        match (scheme, &input.workload_identity_domain) {
            (WorkloadScheme::Spiffe, None) => {
                return Err(invalid("WorkloadIdentityDomain is required when Scheme is SPIFFE."));
            }
            (WorkloadScheme::None, Some(_)) => {
                return Err(invalid("WorkloadIdentityDomain is not allowed when Scheme is NONE."));
            }
            _ => {}
        }
        let scope = wi::scope(input.resource_scope.as_deref())?;
        let id = wi::new_id::<WorkloadIdentityProvider>(scope)?;
        let tags = wi::new_tags(input.tags.as_deref())?;
        let (account, snapshot) = wi::commit(cx, |s, caller, now| {
            let organization_id = wi::new_owner(&s.data, caller, scope)?;
            let name = &input.provider_name;
            wi::admit::<WorkloadIdentityProvider>(&s.data, caller, scope, organization_id.as_deref(), name, PROVIDERS_QUOTA)?;
            let provider = WorkloadIdentityProvider {
                name: input.provider_name.clone(),
                id: id.clone(),
                scope,
                organization_id,
                scheme,
                domain: input.workload_identity_domain.clone(),
                description: input.description.clone(),
                tags: tags.clone(),
                resource_policy: None,
                create_date: crate::clock::iso8601(now),
                x509_signers: Vec::new(),
                next_sequence: 0,
            };
            Ok(wi::put_new(caller, provider))
        })?;
        let kept = wi::kept::<WorkloadIdentityProvider>(&snapshot, &account, &id)?;
        let now = cx.engine.clock().now();
        Ok(provider_answer!(CreateWorkloadIdentityProviderResponse, cx, &account, kept, now))
    }
}
