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
/// Idempotent, as IAM's is: deleting a provider that does not exist succeeds (a malformed ARN is
/// still refused).
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
