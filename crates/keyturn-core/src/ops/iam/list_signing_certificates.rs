//! `iam:ListSigningCertificates`.

use keyturn_api::iam::{ListSigningCertificatesRequest, ListSigningCertificatesResponse};

use super::{certificates, shared};
use crate::ops::prelude::*;

operation! {
    /// `iam:ListSigningCertificates` on the user's ARN (the caller's own without `UserName`): the
    /// user's signing certificates with their bodies and status, in upload order, paged.
    ListSigningCertificates(ListSigningCertificatesRequest) -> ListSigningCertificatesResponse,
        on shared::user_or_own(user_name);

    fn run(cx, input) {
        let (v, user) = shared::view_and_user(cx, &input.user_name)?;
        let (owner, list) = match &user {
            Some(name) => {
                v.user(name)?;
                let u = v.account().user(name);
                (name.clone(), u.map(|u| u.signing_certificates.clone()))
            }
            None => (
                String::new(),
                Some(v.account().root.signing_certificates.clone()),
            ),
        };
        let list = list.unwrap_or_default();
        shared::paged(list.iter().collect(), &input, |c| {
            certificates::signing_shape(&owner, c)
        })
    }
}
