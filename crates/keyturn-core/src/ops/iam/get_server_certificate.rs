//! `iam:GetServerCertificate`.

use keyturn_api::iam::{
    GetServerCertificateRequest, GetServerCertificateResponse, ServerCertificate,
};

use super::{certificates, instance_profiles};
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:GetServerCertificate` on the certificate's ARN: its metadata, body, chain and tags
/// (never the private key).
#[derive(Debug)]
pub struct GetServerCertificate;

impl Operation for GetServerCertificate {
    type Input = GetServerCertificateRequest;
    type Output = GetServerCertificateResponse;
    const ACTION: Option<&'static str> = Some("iam:GetServerCertificate");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        certificates::server_arn(cx, &input.server_certificate_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let (account, c) = certificates::server_certificate(cx, &input.server_certificate_name)?;
        Ok(GetServerCertificateResponse {
            server_certificate: ServerCertificate {
                server_certificate_metadata: certificates::metadata(&account, &c),
                certificate_body: c.body.clone(),
                certificate_chain: c.chain.clone(),
                tags: instance_profiles::tag_list(&c.tags),
            },
        })
    }
}
