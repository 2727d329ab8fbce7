//! `iam:DisableOutboundWebIdentityFederation`.

use keyturn_api::iam::DisableOutboundWebIdentityFederationRequest;

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
        super::enable_outbound_web_identity_federation::switch(cx, false)?;
        Ok(NoOutput)
    }
}
