//! `iam:GetServerCertificate`.

use keyturn_api::iam::{
    GetServerCertificateRequest, GetServerCertificateResponse, ServerCertificate,
};

use super::{certificates, shared};
use crate::engine::view;
use crate::ops::prelude::*;

operation! {
    /// `iam:GetServerCertificate` on the certificate's ARN: its metadata, body, chain and tags
    /// (never the private key).
    GetServerCertificate(GetServerCertificateRequest) -> GetServerCertificateResponse,
        on shared::server_certificate_arn(server_certificate_name);

    fn run(cx, input) {
        let (account, c) = certificates::server_certificate(cx, &input.server_certificate_name)?;
        Ok(GetServerCertificateResponse {
            server_certificate: ServerCertificate {
                server_certificate_metadata: certificates::metadata(&account, &c),
                certificate_body: c.body.clone(),
                certificate_chain: c.chain.clone(),
                tags: view::tags(&c.tags),
            },
        })
    }
}
