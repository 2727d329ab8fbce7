//! The engine's one error type: an AWS error code from the generated table
//! ([`keyturn_api::ErrorCode`]) with AWS's message.
//!
//! The edges (server, bindings) translate it into their own form: an HTTP status and an
//! `<ErrorResponse>`, a Python exception class, a JS error `code`, a C status. Each reads the
//! code, the status and the fault from the one table generated from AWS's models.

pub use keyturn_api::ErrorCode;

/// AWS's message for `InternalFailure`.
pub const INTERNAL_FAILURE_MESSAGE: &str =
    "The request processing has failed because of an unknown error, exception or failure.";

/// An AWS error: a code from the generated table and AWS's message text (plus, for an
/// authorization denial, the encoded authorization message that `DecodeAuthorizationMessage`
/// opens).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    code: ErrorCode,
    message: String,
    encoded_message: Option<String>,
}

impl Error {
    /// An error of `code` with AWS's `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            encoded_message: None,
        }
    }

    /// `AccessDenied` from an authorization decision, carrying the sealed decision (sent as
    /// `EncodedAuthorizationMessage`).
    pub fn access_denied_encoded(message: impl Into<String>, encoded_message: String) -> Self {
        Self {
            code: ErrorCode::AccessDenied,
            message: message.into(),
            encoded_message: Some(encoded_message),
        }
    }

    /// `MalformedPolicyDocument` for a policy of the model that does not compile: `e`'s message
    /// after the `entity` whose policy it is (`managed policy arn:…`).
    pub(crate) fn malformed_policy(entity: &str, e: &Error) -> Self {
        Self::new(
            ErrorCode::MalformedPolicyDocument,
            format!("{entity}: {}", e.message()),
        )
    }

    /// `InternalFailure` with AWS's text (a fault of ours; the detail belongs in a log).
    pub fn internal() -> Self {
        Self::new(ErrorCode::InternalFailure, INTERNAL_FAILURE_MESSAGE)
    }

    /// The code, from the generated table.
    pub fn error_code(&self) -> ErrorCode {
        self.code
    }

    /// The AWS error code, as sent on the wire.
    pub fn code(&self) -> &'static str {
        self.code.code()
    }

    /// The HTTP status AWS sends with this error.
    pub fn http_status(&self) -> u16 {
        self.code.http_status()
    }

    /// `Sender` for faults of the request, `Receiver` for faults of the service.
    pub fn fault(&self) -> &'static str {
        self.code.fault()
    }

    /// The encoded authorization message of an authorization denial, if any.
    pub fn encoded_authorization_message(&self) -> Option<&str> {
        self.encoded_message.as_deref()
    }

    /// The message, AWS's text.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// A decoding or validation failure of the API layer.
impl From<keyturn_api::ApiError> for Error {
    fn from(e: keyturn_api::ApiError) -> Self {
        Self::new(e.code, e.message)
    }
}

/// A SigV4 failure as the STS error AWS sends for it (the code comes from
/// [`keyturn_sigv4::SigV4Error::code`], the message is its AWS text).
impl From<keyturn_sigv4::SigV4Error> for Error {
    fn from(e: keyturn_sigv4::SigV4Error) -> Self {
        let code = ErrorCode::from_code(e.code()).unwrap_or(ErrorCode::IncompleteSignature);
        Self::new(code, e.to_string())
    }
}

/// A verification failure: the signature's error translated, or the credential lookup's own.
impl From<keyturn_sigv4::VerifyError<Error>> for Error {
    fn from(e: keyturn_sigv4::VerifyError<Error>) -> Self {
        match e {
            keyturn_sigv4::VerifyError::SigV4(e) => e.into(),
            keyturn_sigv4::VerifyError::Lookup(e) => e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyturn_sigv4::{SigV4Error, VerifyError};

    #[test]
    fn sigv4_failures_become_the_sts_errors_aws_sends() {
        let cases = [
            (
                SigV4Error::MissingAuthentication,
                "MissingAuthenticationToken",
            ),
            (SigV4Error::SignatureMismatch, "SignatureDoesNotMatch"),
            (SigV4Error::HostNotSigned, "SignatureDoesNotMatch"),
            (SigV4Error::UnknownAccessKey, "InvalidClientTokenId"),
            (SigV4Error::RequestExpired, "RequestExpired"),
            (SigV4Error::AmbiguousAuthentication, "IncompleteSignature"),
            (SigV4Error::MalformedDate("x".into()), "IncompleteSignature"),
        ];
        for (e, code) in cases {
            let text = e.to_string();
            let mapped = Error::from(e);
            assert_eq!(mapped.code(), code, "{text}");
            assert_eq!(mapped.to_string(), text);
        }
        let lookup = Error::new(ErrorCode::ExpiredToken, "expired");
        assert_eq!(Error::from(VerifyError::Lookup(lookup.clone())), lookup);
        assert_eq!(
            Error::from(VerifyError::<Error>::SigV4(SigV4Error::SignatureMismatch)).code(),
            "SignatureDoesNotMatch"
        );
    }
}
