//! `iam:DeleteOpenIDConnectProvider`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteOpenIDConnectProviderRequest;

use super::providers::{self};
use super::write;
use crate::iam::EntityKind;

operation! {
    /// `iam:DeleteOpenIDConnectProvider` on the provider's ARN: from the very next request,
    /// AssumeRoleWithWebIdentity no longer finds it (roles that trust it are left as they are).
    /// Idempotent, as IAM's is: deleting a provider that does not exist succeeds (a malformed ARN
    /// is still refused).
    DeleteOpenIdConnectProvider(DeleteOpenIDConnectProviderRequest)
        -> NoOutput, on providers::oidc_resource(open_id_connect_provider_arn);

    fn run(cx, input) {
        write::change(cx, |p| {
            let arn = &input.open_id_connect_provider_arn;
            let o = match providers::oidc(p, arn) {
                Ok(o) => o,
                Err(e) if e.error_code() == crate::ErrorCode::NoSuchEntity => return Ok(()),
                Err(e) => return Err(e),
            };
            p.forget(arn.clone());
            p.delete(EntityKind::OidcProvider, &o.url);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
