//! GetSessionToken and GetFederationToken.

use keyturn_api::sts::{
    FederatedUser, GetFederationTokenRequest, GetFederationTokenResponse, GetSessionTokenRequest,
    GetSessionTokenResponse,
};

use crate::arn::{Arn, Partition};
use crate::engine::{Caller, CallerKind};
use crate::ops::prelude::*;
use crate::ops::support::{
    check_tags, mint, packed_session_policies, tag_pairs, verify_mfa, whole_seconds,
};
use crate::principal::Principal;
use crate::token::SessionClaims;

/// Default lifetime of GetSessionToken and GetFederationToken sessions (12 hours).
pub const DEFAULT_TOKEN_DURATION: i64 = 43_200;
/// Longest session of the root user from these two actions.
pub const ROOT_MAX_DURATION: i64 = 3600;

fn long_term_only(caller: &Caller, action: &str) -> Result<(), Error> {
    match caller.kind {
        CallerKind::Root | CallerKind::User => Ok(()),
        _ => Err(Error::new(
            ErrorCode::AccessDenied,
            format!("Cannot call {action} with session credentials"),
        )),
    }
}

fn duration(caller: &Caller, requested: Option<i32>) -> i64 {
    let root = caller.kind == CallerKind::Root;
    match requested.map(i64::from) {
        Some(d) if root => d.min(ROOT_MAX_DURATION),
        Some(d) => d,
        None if root => ROOT_MAX_DURATION,
        None => DEFAULT_TOKEN_DURATION,
    }
}

operation! {
    /// `sts:GetSessionToken`: a session of the caller's own long-term credentials (with MFA when a
    /// code is given).
    GetSessionToken(GetSessionTokenRequest) -> GetSessionTokenResponse;
    // AWS does not authorize GetSessionToken with policies: any long-term key may call it.
    const ACTION: Option<&'static str> = None;

    fn run(cx, input) {
        get_session_token(cx, &input)
    }
}

operation! {
    /// `sts:GetFederationToken`: a federated user session of an IAM user (or root).
    GetFederationToken(GetFederationTokenRequest) -> GetFederationTokenResponse;
    // Authorized in `get_federation_token` on the federated user's ARN (and sts:TagSession).
    const ACTION: Option<&'static str> = None;

    fn run(cx, input) {
        get_federation_token(cx, &input)
    }
}

fn get_session_token(
    cx: &Context<'_>,
    req: &GetSessionTokenRequest,
) -> Result<GetSessionTokenResponse, Error> {
    let (engine, caller) = (cx.engine, cx.caller()?);
    long_term_only(caller, "GetSessionToken")?;
    let snapshot = &*caller.snapshot;
    let now = whole_seconds(engine.clock.now());
    let owner = (caller.kind == CallerKind::User).then_some(caller.arn.as_str());
    let mfa = verify_mfa(
        engine,
        snapshot,
        req.serial_number.as_deref(),
        req.token_code.as_ref(),
        // Root has no virtual devices in the model: any serial fails.
        Some(owner.unwrap_or("")),
        now,
    )?;
    let mut claims = SessionClaims::new(
        caller.principal.clone(),
        now,
        now + time::Duration::seconds(duration(caller, req.duration_seconds)),
    );
    claims.mfa_authenticated_at = mfa;
    claims.caller_arn = Some(caller.arn.clone());
    let minted = mint(engine, claims, req.minimum_session_token_size)?;
    Ok(GetSessionTokenResponse {
        credentials: Some(minted.credentials),
        session_token_size: minted.size,
        session_token_utilization: minted.utilization,
    })
}

fn get_federation_token(
    cx: &Context<'_>,
    req: &GetFederationTokenRequest,
) -> Result<GetFederationTokenResponse, Error> {
    let (engine, caller) = (cx.engine, cx.caller()?);
    let req_tags = req.tags.as_deref().unwrap_or_default();
    long_term_only(caller, "GetFederationToken")?;
    let snapshot = &*caller.snapshot;
    let now = whole_seconds(engine.clock.now());
    let account = caller.principal.account().ok_or_else(|| {
        Error::new(
            ErrorCode::InternalFailure,
            crate::store::INTERNAL_FAILURE_MESSAGE.to_owned(),
        )
    })?;
    let fed_arn = Arn::federated_user(Partition::Aws, account, &req.name).to_string();
    check_tags(req_tags, &[], &[])?;
    let tags = tag_pairs(req_tags);
    let arns = req.policy_arns.as_deref().unwrap_or_default();
    let (policy_arns, packed) =
        packed_session_policies(snapshot, req.policy.as_deref(), arns, &tags)?;
    // The caller needs sts:GetFederationToken (and sts:TagSession with tags).
    engine.require(caller, "sts:GetFederationToken", &fed_arn, &[])?;
    if !tags.is_empty() {
        engine.require(caller, "sts:TagSession", &fed_arn, &[])?;
    }
    let mut claims = SessionClaims::new(
        Principal::FederatedUser {
            partition: Partition::Aws,
            account,
            name: req.name.clone(),
        },
        now,
        now + time::Duration::seconds(duration(caller, req.duration_seconds)),
    );
    claims.tags = tags;
    claims.session_policy = req.policy.clone();
    claims.policy_arns = policy_arns;
    claims.caller_arn = Some(caller.arn.clone());
    if let Principal::User { unique_id, .. } = &caller.principal {
        claims.caller_id = Some(unique_id.clone());
    }
    let minted = mint(engine, claims, req.minimum_session_token_size)?;
    Ok(GetFederationTokenResponse {
        credentials: Some(minted.credentials),
        session_token_size: minted.size,
        session_token_utilization: minted.utilization,
        federated_user: Some(FederatedUser {
            federated_user_id: format!("{account}:{}", req.name),
            arn: fed_arn,
        }),
        // AWS always sends it: 0 without a session policy or tags.
        packed_policy_size: Some(packed.unwrap_or(0)),
    })
}
