//! GetCertificate: an X.509-SVID for the workload identity of the calling session, signed by
//! the active X.509 signer of its provider.
//!
//! The identity comes from the session (sealed in its token), never from the request: only the
//! CSR's public key is used, after its signature verifies. The certificate has an empty subject
//! DN and one URI SAN (the SPIFFE ID), is valid from five minutes before issue (clock skew) for
//! `MaxDurationSeconds` (default 12 hours; it may outlive the session), and comes with the chain
//! to the root CA.

use keyturn_api::sts::{GetCertificateRequest, GetCertificateResponse};
use time::Duration;

use super::workload::{session_provider, signer_not_configured};
use crate::ops::prelude::*;
use crate::ops::support::whole_seconds;
use crate::pki::svid::{issue_svid, read_csr};

/// The certificate's lifetime when `MaxDurationSeconds` is not given (12 hours).
pub const DEFAULT_CERTIFICATE_LIFETIME: i64 = 43_200;

/// How far `NotBefore` is set back from the time of issue, for clock differences (5 minutes).
pub const NOT_BEFORE_BACKDATE: i64 = 300;

/// MalformedCertificateSigningRequestException's text.
pub const MALFORMED_CSR_TEXT: &str = "The certificate signing request (CSR) isn't valid. The CSR is blank, isn't a valid PEM-encoded PKCS #10 request, has a signature that doesn't verify, or uses a key type or key size that the signer doesn't support.";

operation! {
    /// `sts:GetCertificate` on `*`: for a role session with a workload identity whose provider
    /// uses the SPIFFE scheme; the provider must have an active X.509 signer
    /// (`SignerNotConfiguredException` otherwise).
    GetCertificate(GetCertificateRequest) -> GetCertificateResponse;

    fn run(cx, input) {
        let caller = cx.caller()?;
        let now = whole_seconds(cx.engine.clock().now());
        let (workload, provider) = session_provider(caller, "sts:GetCertificate")?;
        let signer = provider
            .active_x509_signer(now)
            .ok_or_else(|| signer_not_configured("X.509"))?;
        let csr = read_csr(&input.certificate_signing_request).map_err(|_| {
            Error::new(
                ErrorCode::MalformedCertificateSigningRequestException,
                MALFORMED_CSR_TEXT,
            )
        })?;
        let key = cx.engine.workload_ca_key(signer)?;
        let lifetime = input
            .max_duration_seconds
            .map_or(DEFAULT_CERTIFICATE_LIFETIME, i64::from);
        let not_before = now - Duration::seconds(NOT_BEFORE_BACKDATE);
        let not_after = now + Duration::seconds(lifetime);
        let issued = issue_svid(
            &key,
            &signer.certificate,
            &csr,
            &workload.subject,
            not_before,
            not_after,
        )
        .map_err(|_| Error::internal())?;
        Ok(GetCertificateResponse {
            certificate: Some(issued.pem),
            // The signer's CA is a root: the chain is its certificate.
            certificate_chain: Some(signer.certificate.clone()),
            not_before: Some(not_before),
            not_after: Some(not_after),
            subject: Some(workload.subject.clone()),
        })
    }
}
