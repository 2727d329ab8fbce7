//! The certificates and keys IAM keeps beside access keys: server certificates (an account's,
//! for TLS endpoints), signing certificates and SSH public keys (a user's), and the account's
//! credential report.
//!
//! The uploaded texts are kept as uploaded (IAM answers them back byte for byte); what was read
//! from them when they were checked (expiry, fingerprint) is kept beside them. A server
//! certificate's private key is a [`SecretString`]: never answered, never in `Debug` output.

use serde::{Deserialize, Serialize};

use super::{AccessKeyStatus, SecretString, Tags, default_path, is_default_path};

/// A server certificate: an X.509 certificate, its private key and optional chain, named in
/// the account (`arn:aws:iam::ACCOUNT:server-certificate/PATH/NAME`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerCertificate {
    /// The certificate's name.
    pub name: String,
    /// The path, `/` by default.
    #[serde(default = "default_path", skip_serializing_if = "is_default_path")]
    pub path: String,
    /// Its unique id (`ASCA…`), kept across renames.
    pub id: String,
    /// The PEM certificate, as uploaded.
    pub body: String,
    /// The PEM chain, as uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<String>,
    /// The PEM private key, as uploaded; never answered.
    pub private_key: SecretString,
    /// The certificate's `notAfter` (ISO-8601).
    pub expiration: String,
    /// When it was uploaded (ISO-8601).
    pub upload_date: String,
    /// Tags.
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
}

impl ServerCertificate {
    /// `arn:aws:iam::ACCOUNT:server-certificate/PATH/NAME`.
    pub fn arn(&self, account_id: &str) -> String {
        server_certificate_arn(account_id, &self.path, &self.name)
    }
}

/// `arn:aws:iam::ACCOUNT:server-certificate/PATH/NAME` (`path` begins and ends with `/`).
pub fn server_certificate_arn(account_id: &str, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account_id}:server-certificate{path}{name}")
}

/// An X.509 signing certificate of a user (or of the root user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningCertificate {
    /// Its id: the SHA-1 of the DER certificate in base32 (32 characters).
    pub id: String,
    /// The PEM certificate, as uploaded.
    pub body: String,
    /// Active (default) or inactive.
    #[serde(default, skip_serializing_if = "AccessKeyStatus::is_active")]
    pub status: AccessKeyStatus,
    /// When it was uploaded (ISO-8601).
    pub upload_date: String,
}

/// An SSH public key of a user (for CodeCommit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SshPublicKey {
    /// Its id, `APKA` and 16 characters.
    pub id: String,
    /// The key as uploaded (OpenSSH or PEM encoding).
    pub body: String,
    /// The MD5 fingerprint of the key's SSH wire form, colon-separated hex.
    pub fingerprint: String,
    /// Active (default) or inactive.
    #[serde(default, skip_serializing_if = "AccessKeyStatus::is_active")]
    pub status: AccessKeyStatus,
    /// When it was uploaded (ISO-8601).
    pub upload_date: String,
}

/// The account's credential report, as GenerateCredentialReport made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialReport {
    /// When it was generated (ISO-8601).
    pub generated: String,
    /// The CSV text.
    pub content: String,
}
