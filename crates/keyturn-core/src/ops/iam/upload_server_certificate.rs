//! `iam:UploadServerCertificate`.

use keyturn_api::iam::{UploadServerCertificateRequest, UploadServerCertificateResponse};

use super::certificates::{self, SERVER_CERTIFICATES, Upload};
use super::{instance_profiles, write};
use crate::iam::{Entity, ServerCertificate, server_certificate_arn};
use crate::ids::{UniqueId, UniqueIdKind};
use crate::ops::prelude::*;
use crate::pki;

fn path(input: &UploadServerCertificateRequest) -> &str {
    input.path.as_deref().unwrap_or("/")
}

operation! {
    /// `iam:UploadServerCertificate` on the new certificate's ARN (with its path), with
    /// `aws:RequestTag/K` and `aws:TagKeys`: stores a PEM X.509 certificate, its private key and an
    /// optional chain. The certificate must parse and not have expired (its `notAfter` becomes
    /// `Expiration`), the chain must be PEM certificates, and the private key (PKCS#1 or PKCS#8
    /// RSA, unencrypted) must be the certificate's (`KeyPairMismatch`). Names are unique ignoring
    /// case; at most 20 per account. The private key is kept as a secret and never answered.
    UploadServerCertificate(UploadServerCertificateRequest) -> UploadServerCertificateResponse,
        when write::requested_tags(tags);

    fn resource(cx, input) {
        let account = &cx.caller()?.account;
        Ok(server_certificate_arn(
            account,
            path(input),
            &input.server_certificate_name,
        ))
    }

    fn run(cx, input) {
        let now = cx.engine.clock().now();
        let refused = |e| certificates::refused(e, Upload::Server);
        let parsed =
            pki::parse_current_certificate(&input.certificate_body, now).map_err(refused)?;
        pki::check_key_pair(&parsed, input.private_key.expose()).map_err(refused)?;
        if let Some(chain) = &input.certificate_chain {
            pki::parse_chain(chain).map_err(refused)?;
        }
        let name = input.server_certificate_name.clone();
        let (made, _) = write::change(cx, |p| {
            let names = p
                .account
                .server_certificates
                .iter()
                .map(|c| c.name.as_str());
            if write::taken(names, &name) {
                return Err(write::already_exists("The Server Certificate", &name));
            }
            write::within(p.account.server_certificates.len(), SERVER_CERTIFICATES)?;
            let cert = ServerCertificate {
                name: name.clone(),
                path: path(&input).to_owned(),
                id: UniqueId::random(UniqueIdKind::ServerCertificate)?.to_string(),
                body: input.certificate_body.clone(),
                chain: input.certificate_chain.clone(),
                private_key: input.private_key.clone(),
                expiration: crate::clock::iso8601(parsed.not_after),
                upload_date: crate::clock::iso8601(p.now),
                tags: write::tags(input.tags.as_deref(), &Default::default())?,
            };
            p.put(Entity::ServerCertificate(cert.clone()));
            Ok(cert)
        })?;
        let account = &cx.caller()?.account;
        Ok(UploadServerCertificateResponse {
            server_certificate_metadata: Some(certificates::metadata(account, &made)),
            tags: instance_profiles::tag_list(&made.tags),
        })
    }
}
