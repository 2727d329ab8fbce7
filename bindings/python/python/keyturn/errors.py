"""Keyturn's exceptions: one class per AWS error code, all under :class:`KeyturnError`.

The class name is the AWS error code (``keyturn.AccessDenied`` has ``code == "AccessDenied"``),
and ``message`` is AWS's text, so a test can assert exactly what an AWS SDK would see.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Type


class KeyturnError(Exception):
    """Base class of every Keyturn error; ``code`` is the AWS error code, ``message`` its text."""

    code: str = "KeyturnError"

    def __init__(self, message: str, code: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ConfigError(KeyturnError):
    """The configuration is invalid, or the keyring, store or a plugin could not be set up."""

    code = "ConfigError"


class AccessDenied(KeyturnError):
    """The caller is not allowed to do this. A denial by a policy carries the encoded
    authorization message that ``DecodeAuthorizationMessage`` explains."""

    code = "AccessDenied"

    def __init__(
    self,
        message: str,
        code: Optional[str] = None,
        encoded_authorization_message: Optional[str] = None,
    ) -> None:
        super().__init__(message, code)
        self.encoded_authorization_message = encoded_authorization_message


class InvalidClientTokenId(KeyturnError):
    """Unknown access key id, or a session token that does not open."""

    code = "InvalidClientTokenId"


class ExpiredToken(KeyturnError):
    """The session token of the request has expired."""

    code = "ExpiredToken"


class SignatureDoesNotMatch(KeyturnError):
    """The request's SigV4 signature is wrong."""

    code = "SignatureDoesNotMatch"


class IncompleteSignature(KeyturnError):
    """The ``Authorization`` header or the presigned query is incomplete."""

    code = "IncompleteSignature"


class MissingAuthenticationToken(KeyturnError):
    """The request is not signed."""

    code = "MissingAuthenticationToken"


class RequestExpired(KeyturnError):
    """A presigned request past its expiry."""

    code = "RequestExpired"


class ValidationError(KeyturnError):
    """A parameter fails its constraint (AWS's ``1 validation error detected: …`` text)."""

    code = "ValidationError"


class InvalidParameterValue(KeyturnError):
    """A parameter's value is invalid."""

    code = "InvalidParameterValue"


class MissingParameter(KeyturnError):
    """A required parameter is missing."""

    code = "MissingParameter"


class InvalidAction(KeyturnError):
    """The service has no such action."""

    code = "InvalidAction"


class MalformedPolicyDocument(KeyturnError):
    """A policy document is invalid."""

    code = "MalformedPolicyDocument"


class PackedPolicyTooLarge(KeyturnError):
    """Session policies and tags are too large."""

    code = "PackedPolicyTooLarge"


class InvalidAuthorizationMessageException(KeyturnError):
    """The encoded authorization message does not open."""

    code = "InvalidAuthorizationMessageException"


class ExpiredTokenException(KeyturnError):
    """An identity token (OIDC or SAML) has expired."""

    code = "ExpiredTokenException"


class IDPRejectedClaim(KeyturnError):
    """The identity provider's token was rejected."""

    code = "IDPRejectedClaim"


class IDPCommunicationError(KeyturnError):
    """The identity provider could not be reached."""

    code = "IDPCommunicationError"


class InvalidIdentityToken(KeyturnError):
    """The web identity token is invalid."""

    code = "InvalidIdentityToken"


class RegionDisabledException(KeyturnError):
    """STS is not activated in the region."""

    code = "RegionDisabledException"


class ExpiredTradeInTokenException(KeyturnError):
    """GetDelegatedAccessToken's trade-in token is not valid."""

    code = "ExpiredTradeInTokenException"


class OutboundWebIdentityFederationDisabledException(KeyturnError):
    """Outbound web identity federation is not enabled."""

    code = "OutboundWebIdentityFederationDisabledException"


class NoSuchEntity(KeyturnError):
    """A named IAM entity (a user, for ``credentials("bob")``) does not exist."""

    code = "NoSuchEntity"


class InternalFailure(KeyturnError):
    """A fault of Keyturn's, never of the input."""

    code = "InternalFailure"


# generated:errors:start
# (written by keyturn-codegen from the error table: do not edit until the end marker)


class AccessDeniedException(KeyturnError):
    """You do not have sufficient access to perform this action."""

    code = "AccessDeniedException"


class AccountNotManagementOrDelegatedAdministratorException(KeyturnError):
    """The request was rejected because the account making the request is not the management
    account or delegated administrator account for centralized root access."""

    code = "AccountNotManagementOrDelegatedAdministratorException"


class CallerIsNotManagementAccountException(KeyturnError):
    """The request was rejected because the account making the request is not the management
    account for the organization."""

    code = "CallerIsNotManagementAccountException"


class ConcurrentModification(KeyturnError):
    """The request was rejected because multiple requests to change this object were submitted
    simultaneously."""

    code = "ConcurrentModification"


class DeleteConflict(KeyturnError):
    """The request was rejected because it attempted to delete a resource that has attached
    subordinate entities."""

    code = "DeleteConflict"


class DuplicateCertificate(KeyturnError):
    """The request was rejected because the same certificate is associated with an IAM user in
    the account."""

    code = "DuplicateCertificate"


class DuplicateSSHPublicKey(KeyturnError):
    """The request was rejected because the SSH public key is already associated with the
    specified IAM user."""

    code = "DuplicateSSHPublicKey"


class EntityAlreadyExists(KeyturnError):
    """The request was rejected because it attempted to create a resource that already exists."""

    code = "EntityAlreadyExists"


class EntityTemporarilyUnmodifiable(KeyturnError):
    """The request was rejected because it referenced an entity that is temporarily
    unmodifiable, such as a user name that was deleted and then recreated."""

    code = "EntityTemporarilyUnmodifiable"


class FeatureDisabled(KeyturnError):
    """The request failed because outbound identity federation is already disabled for your
    Amazon Web Services account."""

    code = "FeatureDisabled"


class FeatureEnabled(KeyturnError):
    """The request failed because outbound identity federation is already enabled for your
    Amazon Web Services account."""

    code = "FeatureEnabled"


class InsufficientSessionLifetime(KeyturnError):
    """The request was rejected because the requested DurationSeconds is greater than the
    remaining lifetime of the calling session."""

    code = "InsufficientSessionLifetime"


class InvalidAttestationDocument(KeyturnError):
    """Amazon Web Services STS can't use the attestation document in the request."""

    code = "InvalidAttestationDocument"


class InvalidAuthenticationCode(KeyturnError):
    """The request was rejected because the authentication code was not recognized."""

    code = "InvalidAuthenticationCode"


class InvalidCertificate(KeyturnError):
    """The request was rejected because the certificate is invalid."""

    code = "InvalidCertificate"


class InvalidContextAssertion(KeyturnError):
    """The request was rejected because the context assertion that was provided is invalid."""

    code = "InvalidContextAssertion"


class InvalidInput(KeyturnError):
    """The request was rejected because an invalid or out-of-range value was supplied for an
    input parameter."""

    code = "InvalidInput"


class InvalidParameterCombination(KeyturnError):
    """Parameters that must not be used together were used together."""

    code = "InvalidParameterCombination"


class InvalidPublicKey(KeyturnError):
    """The request was rejected because the public key is malformed or otherwise invalid."""

    code = "InvalidPublicKey"


class InvalidQueryParameter(KeyturnError):
    """The AWS query string is malformed or does not adhere to AWS standards."""

    code = "InvalidQueryParameter"


class InvalidSubjectCredentials(KeyturnError):
    """The request was rejected because the session used to call GetScopedCredentials is not a
    valid session."""

    code = "InvalidSubjectCredentials"


class InvalidUserType(KeyturnError):
    """The request was rejected because the type of user for the transaction was incorrect."""

    code = "InvalidUserType"


class InvalidWorkloadIdentityConfiguration(KeyturnError):
    """Amazon Web Services STS can't issue a workload identity context because the workload
    identity template or workload identity provider has a configuration that Amazon Web Services
    STS can't use, or that doesn't work with the values in the request."""

    code = "InvalidWorkloadIdentityConfiguration"


class JWTPayloadSizeExceededException(KeyturnError):
    """The requested token payload size exceeds the maximum allowed size."""

    code = "JWTPayloadSizeExceededException"


class KeyPairMismatch(KeyturnError):
    """The request was rejected because the public key certificate and the private key do not
    match."""

    code = "KeyPairMismatch"


class LimitExceeded(KeyturnError):
    """The request was rejected because it attempted to create resources beyond the current
    Amazon Web Services account limits."""

    code = "LimitExceeded"


class MalformedCertificate(KeyturnError):
    """The request was rejected because the certificate was malformed or expired."""

    code = "MalformedCertificate"


class MalformedCertificateSigningRequestException(KeyturnError):
    """The certificate signing request (CSR) isn't valid."""

    code = "MalformedCertificateSigningRequestException"


class MalformedQueryString(KeyturnError):
    """The query string contains a syntax error."""

    code = "MalformedQueryString"


class MissingAction(KeyturnError):
    """The request is missing an action or a required parameter."""

    code = "MissingAction"


class NameConflict(KeyturnError):
    """The request was rejected because the resulting role name conflicts with an existing role
    in the account."""

    code = "NameConflict"


class NotAuthorized(KeyturnError):
    """You do not have permission to perform this action."""

    code = "NotAuthorized"


class NotSupportedService(KeyturnError):
    """The specified service does not support service-specific credentials."""

    code = "NotSupportedService"


class OpenIdIdpCommunicationError(KeyturnError):
    """The request failed because IAM cannot connect to the OpenID Connect identity provider
    URL."""

    code = "OpenIdIdpCommunicationError"


class OptInRequired(KeyturnError):
    """The AWS access key ID needs a subscription for the service."""

    code = "OptInRequired"


class OrganizationLevelResourcesExistException(KeyturnError):
    """The request was rejected because your organization still has organization-level
    resources."""

    code = "OrganizationLevelResourcesExistException"


class OrganizationNotFoundException(KeyturnError):
    """The request was rejected because no organization is associated with your account."""

    code = "OrganizationNotFoundException"


class OrganizationNotInAllFeaturesModeException(KeyturnError):
    """The request was rejected because your organization does not have All features enabled."""

    code = "OrganizationNotInAllFeaturesModeException"


class PasswordPolicyViolation(KeyturnError):
    """The request was rejected because the provided password did not meet the requirements
    imposed by the account password policy."""

    code = "PasswordPolicyViolation"


class PolicyEvaluation(KeyturnError):
    """The request failed because a provided policy could not be successfully evaluated."""

    code = "PolicyEvaluation"


class PolicyNotAttachable(KeyturnError):
    """The request failed because Amazon Web Services service role policies can only be attached
    to the service-linked role for that service."""

    code = "PolicyNotAttachable"


class RegionalSignerUnavailableException(KeyturnError):
    """The workload identity provider has a signer of the requested type, but no signer in the
    Amazon Web Services Region that you sent the request to can sign it right now."""

    code = "RegionalSignerUnavailableException"


class ReportExpired(KeyturnError):
    """The request was rejected because the most recent credential report has expired."""

    code = "ReportExpired"


class ReportGenerationLimitExceeded(KeyturnError):
    """The request failed because the maximum number of concurrent requests for this account are
    already running."""

    code = "ReportGenerationLimitExceeded"


class ReportInProgress(KeyturnError):
    """The request was rejected because the credential report is still being generated."""

    code = "ReportInProgress"


class ReportNotPresent(KeyturnError):
    """The request was rejected because the credential report does not exist."""

    code = "ReportNotPresent"


class ResourceNotFoundException(KeyturnError):
    """The specified resource doesn't exist, or you don't have access to it."""

    code = "ResourceNotFoundException"


class RoleModified(KeyturnError):
    """The request was rejected because someone modified the role template while the service was
    creating the role."""

    code = "RoleModified"


class RoleTemplateDisabled(KeyturnError):
    """The request was rejected because the specified role template is disabled."""

    code = "RoleTemplateDisabled"


class ServiceAccessNotEnabledException(KeyturnError):
    """The request was rejected because trusted access is not enabled for IAM in Organizations."""

    code = "ServiceAccessNotEnabledException"


class ServiceFailure(KeyturnError):
    """The request processing has failed because of an unknown error, exception or failure."""

    code = "ServiceFailure"


class ServiceUnavailable(KeyturnError):
    """The request has failed due to a temporary failure of the server."""

    code = "ServiceUnavailable"


class SessionDurationEscalationException(KeyturnError):
    """The requested token duration would extend the session beyond its original expiration
    time."""

    code = "SessionDurationEscalationException"


class SignerNotConfiguredException(KeyturnError):
    """The workload identity provider for the calling session doesn't have a signer for the type
    of credential that you requested."""

    code = "SignerNotConfiguredException"


class Throttling(KeyturnError):
    """The request was denied due to request throttling."""

    code = "Throttling"


class ThrottlingException(KeyturnError):
    """The request was denied due to request throttling."""

    code = "ThrottlingException"


class UnmodifiableEntity(KeyturnError):
    """The request was rejected because service-linked roles are protected Amazon Web Services
    resources."""

    code = "UnmodifiableEntity"


class UnrecognizedPublicKeyEncoding(KeyturnError):
    """The request was rejected because the public key encoding format is unsupported or
    unrecognized."""

    code = "UnrecognizedPublicKeyEncoding"


#: Every class, by code below.
_CLASSES: List[Type[KeyturnError]] = [
    ConfigError,
    AccessDenied,
    InvalidClientTokenId,
    ExpiredToken,
    SignatureDoesNotMatch,
    IncompleteSignature,
    MissingAuthenticationToken,
    RequestExpired,
    ValidationError,
    InvalidParameterValue,
    MissingParameter,
    InvalidAction,
    MalformedPolicyDocument,
    PackedPolicyTooLarge,
    InvalidAuthorizationMessageException,
    ExpiredTokenException,
    IDPRejectedClaim,
    IDPCommunicationError,
    InvalidIdentityToken,
    RegionDisabledException,
    ExpiredTradeInTokenException,
    OutboundWebIdentityFederationDisabledException,
    NoSuchEntity,
    InternalFailure,
    AccessDeniedException,
    AccountNotManagementOrDelegatedAdministratorException,
    CallerIsNotManagementAccountException,
    ConcurrentModification,
    DeleteConflict,
    DuplicateCertificate,
    DuplicateSSHPublicKey,
    EntityAlreadyExists,
    EntityTemporarilyUnmodifiable,
    FeatureDisabled,
    FeatureEnabled,
    InsufficientSessionLifetime,
    InvalidAttestationDocument,
    InvalidAuthenticationCode,
    InvalidCertificate,
    InvalidContextAssertion,
    InvalidInput,
    InvalidParameterCombination,
    InvalidPublicKey,
    InvalidQueryParameter,
    InvalidSubjectCredentials,
    InvalidUserType,
    InvalidWorkloadIdentityConfiguration,
    JWTPayloadSizeExceededException,
    KeyPairMismatch,
    LimitExceeded,
    MalformedCertificate,
    MalformedCertificateSigningRequestException,
    MalformedQueryString,
    MissingAction,
    NameConflict,
    NotAuthorized,
    NotSupportedService,
    OpenIdIdpCommunicationError,
    OptInRequired,
    OrganizationLevelResourcesExistException,
    OrganizationNotFoundException,
    OrganizationNotInAllFeaturesModeException,
    PasswordPolicyViolation,
    PolicyEvaluation,
    PolicyNotAttachable,
    RegionalSignerUnavailableException,
    ReportExpired,
    ReportGenerationLimitExceeded,
    ReportInProgress,
    ReportNotPresent,
    ResourceNotFoundException,
    RoleModified,
    RoleTemplateDisabled,
    ServiceAccessNotEnabledException,
    ServiceFailure,
    ServiceUnavailable,
    SessionDurationEscalationException,
    SignerNotConfiguredException,
    Throttling,
    ThrottlingException,
    UnmodifiableEntity,
    UnrecognizedPublicKeyEncoding,
]

#: The HTTP status of each AWS error code.
HTTP_STATUS: Dict[str, int] = {
    "AccessDenied": 403,
    "AccessDeniedException": 400,
    "AccountNotManagementOrDelegatedAdministratorException": 400,
    "CallerIsNotManagementAccountException": 400,
    "ConcurrentModification": 409,
    "DeleteConflict": 409,
    "DuplicateCertificate": 409,
    "DuplicateSSHPublicKey": 400,
    "EntityAlreadyExists": 409,
    "EntityTemporarilyUnmodifiable": 409,
    "ExpiredToken": 403,
    "ExpiredTokenException": 400,
    "ExpiredTradeInTokenException": 400,
    "FeatureDisabled": 404,
    "FeatureEnabled": 409,
    "IDPCommunicationError": 400,
    "IDPRejectedClaim": 403,
    "IncompleteSignature": 400,
    "InsufficientSessionLifetime": 400,
    "InternalFailure": 500,
    "InvalidAction": 400,
    "InvalidAttestationDocument": 400,
    "InvalidAuthenticationCode": 403,
    "InvalidAuthorizationMessageException": 400,
    "InvalidCertificate": 400,
    "InvalidClientTokenId": 403,
    "InvalidContextAssertion": 400,
    "InvalidIdentityToken": 400,
    "InvalidInput": 400,
    "InvalidParameterCombination": 400,
    "InvalidParameterValue": 400,
    "InvalidPublicKey": 400,
    "InvalidQueryParameter": 400,
    "InvalidSubjectCredentials": 400,
    "InvalidUserType": 400,
    "InvalidWorkloadIdentityConfiguration": 400,
    "JWTPayloadSizeExceededException": 400,
    "KeyPairMismatch": 400,
    "LimitExceeded": 409,
    "MalformedCertificate": 400,
    "MalformedCertificateSigningRequestException": 400,
    "MalformedPolicyDocument": 400,
    "MalformedQueryString": 404,
    "MissingAction": 400,
    "MissingAuthenticationToken": 403,
    "MissingParameter": 400,
    "NameConflict": 409,
    "NoSuchEntity": 404,
    "NotAuthorized": 400,
    "NotSupportedService": 404,
    "OpenIdIdpCommunicationError": 400,
    "OptInRequired": 403,
    "OrganizationLevelResourcesExistException": 400,
    "OrganizationNotFoundException": 400,
    "OrganizationNotInAllFeaturesModeException": 400,
    "OutboundWebIdentityFederationDisabledException": 403,
    "PackedPolicyTooLarge": 400,
    "PasswordPolicyViolation": 400,
    "PolicyEvaluation": 500,
    "PolicyNotAttachable": 400,
    "RegionDisabledException": 403,
    "RegionalSignerUnavailableException": 404,
    "ReportExpired": 410,
    "ReportGenerationLimitExceeded": 409,
    "ReportInProgress": 404,
    "ReportNotPresent": 410,
    "RequestExpired": 400,
    "ResourceNotFoundException": 404,
    "RoleModified": 409,
    "RoleTemplateDisabled": 400,
    "ServiceAccessNotEnabledException": 400,
    "ServiceFailure": 500,
    "ServiceUnavailable": 503,
    "SessionDurationEscalationException": 403,
    "SignatureDoesNotMatch": 403,
    "SignerNotConfiguredException": 404,
    "Throttling": 400,
    "ThrottlingException": 400,
    "UnmodifiableEntity": 400,
    "UnrecognizedPublicKeyEncoding": 400,
    "ValidationError": 400,
}
# generated:errors:end

#: The exception class of each error code.
ERROR_CLASSES: Dict[str, Type[KeyturnError]] = {cls.code: cls for cls in _CLASSES}


def _from_code(code: str, message: str, encoded: Optional[str] = None) -> KeyturnError:
    """The exception for an error from the native module (called by it)."""
    cls = ERROR_CLASSES.get(code)
    if cls is AccessDenied:
        return AccessDenied(message, encoded_authorization_message=encoded)
    if cls is None:
        return KeyturnError(message, code)
    return cls(message)
