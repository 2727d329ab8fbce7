//! `iam:DeleteServerCertificate`.

use keyturn_api::iam::DeleteServerCertificateRequest;

use super::{certificates, shared, write};
use crate::iam::EntityKind;
use crate::ops::prelude::*;

operation! {
    /// `iam:DeleteServerCertificate` on the certificate's ARN: removes it, private key and all.
    DeleteServerCertificate(DeleteServerCertificateRequest) -> NoOutput,
        on shared::server_certificate_arn(server_certificate_name);

    fn run(cx, input) {
        let name = &input.server_certificate_name;
        write::change(cx, |p| {
            if !p
                .account
                .server_certificates
                .iter()
                .any(|c| c.name == *name)
            {
                return Err(certificates::no_such_server_certificate(name));
            }
            p.delete(EntityKind::ServerCertificate, name);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
