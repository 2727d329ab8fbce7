//! AssumeRoleWithWebIdentity and AssumeRoleWithSAML over the registered
//! [`IdentityProvider`](crate::idp::IdentityProvider)s.

use std::sync::Arc;

use base64::Engine as _;
use keyturn_api::sts::{
    AssumeRoleWithSAMLRequest, AssumeRoleWithSAMLResponse, AssumeRoleWithWebIdentityRequest,
    AssumeRoleWithWebIdentityResponse, AssumedRoleUser, PolicyDescriptorType,
};
use sha1::{Digest, Sha1};

use super::assume_role::{
    DEFAULT_ROLE_DURATION, MAX_DURATION_TEXT, find_role, put_role_tags, put_tag_keys, role_session,
};
use crate::arn::Arn;
use crate::engine::snapshot::{RoleEntry, Snapshot};
use crate::engine::{CallerEnv, ContextBuilder, Engine, KeySink};
use crate::evaluator::PolicyInputs;
use crate::idp::{
    FederatedIdentity, FederationKind, FederationRequest, IdentityProvider, ProviderInfo,
};
use crate::ops::prelude::*;
use crate::ops::support::{Minted, mint, packed_session_policies, whole_seconds};
use crate::principal::{Principal, RoleSession, SamlInfo, WebIdentityInfo};
use crate::request::HttpParts;
use crate::token::{SessionClaims, TrustedContext};

use super::propagation::{self, Propagated};

/// The issuer (`iss`) of a JWT, read without verifying it (for the error message only).
fn jwt_issuer(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v.get("iss")?.as_str().map(str::to_owned)
}

fn providers(snapshot: &Snapshot, account: &str, kind: FederationKind) -> Vec<ProviderInfo> {
    let Some(a) = snapshot.data.account(account) else {
        return Vec::new();
    };
    match kind {
        FederationKind::WebIdentity => a
            .oidc_providers
            .iter()
            .map(|p| {
                let jwks = p
                    .jwks
                    .clone()
                    .or_else(|| {
                        p.jwks_file
                            .as_ref()
                            .and_then(|f| std::fs::read_to_string(f).ok())
                    })
                    .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                    .unwrap_or(serde_json::Value::Null);
                ProviderInfo {
                    arn: p.arn(account),
                    account_id: account.to_owned(),
                    settings: serde_json::json!({
                        "url": p.url,
                        "client_ids": p.client_ids,
                        "thumbprints": p.thumbprints,
                        "jwks": jwks,
                    }),
                }
            })
            .collect(),
        FederationKind::Saml => a
            .saml_providers
            .iter()
            .map(|p| {
                let metadata = p.metadata.clone().or_else(|| {
                    p.metadata_file
                        .as_ref()
                        .and_then(|f| std::fs::read_to_string(f).ok())
                });
                let mut settings = serde_json::json!({"name": p.name, "metadata": metadata});
                // The encryption settings and the private keys (secrets: ProviderInfo keeps them
                // out of Debug and wipes them when dropped).
                if let Some(mode) = &p.assertion_encryption_mode {
                    settings["assertion_encryption_mode"] = mode.as_str().into();
                }
                if !p.private_keys.is_empty() {
                    settings["private_keys"] = p
                        .private_keys
                        .iter()
                        .map(|k| serde_json::Value::from(k.pem.expose()))
                        .collect();
                }
                ProviderInfo {
                    arn: p.arn(account),
                    account_id: account.to_owned(),
                    settings,
                }
            })
            .collect(),
    }
}

/// The trusted identity propagation of `id` (verified for a `kind` request to a role of
/// `account`), when the provider that vouched for it has a context provider.
///
/// # Errors
/// As [`propagation::propagate`].
fn propagated(
    snapshot: &Snapshot,
    account: &str,
    kind: FederationKind,
    id: &FederatedIdentity,
) -> Result<Option<Propagated>, Error> {
    let Some(a) = snapshot.data.account(account) else {
        return Ok(None);
    };
    let provider = match kind {
        FederationKind::WebIdentity => a
            .oidc_providers
            .iter()
            .find(|p| p.arn(account) == id.provider_arn)
            .and_then(|p| p.context_provider.as_ref()),
        FederationKind::Saml => a
            .saml_providers
            .iter()
            .find(|p| p.arn(account) == id.provider_arn)
            .and_then(|p| p.context_provider.as_ref()),
    };
    provider
        .map(|cp| propagation::propagate(cp, id, kind))
        .transpose()
}

/// What the two actions share once the token is verified.
struct Federated<'a> {
    action: &'static str,
    role: &'a RoleEntry,
    session_name: String,
    identity: &'a FederatedIdentity,
    policy: Option<&'a str>,
    policy_arns: &'a [PolicyDescriptorType],
    duration: Option<i32>,
    extra_keys: Vec<(String, String)>,
    /// `MinimumSessionTokenSize`.
    minimum_token_size: Option<i32>,
    /// The trusted identity propagation context, when the provider has a context provider.
    context: Option<TrustedContext>,
}

struct Outcome {
    minted: Minted,
    assumed: AssumedRoleUser,
    packed: Option<i32>,
}

fn trust_and_mint(
    engine: &Engine,
    snapshot: &Snapshot,
    http: &HttpParts<'_>,
    f: &Federated<'_>,
    principal_of: impl FnOnce(RoleSession) -> Principal,
) -> Result<Outcome, Error> {
    let now = whole_seconds(engine.clock.now());
    let role = f.role;
    let denied = || {
        Error::new(
            ErrorCode::AccessDenied,
            format!("Not authorized to perform {}", f.action),
        )
    };
    let role_arn = role.arn();
    let account = role.account.digits();
    let id = f.identity;
    let tags = id.session_tags.clone();
    let principal = keyturn_policy::Principal::federated(&id.provider_arn, &account);
    // The role's account's RCPs govern the federation actions (STS supports RCPs); a
    // federated principal has no account of its own, so no SCP applies.
    let inputs = PolicyInputs {
        resource: Some((role.trust.as_ref(), &account)),
        rcps: snapshot.rcp_levels(Some(&account), "sts:AssumeRole"),
        ..PolicyInputs::default()
    };
    let needs = engine.evaluator.key_needs(&inputs);
    let build = |action: &str| {
        let mut ctx = ContextBuilder::new(principal.clone(), action, &role_arn, &needs);
        snapshot.put_resource_org_keys(&mut ctx, Some(&account));
        CallerEnv::new(engine.clock.now(), &engine.region, Some(http)).put_keys(&mut ctx);
        ctx.put("sts:rolesessionname", || f.session_name.clone());
        for (k, vs) in &id.condition_keys {
            ctx.put_runtime(k, || vs.clone());
        }
        let propagated = f.context.iter().flat_map(|c| &c.keys);
        for (k, v) in f.extra_keys.iter().chain(propagated) {
            if !ctx.has(k) {
                ctx.put_runtime(k, || vec![v.clone()]);
            }
        }
        if let Some(si) = &id.source_identity {
            ctx.put("sts:sourceidentity", || si.clone());
        }
        put_tag_keys(&mut ctx, &tags, &id.transitive_tag_keys);
        put_role_tags(&mut ctx, role);
        ctx.finish()
    };
    let mut actions = vec![f.action];
    if !tags.is_empty() {
        actions.push("sts:TagSession");
    }
    if id.source_identity.is_some() {
        actions.push("sts:SetSourceIdentity");
    }
    for action in actions {
        if !engine
            .evaluator
            .evaluate(&inputs, &build(action), false)?
            .is_allowed()
        {
            return Err(denied());
        }
    }
    let duration = match f.duration {
        Some(d) if i64::from(d) > i64::from(role.max_session_duration) => {
            return Err(Error::new(
                ErrorCode::ValidationError,
                MAX_DURATION_TEXT.to_owned(),
            ));
        }
        Some(d) => i64::from(d),
        None => DEFAULT_ROLE_DURATION,
    };
    let mut expires = now + time::Duration::seconds(duration);
    if let Some(limit) = id.session_not_on_or_after {
        expires = expires.min(limit);
    }
    let (policy_arns, packed) = packed_session_policies(snapshot, f.policy, f.policy_arns, &tags)?;
    let session = role_session(role, &f.session_name);
    let assumed = AssumedRoleUser {
        assumed_role_id: session.assumed_role_id(),
        arn: session.session_arn_string(),
    };
    let mut claims = SessionClaims::new(principal_of(session), now, expires);
    claims.source_identity = id.source_identity.clone();
    claims.tags = tags;
    claims.transitive_tag_keys = id.transitive_tag_keys.clone();
    claims.session_policy = f.policy.map(str::to_owned);
    claims.policy_arns = policy_arns;
    claims.caller_arn = Some(id.provider_arn.clone());
    claims.context = f.context.clone().map(Box::new);
    let minted = mint(engine, &mut claims, f.minimum_token_size)?;
    // Unsigned: the endpoint's own region.
    engine.note_role_use(role.unique_id.as_str(), now, engine.region());
    Ok(Outcome {
        minted,
        assumed,
        packed,
    })
}

fn role_account(role_arn: &str) -> Result<String, Error> {
    Ok(Arn::parse(role_arn)?.account().to_owned())
}

/// Where a federation request starts: the model, the account of the role it asks for, the
/// providers of its kind that the account declares, and the verifier registered for that kind.
struct Start<'e> {
    snapshot: Arc<Snapshot>,
    account: String,
    declared: Vec<ProviderInfo>,
    verifier: Option<&'e Arc<dyn IdentityProvider>>,
}

/// The [`Start`] of a federation request of `kind` for the role `role_arn`.
///
/// # Errors
/// As [`Engine::snapshot`]; as [`Arn::parse`] for a role ARN that does not parse.
fn start<'e>(engine: &'e Engine, role_arn: &str, kind: FederationKind) -> Result<Start<'e>, Error> {
    let snapshot = engine.snapshot()?;
    let account = role_account(role_arn)?;
    let declared = providers(&snapshot, &account, kind);
    let verifier = engine.identity_providers.iter().find(|p| p.kind() == kind);
    Ok(Start {
        snapshot,
        account,
        declared,
        verifier,
    })
}

operation! {
    /// `sts:AssumeRoleWithWebIdentity` (unsigned): a role session for the subject of an OIDC token
    /// that a configured provider verified, if the role's trust policy allows it.
    AssumeRoleWithWebIdentity(AssumeRoleWithWebIdentityRequest)
        -> AssumeRoleWithWebIdentityResponse;
    const ACTION: Option<&'static str> = None;
    const UNSIGNED: bool = true;

    fn run(cx, input) {
        assume_role_with_web_identity(cx, &input)
    }
}

operation! {
    /// `sts:AssumeRoleWithSAML` (unsigned): a role session for the subject of a SAML response that
    /// a configured provider verified, if the role's trust policy allows it.
    AssumeRoleWithSaml(AssumeRoleWithSAMLRequest) -> AssumeRoleWithSAMLResponse;
    const ACTION: Option<&'static str> = None;
    const UNSIGNED: bool = true;

    fn run(cx, input) {
        assume_role_with_saml(cx, &input)
    }
}

fn assume_role_with_web_identity(
    cx: &Context<'_>,
    req: &AssumeRoleWithWebIdentityRequest,
) -> Result<AssumeRoleWithWebIdentityResponse, Error> {
    let from = start(cx.engine, &req.role_arn, FederationKind::WebIdentity)?;
    let token = req.web_identity_token.expose();
    let issuer = jwt_issuer(token).unwrap_or_default();
    let (Some(provider), false) = (from.verifier, from.declared.is_empty()) else {
        return Err(Error::new(
            ErrorCode::InvalidIdentityToken,
            format!("No OpenIDConnect provider found in your account for {issuer}"),
        ));
    };
    let identity = provider.verify(&FederationRequest {
        kind: FederationKind::WebIdentity,
        token: token.to_owned(),
        role_arn: req.role_arn.clone(),
        principal_arn: None,
        providers: from.declared,
        now: cx.engine.clock.now(),
    })?;
    let action = "sts:AssumeRoleWithWebIdentity";
    let kind = FederationKind::WebIdentity;
    let propagated = propagated(&from.snapshot, &from.account, kind, &identity)?;
    let role = find_role(&from.snapshot, &req.role_arn)?.ok_or_else(|| {
        Error::new(
            ErrorCode::AccessDenied,
            format!("Not authorized to perform {action}"),
        )
    })?;
    let f = Federated {
        action,
        role: &role,
        session_name: req.role_session_name.clone(),
        identity: &identity,
        policy: req.policy.as_deref(),
        policy_arns: req.policy_arns.as_deref().unwrap_or_default(),
        duration: req.duration_seconds,
        extra_keys: Vec::new(),
        minimum_token_size: req.minimum_session_token_size,
        context: propagated.as_ref().map(|p| p.context.clone()),
    };
    let info = WebIdentityInfo {
        provider: identity.provider_arn.clone(),
        subject: identity.subject.clone(),
        audience: identity.audience.clone(),
    };
    let m = trust_and_mint(cx.engine, &from.snapshot, cx.http, &f, |session| {
        Principal::WebIdentitySession {
            session,
            identity: info,
        }
    })?;
    Ok(AssumeRoleWithWebIdentityResponse {
        credentials: Some(m.minted.credentials),
        session_token_size: m.minted.size,
        session_token_utilization: m.minted.utilization,
        subject_from_web_identity_token: Some(identity.subject.clone()),
        assumed_role_user: Some(m.assumed),
        packed_policy_size: m.packed,
        provider: Some(req.provider_id.clone().unwrap_or(identity.issuer.clone())),
        audience: Some(identity.audience.clone()),
        source_identity: identity.source_identity.clone(),
        trusted_identity_propagation_context: propagated.and_then(|p| p.response),
    })
}

/// `BASE64(SHA1(issuer + accountId + "/" + providerName))`.
pub fn saml_name_qualifier(issuer: &str, account: &str, provider_name: &str) -> String {
    let mut h = Sha1::new();
    h.update(issuer.as_bytes());
    h.update(account.as_bytes());
    h.update(b"/");
    h.update(provider_name.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(h.finalize())
}

fn assume_role_with_saml(
    cx: &Context<'_>,
    req: &AssumeRoleWithSAMLRequest,
) -> Result<AssumeRoleWithSAMLResponse, Error> {
    let mut from = start(cx.engine, &req.role_arn, FederationKind::Saml)?;
    // Only the provider the request names goes to the verifier (with its private keys).
    from.declared.retain(|p| p.arn == req.principal_arn);
    let known = from.declared.iter().any(|p| p.arn == req.principal_arn);
    let (Some(provider), true) = (from.verifier, known) else {
        return Err(Error::new(
            ErrorCode::InvalidIdentityToken,
            format!(
                "SAML Provider {} does not exist or is not authorized for this role",
                req.principal_arn
            ),
        ));
    };
    let identity = provider.verify(&FederationRequest {
        kind: FederationKind::Saml,
        token: req.saml_assertion.expose().to_owned(),
        role_arn: req.role_arn.clone(),
        principal_arn: Some(req.principal_arn.clone()),
        providers: from.declared,
        now: cx.engine.clock.now(),
    })?;
    let action = "sts:AssumeRoleWithSAML";
    let denied = || {
        Error::new(
            ErrorCode::AccessDenied,
            format!("Not authorized to perform {action}"),
        )
    };
    if !identity.roles.is_empty()
        && !identity
            .roles
            .iter()
            .any(|(r, p)| r == &req.role_arn && p == &req.principal_arn)
    {
        return Err(denied());
    }
    let propagated = propagated(
        &from.snapshot,
        &from.account,
        FederationKind::Saml,
        &identity,
    )?;
    let role = find_role(&from.snapshot, &req.role_arn)?.ok_or_else(denied)?;
    let session_name = identity.role_session_name.clone().ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidIdentityToken,
            "The SAML assertion does not contain a RoleSessionName attribute",
        )
    })?;
    let provider_name = req
        .principal_arn
        .rsplit_once("saml-provider/")
        .map_or("", |(_, n)| n);
    let name_qualifier = saml_name_qualifier(&identity.issuer, &from.account, provider_name);
    let subject_type = identity.subject_type.clone().unwrap_or_default();
    let extra_keys = vec![
        ("saml:namequalifier".to_owned(), name_qualifier.clone()),
        ("saml:sub".to_owned(), identity.subject.clone()),
        ("saml:sub_type".to_owned(), subject_type.clone()),
        ("saml:iss".to_owned(), identity.issuer.clone()),
        ("saml:aud".to_owned(), identity.audience.clone()),
    ];
    let duration = req.duration_seconds.or_else(|| {
        identity
            .session_duration
            .and_then(|d| i32::try_from(d).ok())
    });
    let f = Federated {
        action,
        role: &role,
        session_name,
        identity: &identity,
        policy: req.policy.as_deref(),
        policy_arns: req.policy_arns.as_deref().unwrap_or_default(),
        duration,
        extra_keys,
        minimum_token_size: req.minimum_session_token_size,
        context: propagated.as_ref().map(|p| p.context.clone()),
    };
    let info = SamlInfo {
        provider_arn: req.principal_arn.clone(),
        subject: identity.subject.clone(),
        subject_type: subject_type.clone(),
        issuer: identity.issuer.clone(),
        audience: identity.audience.clone(),
        name_qualifier: name_qualifier.clone(),
    };
    let m = trust_and_mint(cx.engine, &from.snapshot, cx.http, &f, |session| {
        Principal::SamlSession {
            session,
            identity: info,
        }
    })?;
    Ok(AssumeRoleWithSAMLResponse {
        credentials: Some(m.minted.credentials),
        session_token_size: m.minted.size,
        session_token_utilization: m.minted.utilization,
        assumed_role_user: Some(m.assumed),
        packed_policy_size: m.packed,
        subject: Some(identity.subject.clone()),
        subject_type: Some(subject_type),
        issuer: Some(identity.issuer.clone()),
        audience: Some(identity.audience.clone()),
        name_qualifier: Some(name_qualifier),
        source_identity: identity.source_identity.clone(),
        trusted_identity_propagation_context: propagated.and_then(|p| p.response),
    })
}
