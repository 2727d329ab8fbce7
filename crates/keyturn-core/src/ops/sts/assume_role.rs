//! AssumeRole.

use std::sync::Arc;

use keyturn_api::sts::{AssumeRoleRequest, AssumeRoleResponse, AssumedRoleUser};

use crate::arn::{Arn, Partition};
use crate::engine::KeySink;
use crate::engine::snapshot::{RoleEntry, Snapshot};
use crate::engine::{CallerKind, not_authorized};
use crate::evaluator::{PolicyInputs, intersect_scopes, with_scope_keys};
use crate::ops::prelude::*;
use crate::ops::support::{
    ROOT_ASSUME_TEXT, check_tags, mint, packed_session_policies, tag_pairs, verify_mfa,
    whole_seconds,
};
use crate::principal::{Principal, RoleSession};
use crate::token::{SessionClaims, TrustedContext, WorkloadIdentity};

use super::workload::{context_keys, redeem};

/// AWS's text when a chained session asks for more than an hour.
pub const CHAINING_LIMIT_TEXT: &str = "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.";
/// AWS's text when the duration exceeds the role's MaxSessionDuration.
pub const MAX_DURATION_TEXT: &str =
    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.";
/// Default lifetime of a role session.
pub const DEFAULT_ROLE_DURATION: i64 = 3600;

/// The role an ARN names (or `None` when it does not exist), after checking the ARN's form.
pub(crate) fn find_role(
    snapshot: &Snapshot,
    role_arn: &str,
) -> Result<Option<Arc<RoleEntry>>, Error> {
    let Some((account, path, name)) = Arn::parse_role(role_arn)? else {
        return Err(Error::new(
            ErrorCode::ValidationError,
            format!("{role_arn} is invalid"),
        ));
    };
    Ok(snapshot.role(account, path, name).cloned())
}

/// Puts a request's session-tag keys: `aws:RequestTag/*`, `aws:TagKeys`, `sts:TransitiveTagKeys`.
pub(crate) fn put_tag_keys(
    sink: &mut impl KeySink,
    tags: &[(String, String)],
    transitive: &[String],
) {
    if tags.is_empty() {
        return;
    }
    for (k, v) in tags {
        sink.put_named("aws:requesttag/", k, v);
    }
    sink.put_many("aws:tagkeys", || {
        tags.iter().map(|(k, _)| k.clone()).collect()
    });
    if !transitive.is_empty() {
        sink.put_many("sts:transitivetagkeys", || transitive.to_vec());
    }
}

/// A session of `role` named `session_name` (AWS's partition: the engine serves `aws`).
pub(crate) fn role_session(role: &RoleEntry, session_name: &str) -> RoleSession {
    RoleSession {
        partition: Partition::Aws,
        account: role.account,
        role_path: role.path.clone(),
        role_name: role.name.clone(),
        role_id: role.unique_id.clone(),
        session_name: session_name.to_owned(),
    }
}

/// Puts the role's tags as `iam:ResourceTag/*` and `aws:ResourceTag/*`.
pub(crate) fn put_role_tags(sink: &mut impl KeySink, role: &RoleEntry) {
    for (k, v) in &role.tags {
        sink.put_named("iam:resourcetag/", k, v);
        sink.put_named("aws:resourcetag/", k, v);
    }
}

operation! {
    /// `sts:AssumeRole`: a role session, after the caller's policies and the role's trust policy
    /// both allow it (one evaluation per action: AssumeRole, TagSession, SetSourceIdentity,
    /// SetContext).
    AssumeRole(AssumeRoleRequest) -> AssumeRoleResponse;
    // Authorized in `assume_role`, together with the trust policy.
    const ACTION: Option<&'static str> = None;

    fn run(cx, input) {
        assume_role(cx, &input)
    }
}

fn assume_role(cx: &Context<'_>, req: &AssumeRoleRequest) -> Result<AssumeRoleResponse, Error> {
    let (engine, caller) = (cx.engine, cx.caller()?);
    let req_tags = req.tags.as_deref().unwrap_or_default();
    let transitive_keys = req.transitive_tag_keys.as_deref().unwrap_or_default();
    let provided_contexts = req.provided_contexts.as_deref().unwrap_or_default();
    if matches!(caller.principal, Principal::Root { .. }) {
        return Err(Error::new(
            ErrorCode::AccessDenied,
            ROOT_ASSUME_TEXT.to_owned(),
        ));
    }
    let snapshot = &*caller.snapshot;
    let now = whole_seconds(engine.clock.now());
    let Some(role) = find_role(snapshot, &req.role_arn)? else {
        return Err(not_authorized(&caller.arn, "sts:AssumeRole", &req.role_arn));
    };
    // A workload identity context (IssueWorkloadIdentityContext) for this role, from this caller.
    let role_arn = role.arn();
    // Opened first so that the trust policy sees its keys; refused after authorization, so that
    // a caller the trust policy denies (sts:SetContext) learns nothing of the assertion.
    let redeemed = if provided_contexts.is_empty() {
        Ok(None)
    } else {
        redeem(
            engine,
            caller,
            provided_contexts,
            &role_arn,
            now.unix_timestamp(),
        )
        .map(Some)
    };
    let context_keys = redeemed
        .as_ref()
        .ok()
        .and_then(Option::as_ref)
        .map(context_keys)
        .unwrap_or_default();
    // Durations.
    let chained = caller.kind == CallerKind::RoleSession;
    let duration = match req.duration_seconds {
        Some(d) => {
            let d = i64::from(d);
            if chained && d > 3600 {
                return Err(Error::new(
                    ErrorCode::ValidationError,
                    CHAINING_LIMIT_TEXT.to_owned(),
                ));
            }
            if d > i64::from(role.max_session_duration) {
                return Err(Error::new(
                    ErrorCode::ValidationError,
                    MAX_DURATION_TEXT.to_owned(),
                ));
            }
            d
        }
        None => DEFAULT_ROLE_DURATION,
    };
    // A context may end the session earlier.
    let duration = redeemed
        .as_ref()
        .ok()
        .and_then(Option::as_ref)
        .and_then(|c| c.session_expires_at)
        .map_or(duration, |end| duration.min(end - now.unix_timestamp()));
    // Tags: inherited transitive tags, then the request's.
    let inherited = caller.transitive_tags();
    check_tags(req_tags, transitive_keys, &inherited)?;
    let mut tags = inherited.clone();
    tags.extend(req_tags.iter().map(|t| (t.key.clone(), t.value.clone())));
    let mut transitive: Vec<String> = inherited.iter().map(|(k, _)| k.clone()).collect();
    transitive.extend(transitive_keys.iter().cloned());
    // Source identity: once set, it follows the chain unchanged.
    let inherited_si = caller
        .session
        .as_ref()
        .and_then(|s| s.source_identity.clone());
    let source_identity = match (&inherited_si, &req.source_identity) {
        (Some(old), Some(new)) if old != new => {
            return Err(Error::new(
                ErrorCode::AccessDenied,
                format!(
                    "User: {} is not authorized to perform: sts:SetSourceIdentity on resource: {} because the source identity of the calling session ({old}) cannot be changed",
                    caller.arn, req.role_arn
                ),
            ));
        }
        (Some(old), _) => Some(old.clone()),
        (None, new) => new.clone(),
    };
    // Session policies.
    let policy = req.policy.as_deref();
    let request_tags = tag_pairs(req_tags);
    let arns = req.policy_arns.as_deref().unwrap_or_default();
    let (policy_arns, packed) = packed_session_policies(snapshot, policy, arns, &request_tags)?;
    // MFA: the caller's own device.
    let owner = caller.underlying_arn.as_deref().or(match caller.kind {
        CallerKind::User => Some(caller.arn.as_str()),
        _ => None,
    });
    let mfa_now = verify_mfa(
        engine,
        snapshot,
        req.serial_number.as_deref(),
        req.token_code.as_ref(),
        owner,
        now,
    )?;
    let mfa_at = mfa_now.or_else(|| caller.session.as_ref().and_then(|s| s.mfa_authenticated_at));

    // Authorization: the caller's policies and the trust policy, in one evaluation per action.
    let policies = caller.policies(snapshot)?;
    let digits = role.account.digits();
    // Its text once: every use below would otherwise check the twelve digits again.
    let account: &str = &digits;
    let inputs = PolicyInputs {
        identity: &policies.identity,
        resource: Some((role.trust.as_ref(), account)),
        resource_account: None,
        boundary: policies.boundary.as_deref(),
        session: &policies.session,
        scps: caller.scp_levels(),
        rcps: snapshot.rcp_levels(Some(account), "sts:AssumeRole"),
    };
    let evaluator = &*engine.evaluator;
    let needs = with_scope_keys(evaluator, evaluator.key_needs(&inputs), &policies.scopes);
    let build_ctx = |action: &str| {
        let mut ctx = caller.context_builder(action, &role_arn, &needs);
        snapshot.put_resource_org_keys(&mut ctx, Some(account));
        ctx.put("sts:rolesessionname", || req.role_session_name.clone());
        if let Some(e) = &req.external_id {
            ctx.put("sts:externalid", || e.clone());
        }
        if let Some(si) = &req.source_identity {
            ctx.put("sts:sourceidentity", || si.clone());
        }
        if let Some(at) = mfa_now {
            ctx.put("aws:multifactorauthpresent", || "true".to_owned());
            ctx.put("aws:multifactorauthage", || {
                (engine.clock.now() - at).whole_seconds().max(0).to_string()
            });
        }
        put_tag_keys(&mut ctx, &request_tags, transitive_keys);
        put_role_tags(&mut ctx, &role);
        for (k, v) in &context_keys {
            ctx.put_runtime(k, || vec![v.clone()]);
        }
        ctx.finish()
    };
    let mut actions = vec!["sts:AssumeRole"];
    if !req_tags.is_empty() {
        actions.push("sts:TagSession");
    }
    if req.source_identity.is_some() {
        actions.push("sts:SetSourceIdentity");
    }
    if !provided_contexts.is_empty() {
        actions.push("sts:SetContext");
    }
    for action in actions {
        let ctx = build_ctx(action);
        // A scoped caller's scope-down policies limit its AssumeRole as any other request.
        let verdict = evaluator.evaluate(&inputs, &ctx, false)?;
        let verdict = intersect_scopes(
            evaluator,
            &policies.scopes,
            &caller.account,
            &ctx,
            verdict,
            false,
        )?;
        if !verdict.is_allowed() {
            let name = [req.role_session_name.as_str()];
            let extra: [(&str, &[&str]); 1] = [("sts:rolesessionname", &name)];
            return Err(engine.denial(caller, action, &role_arn, &inputs, &ctx, &extra));
        }
    }

    let context = redeemed?;

    // Mint.
    let session = role_session(&role, &req.role_session_name);
    let assumed = AssumedRoleUser {
        assumed_role_id: session.assumed_role_id(),
        arn: session.session_arn_string(),
    };
    let mut claims = SessionClaims::new(
        Principal::AssumedRole(session),
        now,
        now + time::Duration::seconds(duration),
    );
    claims.mfa_authenticated_at = mfa_at;
    claims.source_identity = source_identity.clone();
    claims.tags = tags;
    claims.transitive_tag_keys = transitive;
    claims.session_policy = req.policy.clone();
    claims.policy_arns = policy_arns;
    claims.role_chained = chained;
    claims.context = context.map(|c| {
        Box::new(TrustedContext {
            workload: Some(WorkloadIdentity {
                provider_arn: c.provider_arn,
                template_arn: c.template_arn,
                subject: c.subject,
            }),
            keys: context_keys,
        })
    });
    claims.caller_arn = Some(caller.arn.clone());
    claims.original_caller_arn = caller.session.as_ref().and_then(|s| {
        s.original_caller_arn
            .clone()
            .or_else(|| s.caller_arn.clone())
    });
    let minted = mint(engine, &mut claims, req.minimum_session_token_size)?;
    engine.note_role_use(role.unique_id.as_str(), now, &caller.env.region);
    Ok(AssumeRoleResponse {
        credentials: Some(minted.credentials),
        session_token_size: minted.size,
        session_token_utilization: minted.utilization,
        assumed_role_user: Some(assumed),
        packed_policy_size: packed,
        source_identity,
    })
}
