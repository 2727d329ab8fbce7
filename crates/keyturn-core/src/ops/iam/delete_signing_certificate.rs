//! `iam:DeleteSigningCertificate`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeleteSigningCertificateRequest;

use super::certificates::SigningCerts;
use super::{shared, write};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:DeleteSigningCertificate` on the user's ARN (the caller's own without `UserName`):
/// removes a signing certificate.
#[derive(Debug)]
pub struct DeleteSigningCertificate;

impl Operation for DeleteSigningCertificate {
    type Input = DeleteSigningCertificateRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeleteSigningCertificate");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::user_or_own_arn(cx, input.user_name.as_deref())
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let user = shared::named_or_own_user(cx, input.user_name)?;
        write::change(cx, |p| {
            let mut certs = SigningCerts::of(cx, p, user.as_deref())?;
            let i = certs.find(&input.certificate_id)?;
            certs.items.remove(i);
            certs.save(p);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
