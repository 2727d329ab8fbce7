//! The crate's error type: every variant maps to exactly one AWS error code.

use thiserror::Error;

/// The message AWS returns when the recomputed signature differs from the one sent.
pub const SIGNATURE_MISMATCH_MESSAGE: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/// Why a request failed SigV4 parsing or verification.
///
/// Each variant maps to one AWS error code ([`SigV4Error::code`]); `Display` is the wire message.
/// No variant carries a secret: signatures and key ids are public values, secret keys never appear.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SigV4Error {
    /// No `Authorization` header and no `X-Amz-Algorithm` query parameter.
    #[error("Request is missing Authentication Token")]
    MissingAuthentication,
    /// The `Authorization` header lacks parameters or a date; the message lists them all, as AWS does.
    #[error("{0}")]
    IncompleteAuthorization(String),
    /// An algorithm other than `AWS4-HMAC-SHA256` and `AWS4-ECDSA-P256-SHA256`.
    #[error("Unsupported AWS 'algorithm': '{0}'")]
    UnsupportedAlgorithm(String),
    /// The credential is not `keyid/date/region/service/aws4_request`.
    #[error(
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{0}'"
    )]
    MalformedCredential(String),
    /// A SigV4a credential is not `keyid/date/service/aws4_request`.
    #[error(
        "Credential must have exactly 4 slash-delimited elements, e.g. keyid/date/service/term, got '{0}'"
    )]
    MalformedV4aCredential(String),
    /// A SigV4a request without `X-Amz-Region-Set` (header form: or with it left unsigned).
    #[error(
        "Authorization header requires 'X-Amz-Region-Set' as a 'SignedHeader' in the AWS Authorization."
    )]
    MissingRegionSet,
    /// The presigned query string lacks a required parameter.
    #[error(
        "AWS query-string parameters must include '{0}'. Re-examine the query-string parameters."
    )]
    MissingQueryParameter(&'static str),
    /// The request carries both an `Authorization` header and presigned query parameters.
    #[error(
        "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified"
    )]
    AmbiguousAuthentication,
    /// A piece of the `Authorization` header's parameters is not `key=value` (AWS's text; the
    /// header is quoted whole).
    #[error(
        "'{piece}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'."
    )]
    NotKeyValue {
        /// The piece without `=` (empty for nothing between two commas).
        piece: String,
        /// The whole header value.
        header: String,
    },
    /// A `key=value` piece of the `Authorization` header whose key is none of `Credential`,
    /// `SignedHeaders` and `Signature`.
    #[error(
        "'{key}' is not a valid Authorization header parameter (expected Credential, SignedHeaders and Signature) in Authorization header: '{header}'."
    )]
    UnknownAuthParameter {
        /// The unknown key.
        key: String,
        /// The whole header value.
        header: String,
    },
    /// An authentication header or query parameter appears more than once.
    #[error("Duplicate authentication parameter: '{0}'")]
    DuplicateAuthParameter(String),
    /// A header used for signing is not valid UTF-8, contains control characters, or is too large.
    #[error("Invalid header: '{0}'")]
    InvalidHeader(String),
    /// `X-Amz-Date` is not `YYYYMMDD'T'HHMMSS'Z'`.
    #[error(
        "Date must be in ISO-8601 'basic format'. Got '{0}'. See http://en.wikipedia.org/wiki/ISO_8601"
    )]
    MalformedDate(String),
    /// The request time is more than 15 minutes before `now`.
    #[error("Signature expired: {request} is now earlier than {earliest} ({now} - 15 min.)")]
    SignatureExpired {
        /// The request's `X-Amz-Date`.
        request: String,
        /// `now` minus 15 minutes.
        earliest: String,
        /// The verifier's clock.
        now: String,
    },
    /// The request time is more than 15 minutes after `now`.
    #[error("Signature not yet current: {request} is still later than {latest} ({now} + 15 min.)")]
    SignatureNotYetCurrent {
        /// The request's `X-Amz-Date`.
        request: String,
        /// `now` plus 15 minutes.
        latest: String,
        /// The verifier's clock.
        now: String,
    },
    /// A presigned request is past `X-Amz-Date + X-Amz-Expires`.
    #[error("Request has expired.")]
    RequestExpired,
    /// `X-Amz-Expires` is not a number.
    #[error("X-Amz-Expires should be a number")]
    MalformedExpires,
    /// `X-Amz-Expires` is a negative number.
    #[error("X-Amz-Expires must be non-negative")]
    NegativeExpires,
    /// `X-Amz-Expires` exceeds 604800 seconds (7 days).
    #[error("X-Amz-Expires must be less than a week (in seconds) that is 604800")]
    ExpiresTooLarge,
    /// The credential scope's date differs from the date part of `X-Amz-Date`.
    #[error(
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope}' != '{date}', from '{amz_date}'."
    )]
    ScopeDateMismatch {
        /// The date in the credential scope.
        scope: String,
        /// The date part of `X-Amz-Date`.
        date: String,
        /// The full `X-Amz-Date`.
        amz_date: String,
    },
    /// The credential scope names another region (SigV4a: the region set does not include
    /// the verifier's region).
    #[error("Credential should be scoped to a valid region. ")]
    WrongRegion(String),
    /// The credential scope names another service.
    #[error("Credential should be scoped to correct service: '{expected}'. ")]
    WrongService {
        /// The service this verifier serves.
        expected: String,
        /// The service named in the scope.
        got: String,
    },
    /// The credential scope does not end in `aws4_request`.
    #[error("Credential should be scoped with a valid terminator: 'aws4_request', not '{0}'. ")]
    WrongTerminator(String),
    /// `host` is not among the signed headers.
    #[error("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")]
    HostNotSigned,
    /// `X-Amz-Content-Sha256` differs from the body's hash.
    #[error("The provided 'x-amz-content-sha256' header does not match what was computed.")]
    ContentSha256Mismatch,
    /// `UNSIGNED-PAYLOAD` where the verifier does not allow it, or a garbled payload hash.
    #[error("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, or a valid sha256 value.")]
    InvalidContentSha256,
    /// The access key id is unknown (for callers whose lookup has no richer error).
    #[error("The security token included in the request is invalid.")]
    UnknownAccessKey,
    /// The recomputed signature differs from the one sent (or the signature is not 64 hex digits).
    #[error(
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
    )]
    SignatureMismatch,
    /// The request line or headers could not be used (e.g. a path that is not valid percent-encoding).
    #[error("{0}")]
    InvalidRequest(String),
    /// A chunked (`aws-chunked`) body's headers are not usable (no supported trailing checksum).
    #[error(transparent)]
    Chunked(#[from] crate::chunked::ChunkError),
}

impl SigV4Error {
    /// The AWS error code for this error, e.g. `SignatureDoesNotMatch`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingAuthentication => "MissingAuthenticationToken",
            Self::IncompleteAuthorization(_)
            | Self::UnsupportedAlgorithm(_)
            | Self::MalformedCredential(_)
            | Self::MalformedV4aCredential(_)
            | Self::MissingRegionSet
            | Self::MissingQueryParameter(_)
            | Self::AmbiguousAuthentication
            | Self::NotKeyValue { .. }
            | Self::UnknownAuthParameter { .. }
            | Self::DuplicateAuthParameter(_)
            | Self::InvalidHeader(_)
            | Self::MalformedDate(_) => "IncompleteSignature",
            Self::SignatureExpired { .. }
            | Self::SignatureNotYetCurrent { .. }
            | Self::ScopeDateMismatch { .. }
            | Self::WrongRegion(_)
            | Self::WrongService { .. }
            | Self::WrongTerminator(_)
            | Self::HostNotSigned
            | Self::SignatureMismatch => "SignatureDoesNotMatch",
            Self::UnknownAccessKey => "InvalidClientTokenId",
            Self::RequestExpired => "RequestExpired",
            Self::MalformedExpires | Self::NegativeExpires | Self::ExpiresTooLarge => {
                "AuthorizationQueryParametersError"
            }
            Self::ContentSha256Mismatch => "XAmzContentSHA256Mismatch",
            Self::InvalidContentSha256 => "InvalidArgument",
            Self::InvalidRequest(_) => "InvalidRequest",
            Self::Chunked(e) => e.code(),
        }
    }

    /// The HTTP status AWS uses with [`SigV4Error::code`].
    #[must_use]
    pub fn http_status(&self) -> u16 {
        match self.code() {
            "MissingAuthenticationToken" | "SignatureDoesNotMatch" | "InvalidClientTokenId" => 403,
            _ => 400,
        }
    }
}

/// The error of [`crate::Verifier::verify`]: either SigV4 itself failed, or the caller's credential lookup did.
#[derive(Debug, Error)]
pub enum VerifyError<E> {
    /// The request failed a SigV4 check.
    #[error(transparent)]
    SigV4(#[from] SigV4Error),
    /// The caller's [`crate::CredentialLookup`] refused the key id or session token.
    #[error("credential lookup failed")]
    Lookup(E),
}
