//! `iam:EnableOutboundWebIdentityFederation`.

use keyturn_api::iam::{
    EnableOutboundWebIdentityFederationRequest, EnableOutboundWebIdentityFederationResponse,
};

use super::write;
use crate::ops::prelude::*;

/// FeatureEnabled's text (the model's documentation of the error).
pub const FEATURE_ENABLED_TEXT: &str = "Outbound identity federation is already enabled for this account. To fetch the current configuration (including the unique issuer URL), use the GetOutboundWebIdentityFederationInfo operation.";

operation! {
    /// `iam:EnableOutboundWebIdentityFederation` on `*`: the caller's account may call
    /// GetWebIdentityToken, and its issuer (`{public URL}/outbound/{account}`) publishes its OIDC
    /// discovery document and keys. Already enabled: `FeatureEnabled` (409).
    EnableOutboundWebIdentityFederation(EnableOutboundWebIdentityFederationRequest)
        -> EnableOutboundWebIdentityFederationResponse;

    fn run(cx, _input) {
        write::change(cx, |p| {
            if p.account.outbound_web_identity_federation {
                return Err(Error::new(ErrorCode::FeatureEnabled, FEATURE_ENABLED_TEXT));
            }
            p.set_outbound_federation(true);
            Ok(())
        })?;
        let account = &cx.caller()?.account;
        Ok(EnableOutboundWebIdentityFederationResponse {
            issuer_identifier: Some(cx.engine.issuer_url(account)),
        })
    }
}
