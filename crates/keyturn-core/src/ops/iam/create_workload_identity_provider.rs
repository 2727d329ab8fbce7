//! `iam:CreateWorkloadIdentityProvider`.

use keyturn_api::iam::{
    CreateWorkloadIdentityProviderRequest, CreateWorkloadIdentityProviderResponse,
};

use super::workload_identity::{self as wi, PROVIDERS_QUOTA, invalid, provider_answer};
use super::write;
use crate::iam::workload::{WorkloadScheme, WorkloadScope};
use crate::iam::{Change, Entity, WorkloadIdentityProvider};
use crate::ids::{UniqueId, UniqueIdKind};
use crate::ops::prelude::*;

/// The ARN the new provider will have (the caller's account, or its organization).
fn new_arn(
    cx: &Context<'_>,
    input: &CreateWorkloadIdentityProviderRequest,
) -> Result<String, Error> {
    let caller = cx.caller()?;
    let scope = wi::scope(input.resource_scope.as_deref())?;
    let owner = match scope {
        WorkloadScope::Account => caller.account.clone(),
        WorkloadScope::Organization => caller
            .snapshot
            .data
            .organization
            .as_deref()
            .map_or_else(|| caller.account.clone(), |o| o.id.clone()),
    };
    Ok(format!(
        "arn:aws:iam::{owner}:workload-identity-provider/{}",
        input.provider_name
    ))
}

operation! {
    /// `iam:CreateWorkloadIdentityProvider` on the new provider's ARN, with the request's tags
    /// as condition keys: a provider of the caller's account (or, ORGANIZATION-scoped, of its
    /// organization, created by the management account or the delegated administrator) with
    /// its two JWT signers (RS256, ES384) and no X.509 signer yet. The name is unique in its
    /// collection; a SPIFFE provider needs a domain, a NONE provider has none.
    CreateWorkloadIdentityProvider(CreateWorkloadIdentityProviderRequest)
        -> CreateWorkloadIdentityProviderResponse, when write::requested_tags(tags);

    fn resource(cx, input) { new_arn(cx, input) }

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
        let kind = match scope {
            WorkloadScope::Account => UniqueIdKind::WorkloadProvider,
            WorkloadScope::Organization => UniqueIdKind::OrgWorkloadProvider,
        };
        let id = UniqueId::random(kind)?.as_str().to_owned();
        let tags = wi::tags(input.tags.as_deref().unwrap_or_default(), &Default::default())?;
        let (account, snapshot) = wi::commit(cx, |s, caller, now| {
            let organization_id = wi::new_owner(&s.data, caller, scope)?;
            let collection: Vec<&WorkloadIdentityProvider> = s
                .data
                .accounts
                .iter()
                .flat_map(|a| a.workload_identity_providers.iter().filter(move |_| {
                    scope == WorkloadScope::Organization || a.id == *caller
                }))
                .filter(|p| p.scope == scope && p.organization_id == organization_id)
                .collect();
            if collection.iter().any(|p| p.name == input.provider_name) {
                return Err(write::exists(format!(
                    "A workload identity provider named {} already exists.",
                    input.provider_name
                )));
            }
            if collection.len() >= PROVIDERS_QUOTA {
                return Err(Error::new(
                    ErrorCode::LimitExceeded,
                    format!("Cannot exceed quota for WorkloadIdentityProviders: {PROVIDERS_QUOTA}"),
                ));
            }
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
            let change = Change::Put {
                account: caller.to_owned(),
                entity: Entity::WorkloadIdentityProvider(Box::new(provider)),
            };
            Ok((vec![change], caller.to_owned()))
        })?;
        let kept = snapshot
            .data
            .account(&account)
            .and_then(|a| a.workload_identity_providers.iter().find(|p| p.id == id))
            .ok_or_else(|| Error::new(ErrorCode::ServiceFailure, "the new provider is not in the model"))?;
        let now = cx.engine.clock().now();
        Ok(provider_answer!(CreateWorkloadIdentityProviderResponse, cx, &account, kept, now))
    }
}
