//! `iam:UpdateSigningCertificate`.

use keyturn_api::iam::UpdateSigningCertificateRequest;

use super::shared;
use super::users_groups::{parse_status, set_status};
use crate::iam::SigningCertificate;
use crate::ops::prelude::*;

operation! {
    /// `iam:UpdateSigningCertificate` on the user's ARN (the caller's own without `UserName`): makes
    /// a signing certificate `Active` or `Inactive`.
    UpdateSigningCertificate(UpdateSigningCertificateRequest) -> NoOutput,
        on shared::user_or_own(user_name);

    fn run(cx, input) {
        let wanted = parse_status(&input.status)?;
        let user = shared::named_or_own_user(cx, input.user_name)?;
        set_status::<SigningCertificate>(cx, user.as_deref(), &input.certificate_id, wanted)?;
        Ok(NoOutput)
    }
}
