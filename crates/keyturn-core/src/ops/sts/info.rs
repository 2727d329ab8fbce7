//! The small STS actions: GetCallerIdentity, GetAccessKeyInfo, DecodeAuthorizationMessage, and
//! the actions an engine without AWS Organizations refuses (AssumeRoot, GetDelegatedAccessToken).

use keyturn_api::sts::{
    AssumeRootRequest, AssumeRootResponse, DecodeAuthorizationMessageRequest,
    DecodeAuthorizationMessageResponse, GetAccessKeyInfoRequest, GetAccessKeyInfoResponse,
    GetCallerIdentityRequest, GetCallerIdentityResponse, GetDelegatedAccessTokenRequest,
    GetDelegatedAccessTokenResponse,
};

use crate::ops::prelude::*;

/// ExpiredTradeInTokenException's documented text.
pub const EXPIRED_TRADE_IN_TEXT: &str = "The trade-in token provided in the request has expired and can no longer be exchanged for credentials. Request a new token and retry the operation.";

operation! {
    /// `sts:GetCallerIdentity`: who the caller is. It cannot be denied.
    GetCallerIdentity(GetCallerIdentityRequest) -> GetCallerIdentityResponse;
    const ACTION: Option<&'static str> = None;

    fn run(cx, _) {
        let caller = cx.caller()?;
        Ok(GetCallerIdentityResponse {
            user_id: Some(caller.user_id.clone()),
            account: Some(caller.account.clone()),
            arn: Some(caller.arn.clone()),
        })
    }
}

operation! {
    /// `sts:GetAccessKeyInfo`: the account an access key id belongs to (decoded from the id).
    GetAccessKeyInfo(GetAccessKeyInfoRequest) -> GetAccessKeyInfoResponse;
    const ACTION: Option<&'static str> = None;

    fn run(_, input) {
        let account = crate::ids::decode_account(&input.access_key_id)?;
        Ok(GetAccessKeyInfoResponse {
            account: Some(account.to_string()),
        })
    }
}

operation! {
    /// `sts:DecodeAuthorizationMessage`: opens the encoded message of a denial.
    DecodeAuthorizationMessage(DecodeAuthorizationMessageRequest)
        -> DecodeAuthorizationMessageResponse;
    // Authorized in `run`: AWS's denial names no resource and carries no encoded message.
    const ACTION: Option<&'static str> = None;

    fn run(cx, input) {
        let caller = cx.caller()?;
        let a = cx
            .engine
            .authorize(caller, "sts:DecodeAuthorizationMessage", "*", &[])?;
        if !a.is_allowed() {
            return Err(Error::new(
                ErrorCode::AccessDenied,
                format!(
                    "User: {} is not authorized to perform: sts:DecodeAuthorizationMessage",
                    caller.arn
                ),
            ));
        }
        let bytes = cx
            .engine
            .signer
            .open_message(input.encoded_message.trim())?;
        let decoded_message = String::from_utf8(bytes).map_err(|_| {
            Error::new(
                ErrorCode::InvalidAuthorizationMessageException,
                crate::signer::INVALID_MESSAGE_TEXT,
            )
        })?;
        Ok(DecodeAuthorizationMessageResponse {
            decoded_message: Some(decoded_message),
        })
    }
}

operation! {
    /// `sts:AssumeRoot`. It needs an Organizations management (or delegated administrator) account
    /// with centralized root access; Keyturn models no organization, so every caller is refused the
    /// way AWS refuses a caller outside one: `AccessDenied` naming the target's root.
    AssumeRoot(AssumeRootRequest) -> AssumeRootResponse;
    const ACTION: Option<&'static str> = None;

    fn run(cx, input) {
        let caller = cx.caller()?;
        let target = if input.target_principal.starts_with("arn:") {
            input.target_principal.clone()
        } else {
            format!("arn:aws:iam::{}:root", input.target_principal)
        };
        Err(Error::new(
            ErrorCode::AccessDenied,
            format!(
                "User: {} is not authorized to perform: sts:AssumeRoot on resource: {target}",
                caller.arn
            ),
        ))
    }
}

operation! {
    /// `sts:GetDelegatedAccessToken`. No delegation request can be accepted without the IAM
    /// partner-delegation flow, so no trade-in token is ever valid.
    GetDelegatedAccessToken(GetDelegatedAccessTokenRequest) -> GetDelegatedAccessTokenResponse;
    const ACTION: Option<&'static str> = None;

    fn run(_, _) {
        Err(Error::new(
            ErrorCode::ExpiredTradeInTokenException,
            EXPIRED_TRADE_IN_TEXT,
        ))
    }
}
