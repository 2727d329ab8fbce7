//! `iam:DisableOutboundWebIdentityFederation`.

use keyturn_api::iam::DisableOutboundWebIdentityFederationRequest;

use super::write;
use crate::ops::prelude::*;

/// FeatureDisabled's text (the model's documentation of the error).
pub const FEATURE_DISABLED_TEXT: &str =
    "Outbound identity federation is disabled for this account.";

operation! {
    /// `iam:DisableOutboundWebIdentityFederation` on `*`: GetWebIdentityToken is refused again
    /// and the issuer's documents are no longer served. Tokens issued before stay valid for
    /// whoever verified them. Already disabled: `FeatureDisabled` (404).
    DisableOutboundWebIdentityFederation(DisableOutboundWebIdentityFederationRequest) -> NoOutput;

    fn run(cx, _input) {
        write::change(cx, |p| {
            if !p.account.outbound_web_identity_federation {
                return Err(Error::new(ErrorCode::FeatureDisabled, FEATURE_DISABLED_TEXT));
            }
            p.set_outbound_federation(false);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
