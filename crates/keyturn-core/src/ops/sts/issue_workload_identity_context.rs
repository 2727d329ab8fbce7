//! IssueWorkloadIdentityContext: a workload identity context for a workload that the caller (a
//! workload platform, AWS's "calling service") runs, built from a template and an attestation
//! document, for AssumeRole's `ProvidedContexts`.
//!
//! Keyturn has no AWS service credentials: the calling "service" is the signed caller, its
//! principal ARN is the context's `Audience` (the only principal that may redeem it), and its
//! account is the source account (`aws:SourceAccount`). The template's attestation policy alone
//! decides (as a resource policy of the template, with each attested value as an
//! `aws:WorkloadAttestation/aws/…` condition key); a missing template, a source account outside
//! the template's scope, no attestation policy, or a policy that does not allow is
//! `AccessDenied`, as AWS answers.

use std::sync::Arc;

use keyturn_api::sts::{
    IssueWorkloadIdentityContextRequest, IssueWorkloadIdentityContextResponse, ProvidedContext,
};
use keyturn_policy::PolicyType;
use time::Duration;

use super::assume_role::find_role;
use super::workload::{
    ContextAssertion, MAX_ASSERTION_LEN, Naming, invalid_document, read_attestation,
    render_subject, seal_assertion,
};
use crate::engine::{Caller, KeySink as _, not_authorized};
use crate::evaluator::{KeyNeeds, PolicyInputs, PolicyRef, PolicySource};
use crate::iam::workload::{WorkloadScheme, WorkloadScope};
use crate::ops::prelude::*;
use crate::ops::support::whole_seconds;

/// The action the attestation policy is evaluated for.
const ACTION: &str = "sts:IssueWorkloadIdentityContext";

/// How long AssumeRole takes the context when `DurationSeconds` is not given (60 seconds).
pub const DEFAULT_CONTEXT_LIFETIME: i64 = 60;

/// The refusal of a request without `WorkloadIdentityTemplateArn`.
pub const NO_TEMPLATE_TEXT: &str = "1 validation error detected: Value null at 'workloadIdentityTemplateArn' failed to satisfy constraint: Member must not be null";

operation! {
    /// `sts:IssueWorkloadIdentityContext` on the template's ARN, then the template's
    /// attestation policy on the attested values.
    IssueWorkloadIdentityContext(IssueWorkloadIdentityContextRequest) -> IssueWorkloadIdentityContextResponse;

    fn resource(_cx, input) {
        Ok(input
            .workload_identity_template_arn
            .clone()
            .unwrap_or_else(|| "*".to_owned()))
    }

    fn run(cx, input) {
        issue(cx, input)
    }
}

/// Whether the template's attestation policy allows `caller` to issue a context for the
/// attested values.
fn attestation_allows(
    cx: &Context<'_>,
    caller: &Caller,
    template_arn: &str,
    policy: &str,
    attested: &[(String, String)],
) -> Result<bool, Error> {
    // A stored policy that no longer compiles admits nothing.
    let Ok(policy) = PolicyRef::parse(
        template_arn,
        PolicySource::Resource,
        policy,
        PolicyType::Resource,
    ) else {
        return Ok(false);
    };
    let policy = Arc::new(policy);
    // The policy alone decides, as a resource policy of the caller's own account would.
    let inputs = PolicyInputs {
        resource: Some((&policy, caller.account.as_str())),
        ..PolicyInputs::default()
    };
    let needs = KeyNeeds::All;
    let mut ctx = caller.context_builder(ACTION, template_arn, &needs);
    ctx.put("aws:sourceaccount", || caller.account.clone());
    for (k, v) in attested {
        ctx.put_runtime(k, || vec![v.clone()]);
    }
    let verdict = cx
        .engine
        .evaluator
        .evaluate(&inputs, &ctx.finish(), false)?;
    Ok(verdict.is_allowed())
}

fn issue(
    cx: &Context<'_>,
    input: IssueWorkloadIdentityContextRequest,
) -> Result<IssueWorkloadIdentityContextResponse, Error> {
    let caller = cx.caller()?;
    let template_arn = input
        .workload_identity_template_arn
        .as_deref()
        .ok_or_else(|| Error::new(ErrorCode::ValidationError, NO_TEMPLATE_TEXT))?;
    let attested = read_attestation(&input.attestation_document)?;
    let denied = || not_authorized(&caller.arn, ACTION, template_arn);
    let snapshot = &*caller.snapshot;
    let data = &snapshot.data;
    let source = caller.account.as_str();
    let (owner, template) = data.workload_template(template_arn).ok_or_else(denied)?;
    if !data.workload_visible(source, &owner.id, template.scope) {
        return Err(denied());
    }
    let policy = template.attestation_policy.as_deref().ok_or_else(denied)?;
    if !attestation_allows(cx, caller, template_arn, policy, &attested)? {
        return Err(denied());
    }
    let (_, provider) = data
        .workload_provider(&template.provider_arn)
        .ok_or_else(denied)?;
    let naming = Naming {
        spiffe: provider.scheme == WorkloadScheme::Spiffe,
        domain: provider.domain.as_deref(),
    };
    let subject = render_subject(
        naming,
        template.path_prefix.as_deref(),
        &template.path_pattern,
        &attested,
        source,
    )?;
    let provider_arn = template.provider_arn.clone();
    let Some(role_arn) = input.target_role_arn else {
        // Only the identity: nothing to redeem.
        return Ok(IssueWorkloadIdentityContextResponse {
            provided_context: ProvidedContext {
                provider_arn: Some(provider_arn),
                context_assertion: None,
            },
            subject,
            audience: None,
            expiration: None,
            session_expiration: None,
        });
    };
    // The role: in the template's account, or for an ORGANIZATION template in the source
    // account; one that does not exist (or an ARN that names none) is AccessDenied.
    let role_denied = || not_authorized(&caller.arn, ACTION, &role_arn);
    let role = find_role(snapshot, &role_arn)
        .ok()
        .flatten()
        .ok_or_else(role_denied)?;
    let role_account = role.account.digits();
    let expected = match template.scope {
        WorkloadScope::Account => owner.id.as_str(),
        WorkloadScope::Organization => source,
    };
    if *role_account != *expected {
        return Err(role_denied());
    }
    let now = whole_seconds(cx.engine.clock().now());
    let expires = now
        + Duration::seconds(
            input
                .duration_seconds
                .map_or(DEFAULT_CONTEXT_LIFETIME, i64::from),
        );
    let session_expires = input
        .session_duration_seconds
        .map(|s| now + Duration::seconds(i64::from(s)));
    let audience = caller
        .principal
        .role_session()
        .map_or_else(|| caller.arn.clone(), |s| s.role_arn_string());
    let assertion = ContextAssertion {
        provider_arn: provider_arn.clone(),
        template_arn: template_arn.to_owned(),
        subject: subject.clone(),
        attested,
        audience: audience.clone(),
        source_account: source.to_owned(),
        target_role_arn: role.arn(),
        expires_at: expires.unix_timestamp(),
        session_expires_at: session_expires.map(time::OffsetDateTime::unix_timestamp),
    };
    let sealed = seal_assertion(cx.engine, &assertion)?;
    if sealed.len() > MAX_ASSERTION_LEN {
        return Err(invalid_document("tooLarge"));
    }
    Ok(IssueWorkloadIdentityContextResponse {
        provided_context: ProvidedContext {
            provider_arn: Some(provider_arn),
            context_assertion: Some(sealed),
        },
        subject,
        audience: Some(audience),
        expiration: Some(expires),
        session_expiration: session_expires,
    })
}
