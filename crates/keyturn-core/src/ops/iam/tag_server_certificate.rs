//! `iam:TagServerCertificate`.

use keyturn_api::NoOutput;
use keyturn_api::iam::TagServerCertificateRequest;

use super::{certificates, write};
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:TagServerCertificate` on the certificate's ARN, with `aws:RequestTag/K` and
/// `aws:TagKeys`: adds the tags, replacing the values of keys it has (ignoring case).
#[derive(Debug)]
pub struct TagServerCertificate;

impl Operation for TagServerCertificate {
    type Input = TagServerCertificateRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:TagServerCertificate");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        certificates::server_arn(cx, &input.server_certificate_name)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(write::tag_conditions(Some(&input.tags)))
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        certificates::update_server(cx, &input.server_certificate_name, |_, cert| {
            cert.tags = write::tags(Some(&input.tags), &cert.tags)?;
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
