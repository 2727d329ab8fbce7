//! `iam:DeleteOpenIDConnectProvider`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteOpenIDConnectProviderRequest;

use super::providers;
use crate::iam::OidcProvider;

operation! {
    /// `iam:DeleteOpenIDConnectProvider` on the provider's ARN: from the very next request,
    /// AssumeRoleWithWebIdentity no longer finds it (roles that trust it are left as they are).
    /// Idempotent, as IAM's is: deleting a provider that does not exist succeeds (a malformed ARN
    /// is still refused).
    DeleteOpenIdConnectProvider(DeleteOpenIDConnectProviderRequest)
        -> NoOutput, on providers::oidc_resource(open_id_connect_provider_arn);

    fn run(cx, input) {
        match providers::delete::<OidcProvider>(cx, &input.open_id_connect_provider_arn) {
            Err(e) if e.error_code() == ErrorCode::NoSuchEntity => Ok(NoOutput),
            done => done,
        }
    }
}
