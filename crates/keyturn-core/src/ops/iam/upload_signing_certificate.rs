//! `iam:UploadSigningCertificate`.

use data_encoding::BASE32_NOPAD;
use keyturn_api::iam::{UploadSigningCertificateRequest, UploadSigningCertificateResponse};
use sha1::{Digest, Sha1};

use super::certificates::{self, SIGNING_CERTIFICATES, SigningCerts, Upload};
use super::{shared, write};
use crate::iam::{AccessKeyStatus, SigningCertificate};
use crate::ops::prelude::*;
use crate::pki;

operation! {
    /// `iam:UploadSigningCertificate` on the user's ARN (the caller's own without `UserName`; the
    /// root ARN for root): adds an X.509 certificate, `Active`. The certificate must parse and not
    /// have expired; at most two per user. Its id is the base32 SHA-1 of the DER certificate (32
    /// characters, as IAM's ids look), so the same certificate cannot be uploaded twice in the
    /// account (`DuplicateCertificate`).
    UploadSigningCertificate(UploadSigningCertificateRequest) -> UploadSigningCertificateResponse,
        on shared::user_or_own(user_name);

    fn run(cx, input) {
        let now = cx.engine.clock().now();
        let parsed = pki::parse_current_certificate(&input.certificate_body, now)
            .map_err(|e| certificates::refused(e, Upload::Signing))?;
        let id = BASE32_NOPAD.encode(&Sha1::digest(&parsed.der));
        let user = shared::named_or_own_user(cx, input.user_name)?;
        let ((cert, owner), _) = write::change(cx, |p| {
            let mut certs = SigningCerts::of(p, user.as_deref())?;
            let duplicate = || {
                Error::new(
                    ErrorCode::DuplicateCertificate,
                    format!("The Certificate with id {id} already exists."),
                )
            };
            let (exists, count) = (in_account(p.account, &id), certs.items.len());
            write::admit(exists, duplicate, count, SIGNING_CERTIFICATES)?;
            let cert = SigningCertificate {
                id: id.clone(),
                body: input.certificate_body.clone(),
                status: AccessKeyStatus::Active,
                upload_date: crate::clock::iso8601(p.now),
            };
            certs.items.push(cert.clone());
            let owner = certs.owner().unwrap_or_default().to_owned();
            certs.save(p);
            Ok((cert, owner))
        })?;
        Ok(UploadSigningCertificateResponse {
            certificate: certificates::signing_shape(&owner, &cert),
        })
    }
}

/// Whether the account's root or one of its users has a signing certificate with this id.
fn in_account(account: &crate::iam::Account, id: &str) -> bool {
    let users = account.users.iter().flat_map(|u| &u.signing_certificates);
    account
        .root
        .signing_certificates
        .iter()
        .chain(users)
        .any(|c| c.id == id)
}
