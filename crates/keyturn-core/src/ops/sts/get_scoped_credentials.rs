//! GetScopedCredentials: new credentials of the caller's own session, narrowed by a scope-down
//! policy, shortened, or both.
//!
//! The new session is the caller's session (the same principal, session name, tags, source
//! identity, MFA state, issue time and chain) with one more scope-down policy appended to
//! [`SessionClaims::scope_policies`] and, with `DurationSeconds`, an earlier expiry. Every
//! request made with it must be allowed by the session's permissions and by each scope-down
//! policy ([`crate::evaluator::intersect_scopes`]).

use keyturn_api::sts::{GetScopedCredentialsRequest, GetScopedCredentialsResponse, ScopedSession};

use crate::engine::{Caller, CallerKind, Engine};
use crate::evaluator::{PolicyRef, PolicySource};
use crate::ops::prelude::*;
use crate::ops::support::{MAX_SESSION_TOKEN_SIZE, mint, packed_policy_size, whole_seconds};
use crate::token::MAX_SCOPE_POLICIES;

/// The refusal of long-term credentials (an IAM user's or the root user's access key).
pub const LONG_TERM_TEXT: &str = "GetScopedCredentials can only be called with temporary security credentials. To scope down IAM user or root user credentials, call GetSessionToken first and call GetScopedCredentials with those credentials.";
/// The refusal of a request with neither `Policy` nor `DurationSeconds`.
pub const NOTHING_TO_SCOPE_TEXT: &str =
    "A request must provide at least one of Policy or DurationSeconds.";
/// The refusal of a fourth scope-down policy.
pub const TOO_MANY_LAYERS_TEXT: &str = "The calling session already has the maximum of 3 scope down policies: GetScopedCredentials cannot append another.";

operation! {
    /// `sts:GetScopedCredentials`: the caller's temporary credentials, scoped down.
    GetScopedCredentials(GetScopedCredentialsRequest) -> GetScopedCredentialsResponse;
    // Authorized in `run`, on the caller's own session, after the checks of the credentials
    // that call it (long-term keys are refused whatever their policies say).
    const ACTION: Option<&'static str> = None;

    fn run(cx, input) {
        get_scoped_credentials(cx.engine, cx.caller()?, &input)
    }
}

fn get_scoped_credentials(
    engine: &Engine,
    caller: &Caller,
    req: &GetScopedCredentialsRequest,
) -> Result<GetScopedCredentialsResponse, Error> {
    let session = match (caller.kind, &caller.session) {
        (CallerKind::Root | CallerKind::User, _) | (_, None) => {
            return Err(Error::new(
                ErrorCode::InvalidSubjectCredentials,
                LONG_TERM_TEXT.to_owned(),
            ));
        }
        (_, Some(session)) => session,
    };
    if req.policy.is_none() && req.duration_seconds.is_none() {
        return Err(Error::new(
            ErrorCode::ValidationError,
            NOTHING_TO_SCOPE_TEXT.to_owned(),
        ));
    }
    // The session itself is the resource: its own permissions (scope-down policies included)
    // must allow it to scope itself down again.
    engine.require(caller, "sts:GetScopedCredentials", &caller.arn, &[])?;
    if let Some(text) = &req.policy {
        PolicyRef::parse(
            "ScopeDownPolicy",
            PolicySource::None,
            text,
            keyturn_policy::PolicyType::Session,
        )?;
        if session.scope_policies.len() >= MAX_SCOPE_POLICIES {
            return Err(Error::new(
                ErrorCode::AccessDenied,
                TOO_MANY_LAYERS_TEXT.to_owned(),
            ));
        }
    }
    let now = whole_seconds(engine.clock.now());
    let remaining = (session.expires_at - now).whole_seconds();
    let expires_at = match req.duration_seconds.map(i64::from) {
        Some(d) if d > remaining => {
            return Err(Error::new(
                ErrorCode::InsufficientSessionLifetime,
                format!(
                    "The requested DurationSeconds ({d}) exceeds the remaining lifetime of the calling session ({remaining} seconds)."
                ),
            ));
        }
        Some(d) => now + time::Duration::seconds(d),
        None => session.expires_at,
    };
    let mut claims = session.clone();
    claims.expires_at = expires_at;
    if let Some(text) = &req.policy {
        claims.scope_policies.push(text.clone());
    }
    // The session's packed budget holds its own session policies and tags and every
    // scope-down policy.
    let mut packed_text = claims.session_policy.clone().unwrap_or_default();
    claims
        .scope_policies
        .iter()
        .for_each(|p| packed_text.push_str(p));
    let packed = (!packed_text.is_empty()).then_some(packed_text.as_str());
    packed_policy_size(packed, &claims.policy_arns, &claims.tags)?;
    let count = i32::try_from(claims.scope_policies.len()).unwrap_or(i32::MAX);
    let source_identity = claims.source_identity.clone();
    let minted = mint(engine, claims, req.minimum_session_token_size)?;
    if minted
        .size
        .is_some_and(|n| n > MAX_SESSION_TOKEN_SIZE as i32)
    {
        return Err(Error::new(
            ErrorCode::PackedPolicyTooLarge,
            "The session token exceeds the maximum allowed size: reduce the size of the scope down policy and try again.".to_owned(),
        ));
    }
    Ok(GetScopedCredentialsResponse {
        credentials: Some(minted.credentials),
        session_info: Some(ScopedSession {
            scoped_session_id: caller.user_id.clone(),
            arn: caller.arn.clone(),
        }),
        session_token_utilization: minted.utilization,
        session_token_size: minted.size,
        scoped_policies_count: Some(count),
        source_identity,
    })
}
