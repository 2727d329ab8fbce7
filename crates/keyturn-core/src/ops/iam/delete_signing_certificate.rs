//! `iam:DeleteSigningCertificate`.

use keyturn_api::iam::DeleteSigningCertificateRequest;

use super::shared;
use super::users_groups::remove;
use crate::iam::SigningCertificate;
use crate::ops::prelude::*;

operation! {
    /// `iam:DeleteSigningCertificate` on the user's ARN (the caller's own without `UserName`):
    /// removes a signing certificate.
    DeleteSigningCertificate(DeleteSigningCertificateRequest) -> NoOutput,
        on shared::user_or_own(user_name);

    fn run(cx, input) {
        let user = shared::named_or_own_user(cx, input.user_name)?;
        remove::<SigningCertificate>(cx, user.as_deref(), &input.certificate_id, |_| ())?;
        Ok(NoOutput)
    }
}
