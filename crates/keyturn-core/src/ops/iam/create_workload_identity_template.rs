//! `iam:CreateWorkloadIdentityTemplate`.

use keyturn_api::iam::{
    CreateWorkloadIdentityTemplateRequest, CreateWorkloadIdentityTemplateResponse,
};

use super::workload_identity::{self as wi, TEMPLATES_QUOTA, invalid, template_answer};
use super::write;
use crate::iam::workload::WorkloadScope;
use crate::iam::{WorkloadIdentityProvider, WorkloadIdentityTemplate};
use crate::ops::prelude::*;

/// The members direct authoring mode requires, as the request names them.
fn required<'a>(value: &'a Option<String>, member: &str) -> Result<&'a str, Error> {
    value.as_deref().ok_or_else(|| {
        invalid(format!(
            "{member} is required when TemplateDefinition is not specified."
        ))
    })
}

/// Refuses template definition mode: the members it forbids, then the definition itself
/// (Keyturn holds no service-owned template definitions).
fn definition_mode(input: &CreateWorkloadIdentityTemplateRequest) -> Result<(), Error> {
    let Some(definition) = &input.template_definition else {
        return Ok(());
    };
    let forbidden = [
        ("Name", input.name.is_some()),
        ("Description", input.description.is_some()),
        ("ResourceScope", input.resource_scope.is_some()),
        (
            "WorkloadIdentityProviderArn",
            input.workload_identity_provider_arn.is_some(),
        ),
        ("PathPrefix", input.path_prefix.is_some()),
        ("PathPattern", input.path_pattern.is_some()),
        ("AttestationPolicy", input.attestation_policy.is_some()),
    ];
    if let Some((member, _)) = forbidden.iter().find(|(_, given)| *given) {
        return Err(invalid(format!(
            "{member} cannot be specified with TemplateDefinition."
        )));
    }
    Err(Error::new(
        ErrorCode::NoSuchEntity,
        format!(
            "The template definition {} does not exist.",
            definition.template_definition_arn
        ),
    ))
}

operation! {
    /// `iam:CreateWorkloadIdentityTemplate` on the new template's ARN, with the request's tags
    /// as condition keys, in direct authoring mode: a template under a provider the caller sees
    /// (an ORGANIZATION-scoped template under an ORGANIZATION-scoped provider), its path
    /// pattern's placeholders attested context keys, its optional attestation policy checked
    /// against them. Template definition mode names a service-owned definition, which Keyturn
    /// does not hold (`NoSuchEntity`).
    CreateWorkloadIdentityTemplate(CreateWorkloadIdentityTemplateRequest)
        -> CreateWorkloadIdentityTemplateResponse, when write::requested_tags(tags);

    fn resource(cx, input) {
        let name = input.name.as_deref().unwrap_or_default();
        wi::new_arn::<WorkloadIdentityTemplate>(cx, input.resource_scope.as_deref(), name)
    }

    fn run(cx, input) {
        definition_mode(&input)?;
        let name = required(&input.name, "Name")?;
        let provider_arn = required(&input.workload_identity_provider_arn, "WorkloadIdentityProviderArn")?;
        let pattern = required(&input.path_pattern, "PathPattern")?;
        wi::check_pattern(pattern)?;
        if let Some(policy) = &input.attestation_policy {
            wi::check_attestation_policy(policy, pattern)?;
        }
        let scope = wi::scope(input.resource_scope.as_deref())?;
        let id = wi::new_id::<WorkloadIdentityTemplate>(scope)?;
        let tags = wi::new_tags(input.tags.as_deref())?;
        let (account, snapshot) = wi::commit(cx, |s, caller, now| {
            let (_, provider) = wi::visible::<WorkloadIdentityProvider>(&s.data, caller, provider_arn)?;
            if scope == WorkloadScope::Organization && provider.scope != WorkloadScope::Organization {
                return Err(invalid(
                    "An ORGANIZATION-scoped template must reference an organization-scoped provider.",
                ));
            }
            let organization_id = wi::new_owner(&s.data, caller, scope)?;
            wi::admit::<WorkloadIdentityTemplate>(&s.data, caller, scope, organization_id.as_deref(), name, TEMPLATES_QUOTA)?;
            let template = WorkloadIdentityTemplate {
                name: name.to_owned(),
                id: id.clone(),
                scope,
                organization_id,
                provider_arn: provider_arn.to_owned(),
                description: input.description.clone(),
                path_prefix: input.path_prefix.clone(),
                path_pattern: pattern.to_owned(),
                attestation_policy: input.attestation_policy.clone(),
                tags: tags.clone(),
                create_date: crate::clock::iso8601(now),
            };
            Ok(wi::put_new(caller, template))
        })?;
        let kept = wi::kept::<WorkloadIdentityTemplate>(&snapshot, &account, &id)?;
        Ok(template_answer!(
            CreateWorkloadIdentityTemplateResponse, &account, kept,
            attestation_policy: input.attestation_policy.clone()
        ))
    }
}
