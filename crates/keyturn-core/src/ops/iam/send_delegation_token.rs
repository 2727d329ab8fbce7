//! `iam:SendDelegationToken`: the trade-in token, sealed and delivered to the partner.

use keyturn_api::iam::SendDelegationTokenRequest;

use super::delegation::{self, Access};
use crate::engine::delegation::{TradeIn, append_line};
use crate::iam::DelegationState;
use crate::ops::prelude::*;
use crate::ops::support::whole_seconds;

/// The refusal of a caller other than the owner when the partner set `OnlySendByOwner`.
pub const ONLY_OWNER_TEXT: &str =
    "Only the owner of this delegation request can send its delegation token.";

operation! {
    /// `iam:SendDelegationToken` on `*`: an ACCEPTED request of the caller's account becomes
    /// FINALIZED, and a trade-in token valid for the request's `SessionDuration` from now is
    /// appended, as one JSON line, to the file the operator configured for the request's
    /// notification channel. With `OnlySendByOwner`, only the owner may send it. The token is
    /// delivered before the state is stored: a token whose request did not become FINALIZED
    /// (another writer rejected it in between) is never accepted by GetDelegatedAccessToken.
    SendDelegationToken(SendDelegationTokenRequest) -> NoOutput;

    fn run(cx, input) {
        let caller = cx.caller()?;
        let id = &input.delegation_request_id;
        let (requestor, request) =
            delegation::authorized(cx, id, "iam:SendDelegationToken", Access::OwnerAccount)?;
        if request.only_send_by_owner && !delegation::is_owner(caller, &request) {
            return Err(Error::new(ErrorCode::AccessDenied, ONLY_OWNER_TEXT));
        }
        let now = whole_seconds(cx.engine.clock().now());
        let state = request.state_at(now);
        if state != DelegationState::Accepted {
            return Err(delegation::wrong_state(id, state, "sent"));
        }
        let path = cx
            .engine
            .delegation_channel(&request.notification_channel)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "The notification channel {} is not configured for delegation requests.",
                        request.notification_channel
                    ),
                )
            })?;
        let expires = now + time::Duration::seconds(i64::from(request.session_duration));
        let trade_in = TradeIn {
            id: id.clone(),
            requestor: requestor.clone(),
            sent_at: now.unix_timestamp(),
            expires_at: expires.unix_timestamp(),
        };
        let token = cx.engine.seal_trade_in(&trade_in)?;
        let line = serde_json::json!({
            "Type": "DelegationToken",
            "TopicArn": request.notification_channel,
            "DelegationRequestId": id,
            "RequestorWorkflowId": request.requestor_workflow_id,
            "TradeInToken": token,
            "ExpirationTime": delegation::stamp(expires),
            "Timestamp": delegation::stamp(now),
        });
        append_line(&path, &line.to_string())?;
        delegation::commit(cx, &requestor, id, (&[DelegationState::Accepted], "sent"), |r, _| {
            r.state = DelegationState::Finalized;
            r.sent_at = Some(delegation::stamp(now));
            r.expiration_time = delegation::stamp(expires);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
