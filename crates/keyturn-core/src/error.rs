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

/// The element of an authorization denial that carries the sealed decision.
const ENCODED_MESSAGE: &str = "EncodedAuthorizationMessage";

/// An AWS error: a code from the generated table and AWS's message text, plus the members the
/// model gives its error shape beside the message ([`ErrorCode::members`]: an
/// `InvalidAttestationDocument`'s `reason`, …) and, for an authorization denial, the encoded
/// authorization message that `DecodeAuthorizationMessage` opens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    code: ErrorCode,
    message: String,
    /// The members beside the message (name, value), in the order they were set; empty for
    /// most errors (no allocation).
    members: Vec<(&'static str, String)>,
}

impl Error {
    /// An error of `code` with AWS's `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            members: Vec::new(),
        }
    }

    /// `AccessDenied` from an authorization decision, carrying the sealed decision (sent as
    /// `EncodedAuthorizationMessage`).
    pub fn access_denied_encoded(message: impl Into<String>, encoded_message: String) -> Self {
        Self {
            code: ErrorCode::AccessDenied,
            message: message.into(),
            members: vec![(ENCODED_MESSAGE, encoded_message)],
        }
    }

    /// The error with its member `name` set to `value` (replacing an earlier value), when the
    /// model gives the code's error shape that member ([`ErrorCode::members`]); otherwise the
    /// error unchanged, since the wire could not carry it.
    #[must_use]
    pub fn with_member(mut self, name: &str, value: impl Into<String>) -> Self {
        if let Some(name) = self.code.members().iter().copied().find(|m| *m == name) {
            self.members.retain(|(n, _)| *n != name);
            self.members.push((name, value.into()));
            let order = self.code.members();
            self.members
                .sort_by_key(|(n, _)| order.iter().position(|m| m == n));
        }
        self
    }

    /// The members beside the message (name as the model spells it, value), in the model's
    /// order: what the error document writes after `<Message>`.
    pub fn members(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.members.iter().map(|(n, v)| (*n, v.as_str()))
    }

    /// The value of the member `name`, if set.
    pub fn member(&self, name: &str) -> Option<&str> {
        self.members
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
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
        self.member(ENCODED_MESSAGE)
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

    #[test]
    fn an_error_carries_only_the_members_its_model_shape_has() {
        let e = Error::new(ErrorCode::InvalidAttestationDocument, "bad")
            .with_member("reason", "cannotParse")
            .with_member("reason", "tooLarge")
            .with_member("ResourceId", "x");
        assert_eq!(e.members().collect::<Vec<_>>(), [("reason", "tooLarge")]);
        assert_eq!(e.member("reason"), Some("tooLarge"));
        let plain = Error::new(ErrorCode::AccessDenied, "no").with_member("reason", "x");
        assert_eq!(plain.members().count(), 0);
        let nf = Error::new(ErrorCode::ResourceNotFoundException, "gone")
            .with_member("ResourceType", "WorkloadIdentityProvider")
            .with_member("ResourceId", "arn:x");
        assert_eq!(
            nf.members().collect::<Vec<_>>(),
            [
                ("ResourceId", "arn:x"),
                ("ResourceType", "WorkloadIdentityProvider")
            ]
        );
        let denied = Error::access_denied_encoded("no", "sealed".to_owned());
        assert_eq!(denied.encoded_authorization_message(), Some("sealed"));
        assert_eq!(
            denied.members().collect::<Vec<_>>(),
            [("EncodedAuthorizationMessage", "sealed")]
        );
    }
}
