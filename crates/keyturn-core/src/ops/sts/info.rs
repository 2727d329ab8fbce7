//! The small STS actions: GetCallerIdentity, GetAccessKeyInfo, DecodeAuthorizationMessage.

use keyturn_api::sts::{
    DecodeAuthorizationMessageRequest, DecodeAuthorizationMessageResponse, GetAccessKeyInfoRequest,
    GetAccessKeyInfoResponse, GetCallerIdentityRequest, GetCallerIdentityResponse,
};

use crate::ops::prelude::*;

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
