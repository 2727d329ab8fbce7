//! `iam:DeleteSAMLProvider`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeleteSAMLProviderRequest;

use super::providers::{self, Provider};
use super::write;
use crate::Error;
use crate::iam::EntityKind;
use crate::ops::{Context, Operation};

/// `iam:DeleteSAMLProvider` on the provider's ARN: from the very next request,
/// AssumeRoleWithSAML refuses it as a `PrincipalArn` (roles that trust it are left as they are).
#[derive(Debug)]
pub struct DeleteSamlProvider;

impl Operation for DeleteSamlProvider {
    type Input = DeleteSAMLProviderRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeleteSAMLProvider");

    fn resource(_: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        providers::resource(Provider::Saml, &input.saml_provider_arn)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
