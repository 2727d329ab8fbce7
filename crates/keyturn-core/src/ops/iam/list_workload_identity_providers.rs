//! `iam:ListWorkloadIdentityProviders`.

use keyturn_api::iam::{
    ListWorkloadIdentityProvidersRequest, ListWorkloadIdentityProvidersResponse,
    WorkloadIdentityProviderListEntry,
};

use super::shared;
use super::workload_identity as wi;
use crate::iam::WorkloadIdentityProvider;
use crate::iam::workload::WorkloadScope;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListWorkloadIdentityProviders` on `*`: the providers of one collection, the
    /// caller's account (ACCOUNT, the default) or its organization (ORGANIZATION), by name.
    ListWorkloadIdentityProviders(ListWorkloadIdentityProvidersRequest)
        -> ListWorkloadIdentityProvidersResponse;

    fn run(cx, input) {
        let caller = cx.caller()?;
        let data = &caller.snapshot.data;
        let scope = wi::scope(input.resource_scope.as_deref())?;
        let found = wi::listed::<WorkloadIdentityProvider>(data, |a, p| {
            p.scope == scope
                && match scope {
                    WorkloadScope::Account => a.id == caller.account,
                    WorkloadScope::Organization => data.workload_visible(&caller.account, &a.id, scope),
                }
        });
        shared::paged(found, &input, |(a, p)| WorkloadIdentityProviderListEntry {
            arn: p.arn(&a.id),
            provider_name: p.name.clone(),
            provider_id: p.id.clone(),
            resource_scope: p.scope.as_str().to_owned(),
            scheme: p.scheme.as_str().to_owned(),
            description: p.description.clone(),
            workload_identity_domain: p.domain.clone(),
            create_date: wi::time_of(&p.create_date),
        })
    }
}
