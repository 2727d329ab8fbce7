//! `iam:ListWorkloadIdentityTemplates`.

use keyturn_api::iam::{
    ListWorkloadIdentityTemplatesRequest, ListWorkloadIdentityTemplatesResponse,
    WorkloadIdentityTemplateSummary,
};

use super::shared;
use super::workload_identity::{self as wi, invalid};
use crate::iam::{WorkloadIdentityProvider, WorkloadIdentityTemplate};
use crate::ops::prelude::*;

/// The service principal a `Filter` expression names: `service_principal = "NAME"`
/// (whitespace around `=` optional).
///
/// # Errors
/// `InvalidInput` for a blank filter, another attribute or operator, or a value that is not a
/// service principal (`NAME.amazonaws.com`).
fn filter_principal(filter: &str) -> Result<String, Error> {
    let bad = || {
        invalid(format!(
            "The filter {filter} is not valid: use service_principal = \"SERVICE.amazonaws.com\"."
        ))
    };
    let (attribute, value) = filter.split_once('=').ok_or_else(bad)?;
    if attribute.trim() != "service_principal" {
        return Err(bad());
    }
    let value = value.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(bad)?;
    let service = value.strip_suffix(".amazonaws.com").unwrap_or_default();
    let known = !service.is_empty()
        && service
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    if !known {
        return Err(invalid(format!("{value} is not a service principal.")));
    }
    Ok(value.to_owned())
}

operation! {
    /// `iam:ListWorkloadIdentityTemplates` on the provider's ARN: the templates under the
    /// provider in one collection (ACCOUNT, the default, or ORGANIZATION) that the caller sees,
    /// by name; with `Filter`, those whose attestation policy admits the service principal.
    ListWorkloadIdentityTemplates(ListWorkloadIdentityTemplatesRequest)
        -> ListWorkloadIdentityTemplatesResponse, on wi::provider_on(workload_identity_provider_arn);

    fn run(cx, input) {
        let caller = cx.caller()?;
        let data = &caller.snapshot.data;
        let arn = &input.workload_identity_provider_arn;
        wi::visible::<WorkloadIdentityProvider>(data, &caller.account, arn)?;
        let principal = input.filter.as_deref().map(filter_principal).transpose()?;
        let scope = wi::scope(input.resource_scope.as_deref())?;
        let found = wi::listed::<WorkloadIdentityTemplate>(data, |a, t| {
            t.provider_arn == *arn
                && t.scope == scope
                && data.workload_visible(&caller.account, &a.id, t.scope)
                && principal.as_ref().is_none_or(|p| {
                    t.attestation_policy
                        .as_deref()
                        .is_some_and(|doc| wi::service_principals(doc).contains(p))
                })
        });
        shared::paged(found, &input, |(a, t)| WorkloadIdentityTemplateSummary {
            name: t.name.clone(),
            arn: t.arn(&a.id),
            workload_identity_provider_arn: t.provider_arn.clone(),
            resource_scope: t.scope.as_str().to_owned(),
            description: t.description.clone(),
            path_prefix: t.path_prefix.clone(),
            path_pattern: t.path_pattern.clone(),
            create_date: wi::time_of(&t.create_date),
        })
    }
}
