//! The error the server puts on the wire: a code, a message, an HTTP status and a fault side.

use std::borrow::Cow;

/// An error as the Query protocol sends it (`<ErrorResponse><Error>…`).
///
/// Most come from the engine ([`keyturn_core::Error`]); the protocol layer adds its own
/// (`MissingAction`, `InvalidQueryParameter`, `RequestEntityTooLarge`, `MethodNotAllowed`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct WireError {
    /// The AWS error code.
    pub code: Cow<'static, str>,
    /// The message, AWS's text.
    pub message: String,
    /// The HTTP status.
    pub status: u16,
    /// `Sender` or `Receiver`.
    pub fault: &'static str,
    /// With an authorization denial: the encoded message (`<EncodedAuthorizationMessage>`).
    pub encoded_authorization_message: Option<String>,
}

impl WireError {
    /// A protocol error of the sender's.
    pub fn sender(code: &'static str, status: u16, message: impl Into<String>) -> Self {
        Self {
            code: Cow::Borrowed(code),
            message: message.into(),
            status,
            fault: "Sender",
            encoded_authorization_message: None,
        }
    }

    /// `InvalidQueryParameter`: a malformed form body or query string (bad `%` escape, not
    /// UTF-8, a parameter given twice).
    pub fn malformed_query() -> Self {
        Self::sender(
            "InvalidQueryParameter",
            400,
            "The AWS query string is malformed or does not adhere to AWS standards.",
        )
    }
}

impl From<keyturn_core::Error> for WireError {
    fn from(e: keyturn_core::Error) -> Self {
        Self {
            code: Cow::Borrowed(e.code()),
            status: e.http_status(),
            fault: e.fault(),
            encoded_authorization_message: e.encoded_authorization_message().map(str::to_owned),
            message: match e {
                keyturn_core::Error::new(keyturn_core::ErrorCode::AccessDenied, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::InvalidClientTokenId, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::ExpiredToken, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::SignatureDoesNotMatch, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::IncompleteSignature, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::MissingAuthenticationToken, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::RequestExpired, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::ValidationError, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::InvalidParameterValue, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::MissingParameter, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::InvalidAction, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::MalformedPolicyDocument, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::PackedPolicyTooLarge, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::InvalidAuthorizationMessageException, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::ExpiredTokenException, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::IdpRejectedClaim, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::IdpCommunicationError, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::InvalidIdentityToken, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::RegionDisabledException, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::NoSuchEntity, m)
                | keyturn_core::Error::new(keyturn_core::ErrorCode::InternalFailure, m) => m,
                other => other.message().to_owned(),
            },
        }
    }
}
