//! `iam:UpdateServerCertificate`.

use keyturn_api::iam::UpdateServerCertificateRequest;

use super::write;
use super::{certificates, shared};
use crate::iam::{Entity, EntityKind, server_certificate_arn};
use crate::ops::prelude::*;

operation! {
    /// `iam:UpdateServerCertificate` on the certificate's ARN: renames it and/or moves it to
    /// another path (its id, body and dates stay). The new name must not be another
    /// certificate's (ignoring case). IAM also requires permission on the new name; the caller is
    /// authorized on it too, inside `run`.
    UpdateServerCertificate(UpdateServerCertificateRequest) -> NoOutput,
        on shared::server_certificate_arn(server_certificate_name);

    fn run(cx, input) {
        let old = &input.server_certificate_name;
        let (_, current) = certificates::server_certificate(cx, old)?;
        let new_name = input.new_server_certificate_name.as_deref().unwrap_or(old);
        let new_path = input.new_path.as_deref().unwrap_or(&current.path);
        let caller = cx.caller()?;
        let new_arn = server_certificate_arn(&caller.account, new_path, new_name);
        if new_arn != current.arn(&caller.account) {
            cx.engine
                .require(caller, "iam:UpdateServerCertificate", &new_arn, &[])?;
        }
        write::change(cx, |p| {
            let mut cert = p
                .account
                .server_certificates
                .iter()
                .find(|c| c.name == *old)
                .cloned()
                .ok_or_else(|| certificates::no_such_server_certificate(old))?;
            if new_name != old {
                let others = p
                    .account
                    .server_certificates
                    .iter()
                    .map(|c| c.name.as_str())
                    .filter(|n| n != old);
                if write::taken(others, new_name) {
                    return Err(write::already_exists("The Server Certificate", new_name));
                }
                p.delete(EntityKind::ServerCertificate, old);
            }
            cert.name = new_name.to_owned();
            cert.path = new_path.to_owned();
            p.put(Entity::ServerCertificate(cert));
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
