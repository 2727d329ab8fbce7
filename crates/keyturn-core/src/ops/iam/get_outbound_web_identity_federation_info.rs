//! `iam:GetOutboundWebIdentityFederationInfo`.

use keyturn_api::iam::{
    GetOutboundWebIdentityFederationInfoRequest, GetOutboundWebIdentityFederationInfoResponse,
};

use super::disable_outbound_web_identity_federation::FEATURE_DISABLED_TEXT;
use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetOutboundWebIdentityFederationInfo` on `*`: the account's issuer URL and
    /// `JwtVendingEnabled`. Never enabled or disabled: `FeatureDisabled` (404), as AWS answers.
    GetOutboundWebIdentityFederationInfo(GetOutboundWebIdentityFederationInfoRequest)
        -> GetOutboundWebIdentityFederationInfoResponse;

    fn run(cx, _input) {
        let v = shared::view(cx)?;
        let account = v.account();
        if !account.outbound_web_identity_federation {
            return Err(Error::new(ErrorCode::FeatureDisabled, FEATURE_DISABLED_TEXT));
        }
        Ok(GetOutboundWebIdentityFederationInfoResponse {
            issuer_identifier: Some(cx.engine.issuer_url(&account.id)),
            jwt_vending_enabled: Some(true),
        })
    }
}
