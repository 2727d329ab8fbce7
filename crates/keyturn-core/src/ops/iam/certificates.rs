//! What the operations of server certificates, signing certificates and SSH public keys share:
//! AWS's quotas and texts, the ARN a server certificate's operations are authorized on, finding
//! and editing one in a plan, the per-user (or root) lists of signing certificates and SSH keys,
//! and the conversions to the generated shapes.
//!
//! AWS's texts used here (quoted from AWS's answers in moto's AWS-verified tests and in public
//! reports of the AWS CLI's output):
//! - "Cannot exceed quota for ServerCertificatesPerAccount: 20", "Cannot exceed quota for
//!   CertificatesPerUser: 2", "Cannot exceed quota for SSHPublicKeysPerUser: 5"
//!   (`LimitExceeded`).
//! - "The Server Certificate with name X cannot be found.", "The Certificate with id X cannot
//!   be found." (`NoSuchEntity`).
//! - "Unable to parse certificate. Please ensure the certificate is in PEM format.",
//!   "Certificate is no longer valid. The 'Not After' date restriction on the certificate has
//!   passed." (`MalformedCertificate`); "Public key certificate and private key doesn't
//!   match." (`KeyPairMismatch`).

use keyturn_api::iam::{
    SSHPublicKey as SshShape, ServerCertificateMetadata, SigningCertificate as SigningShape,
};
use time::OffsetDateTime;

use super::users_groups::Holding;
use super::write::{self, Plan, Quota};
use crate::iam::{
    self, AccessKeyStatus, Entity, ServerCertificate, SigningCertificate, SshPublicKey, User,
};
use crate::ops::Context;
use crate::pki::PkiError;
use crate::{Error, ErrorCode};

/// Server certificates per account.
pub(crate) const SERVER_CERTIFICATES: Quota = Quota::new(20, "ServerCertificatesPerAccount");
/// Signing certificates per user.
pub(crate) const SIGNING_CERTIFICATES: Quota = Quota::new(2, "CertificatesPerUser");
/// SSH public keys per user.
pub(crate) const SSH_PUBLIC_KEYS: Quota = Quota::new(5, "SSHPublicKeysPerUser");

/// What a refused upload was.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Upload {
    /// A server certificate (certificate, private key, chain).
    Server,
    /// A signing certificate.
    Signing,
    /// An SSH public key.
    Ssh,
}

/// A [`PkiError`] as IAM answers it for an upload of `what`.
pub(crate) fn refused(e: PkiError, what: Upload) -> Error {
    let (code, text) = match e {
        PkiError::Certificate => (
            ErrorCode::MalformedCertificate,
            "Unable to parse certificate. Please ensure the certificate is in PEM format.",
        ),
        PkiError::Chain => (
            ErrorCode::MalformedCertificate,
            "Unable to parse certificate chain. Please ensure the certificate chain is in PEM format.",
        ),
        PkiError::Expired => (
            ErrorCode::MalformedCertificate,
            "Certificate is no longer valid. The 'Not After' date restriction on the certificate has passed.",
        ),
        PkiError::PrivateKey => (
            ErrorCode::MalformedCertificate,
            "Unable to parse private key. Please ensure the private key is an unencrypted RSA key in PEM format.",
        ),
        PkiError::Mismatch => (
            ErrorCode::KeyPairMismatch,
            "Public key certificate and private key doesn't match.",
        ),
        PkiError::UnrecognizedEncoding => (
            ErrorCode::UnrecognizedPublicKeyEncoding,
            "The public key encoding format is unsupported or unrecognized.",
        ),
        PkiError::ShortKey(_) => (
            ErrorCode::InvalidPublicKey,
            "The public key must be an RSA key of at least 2048 bits.",
        ),
        PkiError::InvalidPublicKey => match what {
            Upload::Ssh => (
                ErrorCode::InvalidPublicKey,
                "The public key is malformed or otherwise invalid.",
            ),
            Upload::Server | Upload::Signing => (
                ErrorCode::MalformedCertificate,
                "Unable to parse certificate. Please ensure the certificate is in PEM format.",
            ),
        },
    };
    Error::new(code, text)
}

/// An ISO-8601 date of the model (an upload date, an expiry), for the wire.
pub(crate) fn date(text: &str) -> OffsetDateTime {
    crate::clock::parse_iso8601(text).unwrap_or(crate::engine::view::DEFAULT_CREATE_DATE)
}

/// `Active` or `Inactive`, as the wire writes a status.
pub(crate) fn status_text(status: AccessKeyStatus) -> String {
    super::users_groups::status_text(status).to_owned()
}

// Server certificates.

/// `NoSuchEntity`: "The Server Certificate with name X cannot be found."
pub(crate) fn no_such_server_certificate(name: &str) -> Error {
    Error::new(
        ErrorCode::NoSuchEntity,
        format!("The Server Certificate with name {name} cannot be found."),
    )
}

/// The server certificate `name` of `account`.
pub(crate) fn find_in<'a>(account: &'a iam::Account, name: &str) -> Option<&'a ServerCertificate> {
    account.server_certificates.iter().find(|c| c.name == name)
}

/// The server certificate `name` of the caller's account, as the caller's snapshot has it.
///
/// # Errors
/// `NoSuchEntity`.
pub(crate) fn server_certificate(
    cx: &Context<'_>,
    name: &str,
) -> Result<(String, ServerCertificate), Error> {
    let caller = cx.caller()?;
    caller
        .snapshot
        .data
        .account(&caller.account)
        .and_then(|a| find_in(a, name).map(|c| (a.id.clone(), c.clone())))
        .ok_or_else(|| no_such_server_certificate(name))
}

/// Changes the server certificate `name` with `edit` and stores it.
///
/// # Errors
/// `NoSuchEntity`; what `edit` returns.
pub(crate) fn update_server(
    cx: &Context<'_>,
    name: &str,
    mut edit: impl FnMut(&Plan<'_>, &mut ServerCertificate) -> Result<(), Error>,
) -> Result<(), Error> {
    write::change(cx, |p| {
        let mut cert = find_in(p.account, name)
            .cloned()
            .ok_or_else(|| no_such_server_certificate(name))?;
        edit(p, &mut cert)?;
        p.put(Entity::ServerCertificate(cert));
        Ok(())
    })?;
    Ok(())
}

/// A server certificate's metadata as IAM writes it.
pub(crate) fn metadata(account_id: &str, c: &ServerCertificate) -> ServerCertificateMetadata {
    ServerCertificateMetadata {
        path: c.path.clone(),
        server_certificate_name: c.name.clone(),
        server_certificate_id: c.id.clone(),
        arn: c.arn(account_id),
        upload_date: Some(date(&c.upload_date)),
        expiration: Some(date(&c.expiration)),
    }
}

// Signing certificates and SSH keys: per user.

/// `NoSuchEntity`: "The Certificate with id X cannot be found."
pub(crate) fn no_such_certificate(id: &str) -> Error {
    Error::new(
        ErrorCode::NoSuchEntity,
        format!("The Certificate with id {id} cannot be found."),
    )
}

/// The signing certificates of one user or of the root user.
pub(crate) type SigningCerts = Holding<SigningCertificate>;

/// A signing certificate as IAM writes it.
pub(crate) fn signing_shape(owner: &str, c: &SigningCertificate) -> SigningShape {
    SigningShape {
        user_name: owner.to_owned(),
        certificate_id: c.id.clone(),
        certificate_body: c.body.clone(),
        status: status_text(c.status),
        upload_date: Some(date(&c.upload_date)),
    }
}

/// The position of SSH key `id` among `user`'s.
///
/// # Errors
/// `NoSuchEntity`: "The Public Key with id X cannot be found."
pub(crate) fn find_ssh_key(user: &User, id: &str) -> Result<usize, Error> {
    user.ssh_public_keys
        .iter()
        .position(|k| k.id == id)
        .ok_or_else(|| {
            Error::new(
                ErrorCode::NoSuchEntity,
                format!("The Public Key with id {id} cannot be found."),
            )
        })
}

/// An SSH public key as IAM writes it, its body as given.
pub(crate) fn ssh_shape(owner: &str, k: &SshPublicKey, body: String) -> SshShape {
    SshShape {
        user_name: owner.to_owned(),
        ssh_public_key_id: k.id.clone(),
        fingerprint: k.fingerprint.clone(),
        ssh_public_key_body: body,
        status: status_text(k.status),
        upload_date: Some(date(&k.upload_date)),
    }
}

/// Changes the SSH keys of user `name` with `edit` (given the user, to change) and stores them.
///
/// # Errors
/// `NoSuchEntity` for an unknown user; what `edit` returns.
pub(crate) fn update_ssh_keys<R>(
    cx: &Context<'_>,
    name: &str,
    mut edit: impl FnMut(&Plan<'_>, &mut User) -> Result<R, Error>,
) -> Result<(R, std::sync::Arc<crate::engine::Snapshot>), Error> {
    write::change(cx, |p| {
        let mut u = write::user_in(p, name)?.clone();
        let out = edit(p, &mut u)?;
        p.put(Entity::User(u));
        Ok(out)
    })
}
