//! `iam:DeleteServerCertificate`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeleteServerCertificateRequest;

use super::{certificates, write};
use crate::Error;
use crate::iam::EntityKind;
use crate::ops::{Context, Operation};

/// `iam:DeleteServerCertificate` on the certificate's ARN: removes it, private key and all.
#[derive(Debug)]
pub struct DeleteServerCertificate;

impl Operation for DeleteServerCertificate {
    type Input = DeleteServerCertificateRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeleteServerCertificate");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        certificates::server_arn(cx, &input.server_certificate_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
