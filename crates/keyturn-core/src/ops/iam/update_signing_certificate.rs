//! `iam:UpdateSigningCertificate`.

use keyturn_api::NoOutput;
use keyturn_api::iam::UpdateSigningCertificateRequest;

use super::shared;
use super::users_groups::{parse_status, set_status};
use crate::Error;
use crate::iam::SigningCertificate;
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
        set_status::<SigningCertificate>(cx, user.as_deref(), &input.certificate_id, wanted)?;
        Ok(NoOutput)
    }
}
