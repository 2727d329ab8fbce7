//! GetCallerIdentity, GetAccessKeyInfo, DecodeAuthorizationMessage, and the actions an engine
//! without AWS Organizations refuses (AssumeRoot, GetDelegatedAccessToken,
//! GetWebIdentityToken).

use crate::ErrorCode;
use crate::Error;
use crate::engine::{Caller, Engine};
use crate::sts::ApiResponse;
use crate::sts::api::{
    AssumeRootRequest, DecodeAuthorizationMessageRequest, DecodeAuthorizationMessageResponse,
    GetAccessKeyInfoRequest, GetAccessKeyInfoResponse, GetCallerIdentityResponse,
};

/// ExpiredTradeInTokenException's documented text.
pub const EXPIRED_TRADE_IN_TEXT: &str = "The trade-in token provided in the request has expired and can no longer be exchanged for credentials. Request a new token and retry the operation.";
/// OutboundWebIdentityFederationDisabledException's documented text.
pub const OUTBOUND_DISABLED_TEXT: &str = "The outbound web identity federation feature is not enabled for this account. To use this feature, you must first enable it through the Amazon Web Services Management Console or API.";

pub(crate) fn get_caller_identity(caller: &Caller) -> ApiResponse {
    ApiResponse::GetCallerIdentity(GetCallerIdentityResponse {
        user_id: caller.user_id.clone(),
        account: caller.account.clone(),
        arn: caller.arn.clone(),
    })
}

pub(crate) fn get_access_key_info(req: &GetAccessKeyInfoRequest) -> Result<ApiResponse, Error> {
    let account = crate::ids::decode_account(&req.access_key_id)?;
    Ok(ApiResponse::GetAccessKeyInfo(GetAccessKeyInfoResponse {
        account: account.to_string(),
    }))
}

pub(crate) fn decode_authorization_message(
    engine: &Engine,
    caller: &Caller,
    req: &DecodeAuthorizationMessageRequest,
) -> Result<ApiResponse, Error> {
    let a = engine.authorize(caller, "sts:DecodeAuthorizationMessage", "*", &[])?;
    if !a.is_allowed() {
        return Err(Error::new(ErrorCode::AccessDenied, format!(
            "User: {} is not authorized to perform: sts:DecodeAuthorizationMessage",
            caller.arn
        )));
    }
    let bytes = engine.signer.open_message(req.encoded_message.trim())?;
    let decoded_message = String::from_utf8(bytes).map_err(|_| {
        Error::new(ErrorCode::InvalidAuthorizationMessageException, crate::signer::INVALID_MESSAGE_TEXT.to_owned())
    })?;
    Ok(ApiResponse::DecodeAuthorizationMessage(
        DecodeAuthorizationMessageResponse { decoded_message },
    ))
}

/// AssumeRoot needs an Organizations management (or delegated administrator) account with
/// centralized root access; Keyturn models no organization, so every caller is refused the way
/// AWS refuses a caller outside one: `AccessDenied` naming the target's root.
pub(crate) fn assume_root(caller: &Caller, req: &AssumeRootRequest) -> Result<ApiResponse, Error> {
    let target = if req.target_principal.starts_with("arn:") {
        req.target_principal.clone()
    } else {
        format!("arn:aws:iam::{}:root", req.target_principal)
    };
    Err(Error::new(ErrorCode::AccessDenied, format!(
        "User: {} is not authorized to perform: sts:AssumeRoot on resource: {target}",
        caller.arn
    )))
}

/// No delegation request can be accepted without the IAM partner-delegation flow, so no
/// trade-in token is ever valid.
pub(crate) fn get_delegated_access_token() -> Result<ApiResponse, Error> {
    Err(Error::new(ErrorCode::ExpiredTradeInTokenException, EXPIRED_TRADE_IN_TEXT.to_owned()))
}

/// Outbound web identity federation is never enabled in a Keyturn account.
pub(crate) fn get_web_identity_token() -> Result<ApiResponse, Error> {
    Err(Error::new(ErrorCode::OutboundWebIdentityFederationDisabledException, 
        OUTBOUND_DISABLED_TEXT.to_owned(),
    ))
}
