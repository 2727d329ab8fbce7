//! `iam:UpdateSigningCertificate`.

use keyturn_api::NoOutput;
use keyturn_api::iam::UpdateSigningCertificateRequest;

use super::certificates::SigningCerts;
use super::users_groups::parse_status;
use super::{shared, write};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:UpdateSigningCertificate` on the user's ARN (the caller's own without `UserName`): makes
/// a signing certificate `Active` or `Inactive`.
#[derive(Debug)]
pub struct UpdateSigningCertificate;

impl Operation for UpdateSigningCertificate {
    type Input = UpdateSigningCertificateRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:UpdateSigningCertificate");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::user_or_own_arn(cx, input.user_name.as_deref())
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let wanted = parse_status(&input.status)?;
        let user = shared::named_or_own_user(cx, input.user_name)?;
        write::change(cx, |p| {
            let mut certs = SigningCerts::of(cx, p, user.as_deref())?;
            let i = certs.find(&input.certificate_id)?;
            if let Some(c) = certs.certs.get_mut(i).filter(|c| c.status != wanted) {
                c.status = wanted;
                certs.save(p);
            }
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
