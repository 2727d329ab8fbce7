//! The status every function returns. The enum only grows: values are never renumbered or
//! reused. Generic statuses are below 100; one status per AWS error code from 100 up.

use std::ffi::CStr;

use keyturn_facade::{Error, ErrorCode};

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
    // Added with the error table generated from AWS's models (`ErrorCode::ALL`), in its order,
    // after the statuses above.
    /// `AccessDeniedException`.
    AccessDeniedException = 123,
    /// `AccountNotManagementOrDelegatedAdministratorException`.
    AccountNotManagementOrDelegatedAdministratorException = 124,
    /// `CallerIsNotManagementAccountException`.
    CallerIsNotManagementAccountException = 125,
    /// `ConcurrentModification`.
    ConcurrentModification = 126,
    /// `DeleteConflict`.
    DeleteConflict = 127,
    /// `DuplicateCertificate`.
    DuplicateCertificate = 128,
    /// `DuplicateSSHPublicKey`.
    DuplicateSshPublicKey = 129,
    /// `EntityAlreadyExists`.
    EntityAlreadyExists = 130,
    /// `EntityTemporarilyUnmodifiable`.
    EntityTemporarilyUnmodifiable = 131,
    /// `FeatureDisabled`.
    FeatureDisabled = 132,
    /// `FeatureEnabled`.
    FeatureEnabled = 133,
    /// `InsufficientSessionLifetime`.
    InsufficientSessionLifetime = 134,
    /// `InvalidAttestationDocument`.
    InvalidAttestationDocument = 135,
    /// `InvalidAuthenticationCode`.
    InvalidAuthenticationCode = 136,
    /// `InvalidCertificate`.
    InvalidCertificate = 137,
    /// `InvalidContextAssertion`.
    InvalidContextAssertion = 138,
    /// `InvalidInput`.
    InvalidInput = 139,
    /// `InvalidParameterCombination`.
    InvalidParameterCombination = 140,
    /// `InvalidPublicKey`.
    InvalidPublicKey = 141,
    /// `InvalidQueryParameter`.
    InvalidQueryParameter = 142,
    /// `InvalidSubjectCredentials`.
    InvalidSubjectCredentials = 143,
    /// `InvalidUserType`.
    InvalidUserType = 144,
    /// `InvalidWorkloadIdentityConfiguration`.
    InvalidWorkloadIdentityConfiguration = 145,
    /// `JWTPayloadSizeExceededException`.
    JwtPayloadSizeExceededException = 146,
    /// `KeyPairMismatch`.
    KeyPairMismatch = 147,
    /// `LimitExceeded`.
    LimitExceeded = 148,
    /// `MalformedCertificate`.
    MalformedCertificate = 149,
    /// `MalformedCertificateSigningRequestException`.
    MalformedCertificateSigningRequestException = 150,
    /// `MalformedQueryString`.
    MalformedQueryString = 151,
    /// `MissingAction`.
    MissingAction = 152,
    /// `NameConflict`.
    NameConflict = 153,
    /// `NotAuthorized`.
    NotAuthorized = 154,
    /// `NotSupportedService`.
    NotSupportedService = 155,
    /// `OpenIdIdpCommunicationError`.
    OpenIdIdpCommunicationError = 156,
    /// `OptInRequired`.
    OptInRequired = 157,
    /// `OrganizationLevelResourcesExistException`.
    OrganizationLevelResourcesExistException = 158,
    /// `OrganizationNotFoundException`.
    OrganizationNotFoundException = 159,
    /// `OrganizationNotInAllFeaturesModeException`.
    OrganizationNotInAllFeaturesModeException = 160,
    /// `PasswordPolicyViolation`.
    PasswordPolicyViolation = 161,
    /// `PolicyEvaluation`.
    PolicyEvaluation = 162,
    /// `PolicyNotAttachable`.
    PolicyNotAttachable = 163,
    /// `RegionalSignerUnavailableException`.
    RegionalSignerUnavailableException = 164,
    /// `ReportExpired`.
    ReportExpired = 165,
    /// `ReportGenerationLimitExceeded`.
    ReportGenerationLimitExceeded = 166,
    /// `ReportInProgress`.
    ReportInProgress = 167,
    /// `ReportNotPresent`.
    ReportNotPresent = 168,
    /// `ResourceNotFoundException`.
    ResourceNotFoundException = 169,
    /// `RoleModified`.
    RoleModified = 170,
    /// `RoleTemplateDisabled`.
    RoleTemplateDisabled = 171,
    /// `ServiceAccessNotEnabledException`.
    ServiceAccessNotEnabledException = 172,
    /// `ServiceFailure`.
    ServiceFailure = 173,
    /// `ServiceUnavailable`.
    ServiceUnavailable = 174,
    /// `SessionDurationEscalationException`.
    SessionDurationEscalationException = 175,
    /// `SignerNotConfiguredException`.
    SignerNotConfiguredException = 176,
    /// `Throttling`.
    Throttling = 177,
    /// `ThrottlingException`.
    ThrottlingException = 178,
    /// `UnmodifiableEntity`.
    UnmodifiableEntity = 179,
    /// `UnrecognizedPublicKeyEncoding`.
    UnrecognizedPublicKeyEncoding = 180,
    // S3's codes for a refused `aws-chunked` body (`kt_chunked_feed`, `kt_chunked_finish`),
    // from 1000 so that the generated table above keeps growing from 181.
    /// `IncompleteBody`: the chunked body ended before its final chunk, or its decoded length
    /// is not `X-Amz-Decoded-Content-Length`.
    IncompleteBody = 1000,
    /// `BadDigest`: the trailing checksum differs from the data's.
    BadDigest = 1001,
    /// `InvalidRequest`: broken chunk framing, or an unsupported or missing trailing checksum.
    InvalidRequest = 1002,
}

/// S3's chunked-body codes, with their statuses and texts.
const S3_CODES: [(kt_status, &CStr); 4] = [
    (kt_status::SignatureDoesNotMatch, c"SignatureDoesNotMatch"),
    (kt_status::IncompleteBody, c"IncompleteBody"),
    (kt_status::BadDigest, c"BadDigest"),
    (kt_status::InvalidRequest, c"InvalidRequest"),
];

/// The AWS codes, in the order of their statuses (100 + index): every code of the generated
/// table ([`ErrorCode::ALL`]) once, with its status and its text as a C string. Append only: a
/// code the models add gets the next number (the build fails until it is added here).
pub(crate) const AWS_CODES: [(ErrorCode, kt_status, &CStr); 81] = [
    (
        ErrorCode::AccessDenied,
        kt_status::AccessDenied,
        c"AccessDenied",
    ),
    (
        ErrorCode::InvalidClientTokenId,
        kt_status::InvalidClientTokenId,
        c"InvalidClientTokenId",
    ),
    (
        ErrorCode::ExpiredToken,
        kt_status::ExpiredToken,
        c"ExpiredToken",
    ),
    (
        ErrorCode::SignatureDoesNotMatch,
        kt_status::SignatureDoesNotMatch,
        c"SignatureDoesNotMatch",
    ),
    (
        ErrorCode::IncompleteSignature,
        kt_status::IncompleteSignature,
        c"IncompleteSignature",
    ),
    (
        ErrorCode::MissingAuthenticationToken,
        kt_status::MissingAuthenticationToken,
        c"MissingAuthenticationToken",
    ),
    (
        ErrorCode::RequestExpired,
        kt_status::RequestExpired,
        c"RequestExpired",
    ),
    (
        ErrorCode::ValidationError,
        kt_status::ValidationError,
        c"ValidationError",
    ),
    (
        ErrorCode::InvalidParameterValue,
        kt_status::InvalidParameterValue,
        c"InvalidParameterValue",
    ),
    (
        ErrorCode::MissingParameter,
        kt_status::MissingParameter,
        c"MissingParameter",
    ),
    (
        ErrorCode::InvalidAction,
        kt_status::InvalidAction,
        c"InvalidAction",
    ),
    (
        ErrorCode::MalformedPolicyDocument,
        kt_status::MalformedPolicyDocument,
        c"MalformedPolicyDocument",
    ),
    (
        ErrorCode::PackedPolicyTooLarge,
        kt_status::PackedPolicyTooLarge,
        c"PackedPolicyTooLarge",
    ),
    (
        ErrorCode::InvalidAuthorizationMessageException,
        kt_status::InvalidAuthorizationMessageException,
        c"InvalidAuthorizationMessageException",
    ),
    (
        ErrorCode::ExpiredTokenException,
        kt_status::ExpiredTokenException,
        c"ExpiredTokenException",
    ),
    (
        ErrorCode::IdpRejectedClaim,
        kt_status::IdpRejectedClaim,
        c"IDPRejectedClaim",
    ),
    (
        ErrorCode::IdpCommunicationError,
        kt_status::IdpCommunicationError,
        c"IDPCommunicationError",
    ),
    (
        ErrorCode::InvalidIdentityToken,
        kt_status::InvalidIdentityToken,
        c"InvalidIdentityToken",
    ),
    (
        ErrorCode::RegionDisabledException,
        kt_status::RegionDisabledException,
        c"RegionDisabledException",
    ),
    (
        ErrorCode::ExpiredTradeInTokenException,
        kt_status::ExpiredTradeInTokenException,
        c"ExpiredTradeInTokenException",
    ),
    (
        ErrorCode::OutboundWebIdentityFederationDisabledException,
        kt_status::OutboundWebIdentityFederationDisabledException,
        c"OutboundWebIdentityFederationDisabledException",
    ),
    (
        ErrorCode::NoSuchEntity,
        kt_status::NoSuchEntity,
        c"NoSuchEntity",
    ),
    (
        ErrorCode::InternalFailure,
        kt_status::InternalFailure,
        c"InternalFailure",
    ),
    (
        ErrorCode::AccessDeniedException,
        kt_status::AccessDeniedException,
        c"AccessDeniedException",
    ),
    (
        ErrorCode::AccountNotManagementOrDelegatedAdministratorException,
        kt_status::AccountNotManagementOrDelegatedAdministratorException,
        c"AccountNotManagementOrDelegatedAdministratorException",
    ),
    (
        ErrorCode::CallerIsNotManagementAccountException,
        kt_status::CallerIsNotManagementAccountException,
        c"CallerIsNotManagementAccountException",
    ),
    (
        ErrorCode::ConcurrentModification,
        kt_status::ConcurrentModification,
        c"ConcurrentModification",
    ),
    (
        ErrorCode::DeleteConflict,
        kt_status::DeleteConflict,
        c"DeleteConflict",
    ),
    (
        ErrorCode::DuplicateCertificate,
        kt_status::DuplicateCertificate,
        c"DuplicateCertificate",
    ),
    (
        ErrorCode::DuplicateSshPublicKey,
        kt_status::DuplicateSshPublicKey,
        c"DuplicateSSHPublicKey",
    ),
    (
        ErrorCode::EntityAlreadyExists,
        kt_status::EntityAlreadyExists,
        c"EntityAlreadyExists",
    ),
    (
        ErrorCode::EntityTemporarilyUnmodifiable,
        kt_status::EntityTemporarilyUnmodifiable,
        c"EntityTemporarilyUnmodifiable",
    ),
    (
        ErrorCode::FeatureDisabled,
        kt_status::FeatureDisabled,
        c"FeatureDisabled",
    ),
    (
        ErrorCode::FeatureEnabled,
        kt_status::FeatureEnabled,
        c"FeatureEnabled",
    ),
    (
        ErrorCode::InsufficientSessionLifetime,
        kt_status::InsufficientSessionLifetime,
        c"InsufficientSessionLifetime",
    ),
    (
        ErrorCode::InvalidAttestationDocument,
        kt_status::InvalidAttestationDocument,
        c"InvalidAttestationDocument",
    ),
    (
        ErrorCode::InvalidAuthenticationCode,
        kt_status::InvalidAuthenticationCode,
        c"InvalidAuthenticationCode",
    ),
    (
        ErrorCode::InvalidCertificate,
        kt_status::InvalidCertificate,
        c"InvalidCertificate",
    ),
    (
        ErrorCode::InvalidContextAssertion,
        kt_status::InvalidContextAssertion,
        c"InvalidContextAssertion",
    ),
    (
        ErrorCode::InvalidInput,
        kt_status::InvalidInput,
        c"InvalidInput",
    ),
    (
        ErrorCode::InvalidParameterCombination,
        kt_status::InvalidParameterCombination,
        c"InvalidParameterCombination",
    ),
    (
        ErrorCode::InvalidPublicKey,
        kt_status::InvalidPublicKey,
        c"InvalidPublicKey",
    ),
    (
        ErrorCode::InvalidQueryParameter,
        kt_status::InvalidQueryParameter,
        c"InvalidQueryParameter",
    ),
    (
        ErrorCode::InvalidSubjectCredentials,
        kt_status::InvalidSubjectCredentials,
        c"InvalidSubjectCredentials",
    ),
    (
        ErrorCode::InvalidUserType,
        kt_status::InvalidUserType,
        c"InvalidUserType",
    ),
    (
        ErrorCode::InvalidWorkloadIdentityConfiguration,
        kt_status::InvalidWorkloadIdentityConfiguration,
        c"InvalidWorkloadIdentityConfiguration",
    ),
    (
        ErrorCode::JwtPayloadSizeExceededException,
        kt_status::JwtPayloadSizeExceededException,
        c"JWTPayloadSizeExceededException",
    ),
    (
        ErrorCode::KeyPairMismatch,
        kt_status::KeyPairMismatch,
        c"KeyPairMismatch",
    ),
    (
        ErrorCode::LimitExceeded,
        kt_status::LimitExceeded,
        c"LimitExceeded",
    ),
    (
        ErrorCode::MalformedCertificate,
        kt_status::MalformedCertificate,
        c"MalformedCertificate",
    ),
    (
        ErrorCode::MalformedCertificateSigningRequestException,
        kt_status::MalformedCertificateSigningRequestException,
        c"MalformedCertificateSigningRequestException",
    ),
    (
        ErrorCode::MalformedQueryString,
        kt_status::MalformedQueryString,
        c"MalformedQueryString",
    ),
    (
        ErrorCode::MissingAction,
        kt_status::MissingAction,
        c"MissingAction",
    ),
    (
        ErrorCode::NameConflict,
        kt_status::NameConflict,
        c"NameConflict",
    ),
    (
        ErrorCode::NotAuthorized,
        kt_status::NotAuthorized,
        c"NotAuthorized",
    ),
    (
        ErrorCode::NotSupportedService,
        kt_status::NotSupportedService,
        c"NotSupportedService",
    ),
    (
        ErrorCode::OpenIdIdpCommunicationError,
        kt_status::OpenIdIdpCommunicationError,
        c"OpenIdIdpCommunicationError",
    ),
    (
        ErrorCode::OptInRequired,
        kt_status::OptInRequired,
        c"OptInRequired",
    ),
    (
        ErrorCode::OrganizationLevelResourcesExistException,
        kt_status::OrganizationLevelResourcesExistException,
        c"OrganizationLevelResourcesExistException",
    ),
    (
        ErrorCode::OrganizationNotFoundException,
        kt_status::OrganizationNotFoundException,
        c"OrganizationNotFoundException",
    ),
    (
        ErrorCode::OrganizationNotInAllFeaturesModeException,
        kt_status::OrganizationNotInAllFeaturesModeException,
        c"OrganizationNotInAllFeaturesModeException",
    ),
    (
        ErrorCode::PasswordPolicyViolation,
        kt_status::PasswordPolicyViolation,
        c"PasswordPolicyViolation",
    ),
    (
        ErrorCode::PolicyEvaluation,
        kt_status::PolicyEvaluation,
        c"PolicyEvaluation",
    ),
    (
        ErrorCode::PolicyNotAttachable,
        kt_status::PolicyNotAttachable,
        c"PolicyNotAttachable",
    ),
    (
        ErrorCode::RegionalSignerUnavailableException,
        kt_status::RegionalSignerUnavailableException,
        c"RegionalSignerUnavailableException",
    ),
    (
        ErrorCode::ReportExpired,
        kt_status::ReportExpired,
        c"ReportExpired",
    ),
    (
        ErrorCode::ReportGenerationLimitExceeded,
        kt_status::ReportGenerationLimitExceeded,
        c"ReportGenerationLimitExceeded",
    ),
    (
        ErrorCode::ReportInProgress,
        kt_status::ReportInProgress,
        c"ReportInProgress",
    ),
    (
        ErrorCode::ReportNotPresent,
        kt_status::ReportNotPresent,
        c"ReportNotPresent",
    ),
    (
        ErrorCode::ResourceNotFoundException,
        kt_status::ResourceNotFoundException,
        c"ResourceNotFoundException",
    ),
    (
        ErrorCode::RoleModified,
        kt_status::RoleModified,
        c"RoleModified",
    ),
    (
        ErrorCode::RoleTemplateDisabled,
        kt_status::RoleTemplateDisabled,
        c"RoleTemplateDisabled",
    ),
    (
        ErrorCode::ServiceAccessNotEnabledException,
        kt_status::ServiceAccessNotEnabledException,
        c"ServiceAccessNotEnabledException",
    ),
    (
        ErrorCode::ServiceFailure,
        kt_status::ServiceFailure,
        c"ServiceFailure",
    ),
    (
        ErrorCode::ServiceUnavailable,
        kt_status::ServiceUnavailable,
        c"ServiceUnavailable",
    ),
    (
        ErrorCode::SessionDurationEscalationException,
        kt_status::SessionDurationEscalationException,
        c"SessionDurationEscalationException",
    ),
    (
        ErrorCode::SignerNotConfiguredException,
        kt_status::SignerNotConfiguredException,
        c"SignerNotConfiguredException",
    ),
    (ErrorCode::Throttling, kt_status::Throttling, c"Throttling"),
    (
        ErrorCode::ThrottlingException,
        kt_status::ThrottlingException,
        c"ThrottlingException",
    ),
    (
        ErrorCode::UnmodifiableEntity,
        kt_status::UnmodifiableEntity,
        c"UnmodifiableEntity",
    ),
    (
        ErrorCode::UnrecognizedPublicKeyEncoding,
        kt_status::UnrecognizedPublicKeyEncoding,
        c"UnrecognizedPublicKeyEncoding",
    ),
];

// Every generated code has a status: a new code in the models stops the build here.
const _: () = assert!(AWS_CODES.len() == ErrorCode::ALL.len());

impl kt_status {
    /// The status of an engine error (the one mapping from Rust errors to statuses).
    pub(crate) fn of(e: &Error) -> Self {
        let code = e.error_code();
        AWS_CODES
            .iter()
            .find(|(c, _, _)| *c == code)
            .map_or(Self::UnknownAwsError, |(_, s, _)| *s)
    }

    /// The status of a refused chunked body (S3's code).
    pub(crate) fn of_chunk(e: &keyturn_facade::chunked::ChunkError) -> Self {
        S3_CODES
            .iter()
            .find(|(_, c)| c.to_bytes() == e.code().as_bytes())
            .map_or(Self::UnknownAwsError, |(s, _)| *s)
    }

    /// The AWS code of an AWS status, as a static C string.
    pub(crate) fn aws_code(status: u32) -> Option<&'static CStr> {
        AWS_CODES
            .iter()
            .find(|(_, s, _)| *s as u32 == status)
            .map(|(_, _, c)| *c)
            .or_else(|| {
                S3_CODES
                    .iter()
                    .find(|(s, _)| *s as u32 == status)
                    .map(|(_, c)| *c)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_statuses_are_numbered_in_table_order() {
        for (i, (_, s, _)) in AWS_CODES.iter().enumerate() {
            assert_eq!(*s as u32, 100 + i as u32);
        }
    }

    /// The statuses of the first header (before the generated table) keep their numbers.
    #[test]
    fn released_statuses_are_unchanged() {
        let released = [
            ("AccessDenied", 100),
            ("InvalidClientTokenId", 101),
            ("ExpiredToken", 102),
            ("SignatureDoesNotMatch", 103),
            ("IncompleteSignature", 104),
            ("MissingAuthenticationToken", 105),
            ("RequestExpired", 106),
            ("ValidationError", 107),
            ("InvalidParameterValue", 108),
            ("MissingParameter", 109),
            ("InvalidAction", 110),
            ("MalformedPolicyDocument", 111),
            ("PackedPolicyTooLarge", 112),
            ("InvalidAuthorizationMessageException", 113),
            ("ExpiredTokenException", 114),
            ("IDPRejectedClaim", 115),
            ("IDPCommunicationError", 116),
            ("InvalidIdentityToken", 117),
            ("RegionDisabledException", 118),
            ("ExpiredTradeInTokenException", 119),
            ("OutboundWebIdentityFederationDisabledException", 120),
            ("NoSuchEntity", 121),
            ("InternalFailure", 122),
        ];
        for (code, number) in released {
            let status = ErrorCode::from_code(code).map(|c| kt_status::of(&Error::new(c, "")));
            assert_eq!(status.map(|s| s as u32), Some(number), "{code}");
        }
    }

    #[test]
    fn chunked_body_errors_have_s3_statuses() {
        use keyturn_facade::chunked::ChunkError;
        for (e, status, code) in [
            (ChunkError::SignatureMismatch, 103, "SignatureDoesNotMatch"),
            (ChunkError::IncompleteBody, 1000, "IncompleteBody"),
            (ChunkError::ChecksumMismatch("CRC32"), 1001, "BadDigest"),
            (
                ChunkError::Malformed("invalid chunk size"),
                1002,
                "InvalidRequest",
            ),
        ] {
            let s = kt_status::of_chunk(&e);
            assert_eq!(s as u32, status, "{e}");
            assert_eq!(
                kt_status::aws_code(status).map(CStr::to_str),
                Some(Ok(code))
            );
        }
    }

    #[test]
    fn every_generated_code_has_its_own_status_and_text() {
        for &code in ErrorCode::ALL {
            let s = kt_status::of(&Error::new(code, ""));
            assert_ne!(s, kt_status::UnknownAwsError, "{code}");
            let text = kt_status::aws_code(s as u32).map(|c| c.to_str());
            assert_eq!(text, Some(Ok(code.code())), "{code}");
        }
        let mut statuses: Vec<u32> = AWS_CODES.iter().map(|(_, s, _)| *s as u32).collect();
        statuses.sort_unstable();
        statuses.dedup();
        assert_eq!(statuses.len(), ErrorCode::ALL.len());
    }
}
