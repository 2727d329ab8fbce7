//! `iam:DeleteSigningCertificate`.

use keyturn_api::iam::DeleteSigningCertificateRequest;

use super::certificates::SigningCerts;
use super::{shared, write};
use crate::ops::prelude::*;

operation! {
    /// `iam:DeleteSigningCertificate` on the user's ARN (the caller's own without `UserName`):
    /// removes a signing certificate.
    DeleteSigningCertificate(DeleteSigningCertificateRequest) -> NoOutput,
        on shared::user_or_own(user_name);

    fn run(cx, input) {
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
