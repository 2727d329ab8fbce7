//! `iam:UpdateOpenIDConnectProvider`.

use keyturn_api::iam::UpdateOpenIDConnectProviderRequest;

use super::providers::{self, ContextChange};
use crate::ops::prelude::*;

operation! {
    /// `iam:UpdateOpenIDConnectProvider` on the provider's ARN: sets, replaces or removes its
    /// context provider (trusted identity propagation). Thumbprints stay with
    /// UpdateOpenIDConnectProviderThumbprint; an Identity Center instance is refused
    /// ([`providers::no_identity_center`]).
    UpdateOpenIdConnectProvider(UpdateOpenIDConnectProviderRequest)
        -> NoOutput, on providers::oidc_resource(open_id_connect_provider_arn);

    fn run(cx, input) {
        let change = ContextChange::of(
            input.context_provider.as_ref(),
            input.remove_context_provider,
            input.identity_center_instance_arn.as_deref(),
        )?;
        providers::edit_oidc(cx, &input.open_id_connect_provider_arn, |o| {
            let changes = change.changes();
            change.clone().apply(&mut o.context_provider);
            Ok(changes)
        })
    }
}
