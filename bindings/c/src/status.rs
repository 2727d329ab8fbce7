//! The status every function returns. The enum only grows: values are never renumbered or
//! reused. Generic statuses are below 100; one status per AWS error code from 100 up.

use keyturn_core::ErrorCode;
use keyturn_core::Error;

/// The result of every `kt_*` function.
///
/// `KT_STATUS_OK` is success. Below 100: errors of the C API itself (a NULL pointer, bad UTF-8,
/// a short buffer, a caught panic, a bad configuration). From 100: one value per AWS error code
/// (`kt_status_aws_code` gives the code's text). After any failure, `kt_last_error_message`
/// gives the message on the same thread.
#[allow(non_camel_case_types, reason = "C naming, as in keyturn.h")]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum kt_status {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullParameter = 1,
    /// A string argument was not valid UTF-8.
    InvalidUtf8 = 2,
    /// The caller's buffer is too small; `*written_out` says how many bytes are needed.
    BufferTooSmall = 3,
    /// A bug inside Keyturn was caught at the boundary (a panic); nothing was changed.
    Panic = 4,
    /// The configuration is unreadable or invalid (the message names the line and field).
    ConfigError = 5,
    /// The engine could not start (keyring, store, plugins).
    RuntimeError = 6,
    /// An argument is out of range (an index, a time, a string with a NUL byte inside).
    InvalidArgument = 7,
    /// An AWS error code that this version of the header does not know (the message has it).
    UnknownAwsError = 99,
    /// `AccessDenied`.
    AccessDenied = 100,
    /// `InvalidClientTokenId`.
    InvalidClientTokenId = 101,
    /// `ExpiredToken`.
    ExpiredToken = 102,
    /// `SignatureDoesNotMatch`.
    SignatureDoesNotMatch = 103,
    /// `IncompleteSignature`.
    IncompleteSignature = 104,
    /// `MissingAuthenticationToken`.
    MissingAuthenticationToken = 105,
    /// `RequestExpired`.
    RequestExpired = 106,
    /// `ValidationError`.
    ValidationError = 107,
    /// `InvalidParameterValue`.
    InvalidParameterValue = 108,
    /// `MissingParameter`.
    MissingParameter = 109,
    /// `InvalidAction`.
    InvalidAction = 110,
    /// `MalformedPolicyDocument`.
    MalformedPolicyDocument = 111,
    /// `PackedPolicyTooLarge`.
    PackedPolicyTooLarge = 112,
    /// `InvalidAuthorizationMessageException`.
    InvalidAuthorizationMessageException = 113,
    /// `ExpiredTokenException` (an identity token, not a session token).
    ExpiredTokenException = 114,
    /// `IDPRejectedClaim`.
    IdpRejectedClaim = 115,
    /// `IDPCommunicationError`.
    IdpCommunicationError = 116,
    /// `InvalidIdentityToken`.
    InvalidIdentityToken = 117,
    /// `RegionDisabledException`.
    RegionDisabledException = 118,
    /// `ExpiredTradeInTokenException`.
    ExpiredTradeInTokenException = 119,
    /// `OutboundWebIdentityFederationDisabledException`.
    OutboundWebIdentityFederationDisabledException = 120,
    /// `NoSuchEntity`.
    NoSuchEntity = 121,
    /// `InternalFailure`.
    InternalFailure = 122,
}

/// The AWS codes, in the order of their statuses (100 + index).
pub(crate) const AWS_CODES: [(&str, kt_status); 23] = [
    ("AccessDenied", kt_status::AccessDenied),
    ("InvalidClientTokenId", kt_status::InvalidClientTokenId),
    ("ExpiredToken", kt_status::ExpiredToken),
    ("SignatureDoesNotMatch", kt_status::SignatureDoesNotMatch),
    ("IncompleteSignature", kt_status::IncompleteSignature),
    (
        "MissingAuthenticationToken",
        kt_status::MissingAuthenticationToken,
    ),
    ("RequestExpired", kt_status::RequestExpired),
    ("ValidationError", kt_status::ValidationError),
    ("InvalidParameterValue", kt_status::InvalidParameterValue),
    ("MissingParameter", kt_status::MissingParameter),
    ("InvalidAction", kt_status::InvalidAction),
    (
        "MalformedPolicyDocument",
        kt_status::MalformedPolicyDocument,
    ),
    ("PackedPolicyTooLarge", kt_status::PackedPolicyTooLarge),
    (
        "InvalidAuthorizationMessageException",
        kt_status::InvalidAuthorizationMessageException,
    ),
    ("ExpiredTokenException", kt_status::ExpiredTokenException),
    ("IDPRejectedClaim", kt_status::IdpRejectedClaim),
    ("IDPCommunicationError", kt_status::IdpCommunicationError),
    ("InvalidIdentityToken", kt_status::InvalidIdentityToken),
    (
        "RegionDisabledException",
        kt_status::RegionDisabledException,
    ),
    (
        "ExpiredTradeInTokenException",
        kt_status::ExpiredTradeInTokenException,
    ),
    (
        "OutboundWebIdentityFederationDisabledException",
        kt_status::OutboundWebIdentityFederationDisabledException,
    ),
    ("NoSuchEntity", kt_status::NoSuchEntity),
    ("InternalFailure", kt_status::InternalFailure),
];

impl kt_status {
    /// The status of an engine error (the one mapping from Rust errors to statuses).
    pub(crate) fn of(e: &Error) -> Self {
        let code = e.code();
        AWS_CODES
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(Self::UnknownAwsError, |(_, s)| *s)
    }

    /// The AWS code of an AWS status.
    #[cfg(test)]
    pub(crate) fn aws_code(self) -> Option<&'static str> {
        AWS_CODES.iter().find(|(_, s)| *s == self).map(|(c, _)| *c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_statuses_are_numbered_in_table_order() {
        for (i, (_, s)) in AWS_CODES.iter().enumerate() {
            assert_eq!(*s as u32, 100 + i as u32);
        }
    }

    #[test]
    fn every_engine_error_has_its_own_status() {
        let errors = [
            Error::new(ErrorCode::AccessDenied, String::new()),
            Error::new(ErrorCode::ExpiredToken, String::new()),
            Error::new(ErrorCode::SignatureDoesNotMatch, String::new()),
            Error::new(ErrorCode::InvalidAuthorizationMessageException, String::new()),
            Error::new(ErrorCode::NoSuchEntity, String::new()),
            Error::new(ErrorCode::InternalFailure, String::new()),
        ];
        for e in &errors {
            let s = kt_status::of(e);
            assert_ne!(s, kt_status::UnknownAwsError);
            assert_eq!(s.aws_code(), Some(e.code()));
        }
    }
}
