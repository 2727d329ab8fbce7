//! `iam:UntagServerCertificate`.

use keyturn_api::NoOutput;
use keyturn_api::iam::UntagServerCertificateRequest;

use super::{admin, certificates};
use crate::Error;
use crate::ops::{Conditions, Context, Operation};

/// `iam:UntagServerCertificate` on the certificate's ARN, with `aws:TagKeys`: removes the tags
/// with these keys (ignoring case; keys it does not have are ignored, as IAM does).
#[derive(Debug)]
pub struct UntagServerCertificate;

impl Operation for UntagServerCertificate {
    type Input = UntagServerCertificateRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:UntagServerCertificate");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        certificates::server_arn(cx, &input.server_certificate_name)
    }

    fn conditions(_cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        Ok(admin::tag_keys_condition(&input.tag_keys))
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        certificates::update_server(cx, &input.server_certificate_name, |_, cert| {
            admin::untag(&mut cert.tags, &input.tag_keys);
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
