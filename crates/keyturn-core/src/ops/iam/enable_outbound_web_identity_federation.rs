//! `iam:EnableOutboundWebIdentityFederation`.

use keyturn_api::iam::{
    EnableOutboundWebIdentityFederationRequest, EnableOutboundWebIdentityFederationResponse,
};

use super::disable_outbound_web_identity_federation::FEATURE_DISABLED_TEXT;
use super::write;
use crate::iam::Change;
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
        switch(cx, true)?;
        let account = &cx.caller()?.account;
        Ok(EnableOutboundWebIdentityFederationResponse {
            issuer_identifier: Some(cx.engine.issuer_url(account)),
        })
    }
}

/// Turns the caller's account's outbound web identity federation on (`enabled`) or off; already
/// so: `FeatureEnabled` (409) or `FeatureDisabled` (404), nothing changed.
pub(super) fn switch(cx: &Context<'_>, enabled: bool) -> Result<(), Error> {
    write::change(cx, |p| {
        if p.account.outbound_web_identity_federation == enabled {
            return Err(if enabled {
                Error::new(ErrorCode::FeatureEnabled, FEATURE_ENABLED_TEXT)
            } else {
                Error::new(ErrorCode::FeatureDisabled, FEATURE_DISABLED_TEXT)
            });
        }
        p.account_change(|account| Change::SetOutboundFederation { account, enabled });
        Ok(())
    })?;
    Ok(())
}
