//! `iam:DeleteSAMLProvider`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteSAMLProviderRequest;

use super::providers::{self};
use super::write;
use crate::iam::EntityKind;

operation! {
    /// `iam:DeleteSAMLProvider` on the provider's ARN: from the very next request,
    /// AssumeRoleWithSAML refuses it as a `PrincipalArn` (roles that trust it are left as they
    /// are).
    DeleteSamlProvider(DeleteSAMLProviderRequest)
        -> NoOutput, on providers::saml_resource(saml_provider_arn);

    fn run(cx, input) {
        write::change(cx, |p| {
            let arn = &input.saml_provider_arn;
            let s = providers::saml(p, arn)?;
            p.forget(arn.clone());
            p.delete(EntityKind::SamlProvider, &s.name);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
