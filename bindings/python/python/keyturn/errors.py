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
]

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
