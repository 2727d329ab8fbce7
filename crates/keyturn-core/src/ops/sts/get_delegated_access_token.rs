//! GetDelegatedAccessToken: a partner trades the token that SendDelegationToken delivered for
//! credentials of the identity that accepted its delegation request.
//!
//! The token is opened with the keyring (no state is needed to open it); it must be unexpired,
//! issued to the caller's account, and its request still FINALIZED with the same send time. The
//! session is the accepting identity (the root user, an IAM user, or a session of the same role
//! with the same session name, read from the current model) from now until the end of the
//! request's `SessionDuration` counted from SendDelegationToken, and every request it makes must
//! be allowed by that identity's permissions and by the delegated policy (a scope-down policy,
//! [`crate::token::SessionClaims::scope_policies`]). The token may be traded again until it
//! expires: AWS documents no single use, and the sessions all end at the same time.

use keyturn_api::sts::{GetDelegatedAccessTokenRequest, GetDelegatedAccessTokenResponse};

use super::assume_role::role_session;
use crate::arn::Partition;
use crate::engine::{Caller, Engine};
use crate::iam::{DelegatedIdentity, DelegationRequest, DelegationState};
use crate::ids::AccountId;
use crate::ops::iam::delegation;
use crate::ops::prelude::*;
use crate::ops::support::{mint, whole_seconds};
use crate::principal::Principal;
use crate::token::SessionClaims;

/// ExpiredTradeInTokenException's documented text.
pub const EXPIRED_TRADE_IN_TEXT: &str = "The trade-in token provided in the request has expired and can no longer be exchanged for credentials. Request a new token and retry the operation.";
/// The refusal of a token Keyturn did not issue, one that was altered, or one whose request is
/// no longer FINALIZED.
pub const INVALID_TRADE_IN_TEXT: &str = "The trade-in token provided in the request is invalid.";
/// The refusal of a token issued to another partner account.
pub const OTHER_PARTNER_TEXT: &str =
    "The trade-in token provided in the request was not issued to the calling account.";
/// The refusal of a token whose accepting identity no longer exists.
pub const IDENTITY_GONE_TEXT: &str =
    "The identity that accepted the delegation request no longer exists.";

operation! {
    /// `sts:GetDelegatedAccessToken` on `*`: credentials of the delegated identity, narrowed
    /// by the delegated policy. `PackedPolicySize` is not populated (the model says so).
    GetDelegatedAccessToken(GetDelegatedAccessTokenRequest) -> GetDelegatedAccessTokenResponse;

    fn run(cx, input) {
        exchange(cx.engine, cx.caller()?, input.trade_in_token.expose())
    }
}

fn exchange(
    engine: &Engine,
    caller: &Caller,
    token: &str,
) -> Result<GetDelegatedAccessTokenResponse, Error> {
    let invalid = || Error::new(ErrorCode::InvalidParameterValue, INVALID_TRADE_IN_TEXT);
    let trade_in = engine.open_trade_in(token).ok_or_else(invalid)?;
    let now = whole_seconds(engine.clock().now());
    if now.unix_timestamp() >= trade_in.expires_at {
        return Err(Error::new(
            ErrorCode::ExpiredTradeInTokenException,
            EXPIRED_TRADE_IN_TEXT,
        ));
    }
    if trade_in.requestor != caller.account {
        return Err(Error::new(ErrorCode::AccessDenied, OTHER_PARTNER_TEXT));
    }
    let snapshot = &caller.snapshot;
    let request = match delegation::find(snapshot, &trade_in.id) {
        Some((requestor, r)) if requestor == trade_in.requestor => r,
        _ => return Err(invalid()),
    };
    let sent_at =
        time::OffsetDateTime::from_unix_timestamp(trade_in.sent_at).map_err(|_| invalid())?;
    if request.state_at(now) != DelegationState::Finalized
        || request.sent_at.as_deref() != Some(delegation::stamp(sent_at).as_str())
    {
        return Err(invalid());
    }
    let expires =
        time::OffsetDateTime::from_unix_timestamp(trade_in.expires_at).map_err(|_| invalid())?;
    let principal = delegated_principal(caller, request)?;
    let assumed_principal = principal.arn_string();
    let mut claims = SessionClaims::new(principal, now, expires);
    claims
        .scope_policies
        .push(request.permission_policy.clone());
    claims.mfa_authenticated_at = request.accepted_with_mfa.then_some(sent_at);
    claims.caller_arn = Some(caller.arn.clone());
    let minted = mint(engine, &mut claims, None)?;
    Ok(GetDelegatedAccessTokenResponse {
        credentials: Some(minted.credentials),
        packed_policy_size: None,
        assumed_principal,
    })
}

/// The principal the request's accepting identity is now, in the current model.
fn delegated_principal(caller: &Caller, request: &DelegationRequest) -> Result<Principal, Error> {
    let gone = || Error::new(ErrorCode::AccessDenied, IDENTITY_GONE_TEXT);
    let account: AccountId = request
        .owner_account_id
        .as_deref()
        .ok_or_else(gone)?
        .parse()?;
    let snapshot = &caller.snapshot;
    Ok(
        match request.delegated_identity.as_ref().ok_or_else(gone)? {
            DelegatedIdentity::Root => Principal::Root {
                partition: Partition::Aws,
                account,
            },
            DelegatedIdentity::User { name } => {
                let user = snapshot.users.get(account, name).ok_or_else(gone)?;
                Principal::User {
                    partition: Partition::Aws,
                    account,
                    path: user.path.clone(),
                    name: user.name.clone(),
                    unique_id: user.unique_id.clone(),
                }
            }
            DelegatedIdentity::RoleSession { role, session } => {
                let role = snapshot.roles.get(account, role).ok_or_else(gone)?;
                Principal::AssumedRole(role_session(role, session))
            }
        },
    )
}
