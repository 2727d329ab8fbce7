//! The engine's one error type. Each variant is one AWS error code; the message is AWS's text.
//!
//! The edges (server, bindings) translate a variant into their own form: an HTTP status and an
//! `<ErrorResponse>`, a Python exception class, a JS error `code`, a C status. The code string is
//! part of the STS contract, so it is defined here, once ([`Error::code`]).

/// An STS error: an AWS error code with AWS's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `AccessDenied` (403): the caller is not allowed to do this.
    #[error("{0}")]
    AccessDenied(String),
    /// `AccessDenied` (403) from an authorization decision, carrying the encoded authorization
    /// message that `DecodeAuthorizationMessage` opens (sent as `EncodedAuthorizationMessage`).
    #[error("{message}")]
    AccessDeniedEncoded {
        /// AWS's text.
        message: String,
        /// The sealed decision.
        encoded_message: String,
    },
    /// `InvalidClientTokenId` (403): unknown access key id, or an invalid session token.
    #[error("{0}")]
    InvalidClientTokenId(String),
    /// `ExpiredToken` (403): the session token of the request has expired.
    #[error("{0}")]
    ExpiredToken(String),
    /// `SignatureDoesNotMatch` (403).
    #[error("{0}")]
    SignatureDoesNotMatch(String),
    /// `IncompleteSignature` (400): the `Authorization` header or presigned query is incomplete.
    #[error("{0}")]
    IncompleteSignature(String),
    /// `MissingAuthenticationToken` (403): the request is not signed at all.
    #[error("{0}")]
    MissingAuthenticationToken(String),
    /// `RequestExpired` (400): a presigned request past its expiry.
    #[error("{0}")]
    RequestExpired(String),
    /// `ValidationError` (400): a parameter fails its constraint.
    #[error("{0}")]
    ValidationError(String),
    /// `InvalidParameterValue` (400).
    #[error("{0}")]
    InvalidParameterValue(String),
    /// `MissingParameter` (400).
    #[error("{0}")]
    MissingParameter(String),
    /// `InvalidAction` (400): an action that the service does not have.
    #[error("{0}")]
    InvalidAction(String),
    /// `MalformedPolicyDocument` (400).
    #[error("{0}")]
    MalformedPolicyDocument(String),
    /// `PackedPolicyTooLarge` (400).
    #[error("{0}")]
    PackedPolicyTooLarge(String),
    /// `InvalidAuthorizationMessageException` (400).
    #[error("{0}")]
    InvalidAuthorizationMessage(String),
    /// `ExpiredTokenException` (400): an identity token (OIDC/SAML) has expired.
    #[error("{0}")]
    ExpiredTokenException(String),
    /// `IDPRejectedClaim` (403).
    #[error("{0}")]
    IdpRejectedClaim(String),
    /// `IDPCommunicationError` (400).
    #[error("{0}")]
    IdpCommunicationError(String),
    /// `InvalidIdentityToken` (400).
    #[error("{0}")]
    InvalidIdentityToken(String),
    /// `RegionDisabledException` (403).
    #[error("{0}")]
    RegionDisabled(String),
    /// `ExpiredTradeInTokenException` (400): GetDelegatedAccessToken's trade-in token is not
    /// (or no longer) valid.
    #[error("{0}")]
    ExpiredTradeInToken(String),
    /// `OutboundWebIdentityFederationDisabledException` (403): GetWebIdentityToken in an account
    /// without outbound web identity federation.
    #[error("{0}")]
    OutboundWebIdentityFederationDisabled(String),
    /// `NoSuchEntity` (404, IAM): a named IAM entity does not exist.
    #[error("{0}")]
    NoSuchEntity(String),
    /// `InternalFailure` (500): a fault of ours, never of the input.
    #[error("{0}")]
    InternalFailure(String),
}

impl Error {
    /// The AWS error code, as sent on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            Self::AccessDenied(_) | Self::AccessDeniedEncoded { .. } => "AccessDenied",
            Self::InvalidClientTokenId(_) => "InvalidClientTokenId",
            Self::ExpiredToken(_) => "ExpiredToken",
            Self::SignatureDoesNotMatch(_) => "SignatureDoesNotMatch",
            Self::IncompleteSignature(_) => "IncompleteSignature",
            Self::MissingAuthenticationToken(_) => "MissingAuthenticationToken",
            Self::RequestExpired(_) => "RequestExpired",
            Self::ValidationError(_) => "ValidationError",
            Self::InvalidParameterValue(_) => "InvalidParameterValue",
            Self::MissingParameter(_) => "MissingParameter",
            Self::InvalidAction(_) => "InvalidAction",
            Self::MalformedPolicyDocument(_) => "MalformedPolicyDocument",
            Self::PackedPolicyTooLarge(_) => "PackedPolicyTooLarge",
            Self::InvalidAuthorizationMessage(_) => "InvalidAuthorizationMessageException",
            Self::ExpiredTokenException(_) => "ExpiredTokenException",
            Self::IdpRejectedClaim(_) => "IDPRejectedClaim",
            Self::IdpCommunicationError(_) => "IDPCommunicationError",
            Self::InvalidIdentityToken(_) => "InvalidIdentityToken",
            Self::RegionDisabled(_) => "RegionDisabledException",
            Self::ExpiredTradeInToken(_) => "ExpiredTradeInTokenException",
            Self::OutboundWebIdentityFederationDisabled(_) => {
                "OutboundWebIdentityFederationDisabledException"
            }
            Self::NoSuchEntity(_) => "NoSuchEntity",
            Self::InternalFailure(_) => "InternalFailure",
        }
    }

    /// The HTTP status AWS sends with this error.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::AccessDenied(_)
            | Self::AccessDeniedEncoded { .. }
            | Self::InvalidClientTokenId(_)
            | Self::ExpiredToken(_)
            | Self::SignatureDoesNotMatch(_)
            | Self::MissingAuthenticationToken(_)
            | Self::IdpRejectedClaim(_)
            | Self::RegionDisabled(_)
            | Self::OutboundWebIdentityFederationDisabled(_) => 403,
            Self::NoSuchEntity(_) => 404,
            Self::InternalFailure(_) => 500,
            _ => 400,
        }
    }

    /// `Sender` for faults of the request, `Receiver` for faults of the service.
    pub fn fault(&self) -> &'static str {
        if matches!(self, Self::InternalFailure(_)) {
            "Receiver"
        } else {
            "Sender"
        }
    }

    /// The encoded authorization message of an authorization denial, if any.
    pub fn encoded_authorization_message(&self) -> Option<&str> {
        match self {
            Self::AccessDeniedEncoded {
                encoded_message, ..
            } => Some(encoded_message),
            _ => None,
        }
    }

    /// The message, AWS's text.
    pub fn message(&self) -> &str {
        match self {
            Self::AccessDeniedEncoded { message, .. } => message,
            Self::AccessDenied(m)
            | Self::InvalidClientTokenId(m)
            | Self::ExpiredToken(m)
            | Self::SignatureDoesNotMatch(m)
            | Self::IncompleteSignature(m)
            | Self::MissingAuthenticationToken(m)
            | Self::RequestExpired(m)
            | Self::ValidationError(m)
            | Self::InvalidParameterValue(m)
            | Self::MissingParameter(m)
            | Self::InvalidAction(m)
            | Self::MalformedPolicyDocument(m)
            | Self::PackedPolicyTooLarge(m)
            | Self::InvalidAuthorizationMessage(m)
            | Self::ExpiredTokenException(m)
            | Self::IdpRejectedClaim(m)
            | Self::IdpCommunicationError(m)
            | Self::InvalidIdentityToken(m)
            | Self::RegionDisabled(m)
            | Self::ExpiredTradeInToken(m)
            | Self::OutboundWebIdentityFederationDisabled(m)
            | Self::NoSuchEntity(m)
            | Self::InternalFailure(m) => m,
        }
    }
}

/// A SigV4 failure as the STS error AWS sends for it (the code comes from
/// [`keyturn_sigv4::SigV4Error::code`], the message is its AWS text).
impl From<keyturn_sigv4::SigV4Error> for Error {
    fn from(e: keyturn_sigv4::SigV4Error) -> Self {
        let m = e.to_string();
        match e.code() {
            "MissingAuthenticationToken" => Self::MissingAuthenticationToken(m),
            "SignatureDoesNotMatch" => Self::SignatureDoesNotMatch(m),
            "InvalidClientTokenId" => Self::InvalidClientTokenId(m),
            "RequestExpired" => Self::RequestExpired(m),
            _ => Self::IncompleteSignature(m),
        }
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
        let lookup = Error::ExpiredToken("expired".into());
        assert_eq!(Error::from(VerifyError::Lookup(lookup.clone())), lookup);
        assert_eq!(
            Error::from(VerifyError::<Error>::SigV4(SigV4Error::SignatureMismatch)).code(),
            "SignatureDoesNotMatch"
        );
    }
}
