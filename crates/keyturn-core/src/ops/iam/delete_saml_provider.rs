//! `iam:DeleteSAMLProvider`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteSAMLProviderRequest;

use super::providers;
use crate::iam::SamlProvider;

operation! {
    /// `iam:DeleteSAMLProvider` on the provider's ARN: from the very next request,
    /// AssumeRoleWithSAML refuses it as a `PrincipalArn` (roles that trust it are left as they
    /// are).
    DeleteSamlProvider(DeleteSAMLProviderRequest)
        -> NoOutput, on providers::saml_resource(saml_provider_arn);

    fn run(cx, input) { providers::delete::<SamlProvider>(cx, &input.saml_provider_arn) }
}
