//! `iam:DeleteOpenIDConnectProvider`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeleteOpenIDConnectProviderRequest;

use super::providers::{self, Provider};
use super::write;
use crate::Error;
use crate::iam::EntityKind;
use crate::ops::{Context, Operation};

/// `iam:DeleteOpenIDConnectProvider` on the provider's ARN: from the very next request,
/// AssumeRoleWithWebIdentity no longer finds it (roles that trust it are left as they are).
#[derive(Debug)]
pub struct DeleteOpenIdConnectProvider;

impl Operation for DeleteOpenIdConnectProvider {
    type Input = DeleteOpenIDConnectProviderRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeleteOpenIDConnectProvider");

    fn resource(_: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        providers::resource(Provider::Oidc, &input.open_id_connect_provider_arn)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        write::change(cx, |p| {
            let arn = &input.open_id_connect_provider_arn;
            let o = providers::oidc(p, arn)?;
            p.forget(arn.clone());
            p.delete(EntityKind::OidcProvider, &o.url);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
