"""MFA (TOTP codes computed here, RFC 6238), GetSessionToken, GetFederationToken, DecodeAuthorizationMessage."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from keyturn_e2e import (
    DEV,
    PROD,
    expect_error,
    hotp,
    mfa_serial,
    not_authorized,
    role_arn,
    totp,
    totp_for,
    user_arn,
    wrong_code_for,
)

INVALID_CODE = "MultiFactorAuthentication failed with invalid MFA one time pass code. "
MFA_ROLE = role_arn("UpdateAppMfa")
# RFC 4226 appendix D ("HOTP Algorithm: Test Values"): secret "12345678901234567890" (ASCII),
# 6 digits; the HOTP value for counters 0 to 9.
RFC4226_SECRET = b"12345678901234567890"
RFC4226_APPENDIX_D = [
    "755224", "287082", "359152", "969429", "338314",
    "254676", "287922", "162583", "399871", "520489",
]


def lifetime(creds) -> float:
    return (creds["Expiration"] - datetime.now(timezone.utc)).total_seconds()


def test_totp_helper_matches_the_rfc_vectors():
    """The codes the tests send are computed by this helper: check it against RFC 4226 and 6238."""
    for counter, code in enumerate(RFC4226_APPENDIX_D):
        assert hotp(RFC4226_SECRET, counter, 6) == code
    assert totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59) == "287082"  # RFC 6238, SHA-1, last 6 digits


# --- MFA on AssumeRole -----------------------------------------------------------------------


def test_mfa_role_without_mfa_is_denied(sts):
    expect_error(
        sts("alice").assume_role, "AccessDenied", not_authorized(user_arn("alice"), "sts:AssumeRole", MFA_ROLE), 403,
        RoleArn=MFA_ROLE, RoleSessionName="no-mfa",
    )


def test_mfa_role_with_a_wrong_code_is_denied(sts):
    response = expect_error(
        sts("alice").assume_role, "AccessDenied", None, 403,
        RoleArn=MFA_ROLE, RoleSessionName="wrong", SerialNumber=mfa_serial("alice"), TokenCode=wrong_code_for("alice"),
    )
    assert response["Error"]["Message"].rstrip() == INVALID_CODE.rstrip(), response["Error"]


def test_mfa_role_with_a_valid_code(sts):
    out = sts("carol").assume_role(
        RoleArn=MFA_ROLE, RoleSessionName="with-mfa", SerialNumber=mfa_serial("carol"), TokenCode=totp_for("carol")
    )
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{PROD}:assumed-role/UpdateAppMfa/with-mfa"
    assert sts(out["Credentials"]).get_caller_identity()["Arn"] == out["AssumedRoleUser"]["Arn"]


def test_a_code_is_accepted_once(sts):
    code = totp_for("erin")
    args = dict(RoleArn=MFA_ROLE, SerialNumber=mfa_serial("erin"), TokenCode=code)
    sts("erin").assume_role(RoleSessionName="first", **args)
    response = expect_error(sts("erin").assume_role, "AccessDenied", None, 403, RoleSessionName="replay", **args)
    assert response["Error"]["Message"].rstrip() == INVALID_CODE.rstrip(), response["Error"]


def test_serial_without_code_is_refused(sts):
    response = expect_error(
        sts("alice").assume_role, "AccessDenied", None, 403,
        RoleArn=role_arn("UpdateApp"), RoleSessionName="half", SerialNumber=mfa_serial("alice"),
    )
    assert response["Error"]["Message"].startswith("MultiFactorAuthentication failed"), response["Error"]


def test_token_code_must_be_six_digits(sts):
    # An MFA code is a credential: the message leaves its value out (issue 16).
    expect_error(
        sts("alice").assume_role, "ValidationError",
        "1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: "
        "Member must have length greater than or equal to 6",
        400,
        RoleArn=MFA_ROLE, RoleSessionName="short", SerialNumber=mfa_serial("alice"), TokenCode="12345",
    )


# --- GetSessionToken -------------------------------------------------------------------------


def test_get_session_token_with_mfa_then_assume_the_mfa_role(sts):
    out = sts("dave").get_session_token(SerialNumber=mfa_serial("dave"), TokenCode=totp_for("dave"), DurationSeconds=900)
    creds = out["Credentials"]
    assert re.fullmatch(r"ASIA[A-Z2-7]{16}", creds["AccessKeyId"])
    assert 890 <= lifetime(creds) <= 905
    session = sts(creds)
    assert session.get_caller_identity()["Arn"] == user_arn("dave")
    # The session is MFA-authenticated: the role whose trust requires aws:MultiFactorAuthPresent accepts it.
    role = session.assume_role(RoleArn=MFA_ROLE, RoleSessionName="after-gst")
    assert role["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{PROD}:assumed-role/UpdateAppMfa/after-gst"


def test_get_session_token_without_mfa_cannot_assume_the_mfa_role(sts):
    creds = sts("alice").get_session_token()["Credentials"]
    # Default duration: 12 hours.
    assert 43190 <= lifetime(creds) <= 43205
    expect_error(
        sts(creds).assume_role, "AccessDenied", not_authorized(user_arn("alice"), "sts:AssumeRole", MFA_ROLE), 403,
        RoleArn=MFA_ROLE, RoleSessionName="no-mfa",
    )
    # ...while the role without the MFA condition is fine.
    ok = sts(creds).assume_role(RoleArn=role_arn("UpdateApp"), RoleSessionName="from-gst")
    assert ok["AssumedRoleUser"]["Arn"].endswith(":assumed-role/UpdateApp/from-gst")


def test_session_credentials_cannot_call_get_session_token(sts):
    creds = sts("alice").get_session_token(DurationSeconds=900)["Credentials"]
    expect_error(
        sts(creds).get_session_token, "AccessDenied", "Cannot call GetSessionToken with session credentials", 403
    )


def test_get_session_token_duration_limits(sts):
    expect_error(
        sts("alice").get_session_token, "ValidationError",
        "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: "
        "Member must have value less than or equal to 129600",
        400,
        DurationSeconds=129601,
    )


def test_root_session_token_is_capped_at_one_hour(sts):
    creds = sts("root").get_session_token(DurationSeconds=7200)["Credentials"]
    assert 3590 <= lifetime(creds) <= 3605


# --- GetFederationToken ----------------------------------------------------------------------

SESSION_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::devbucket/*"}],
    }
)


def test_get_federation_token_with_a_session_policy(sts):
    out = sts("fed").get_federation_token(Name="partner-jo", Policy=SESSION_POLICY, DurationSeconds=1800)
    fed = out["FederatedUser"]
    assert fed["Arn"] == f"arn:aws:sts::{DEV}:federated-user/partner-jo"
    assert fed["FederatedUserId"] == f"{DEV}:partner-jo"
    assert isinstance(out["PackedPolicySize"], int) and 0 < out["PackedPolicySize"] <= 100
    creds = out["Credentials"]
    assert 1790 <= lifetime(creds) <= 1805
    ident = sts(creds).get_caller_identity()
    assert ident == {**ident, "Account": DEV, "Arn": fed["Arn"], "UserId": fed["FederatedUserId"]}
    # Federated users may call no STS operation but GetCallerIdentity.
    expect_error(sts(creds).assume_role, "AccessDenied", None, 403, RoleArn=role_arn("UpdateApp"), RoleSessionName="from-fed")


def test_get_federation_token_needs_permission(sts):
    expect_error(
        sts("bob").get_federation_token, "AccessDenied",
        not_authorized(user_arn("bob"), "sts:GetFederationToken", f"arn:aws:sts::{DEV}:federated-user/nobody"),
        403,
        Name="nobody", Policy=SESSION_POLICY,
    )


def test_get_federation_token_name_constraints(sts):
    expect_error(
        sts("fed").get_federation_token, "ValidationError",
        "1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: "
        "Member must have length greater than or equal to 2",
        400,
        Name="x",
    )


def test_get_federation_token_malformed_policy(sts):
    response = expect_error(
        sts("fed").get_federation_token, "MalformedPolicyDocument", None, 400, Name="partner", Policy="{not json"
    )
    assert response["Error"]["Message"]


def test_assumed_role_cannot_get_a_federation_token(sts):
    creds = sts("alice").assume_role(RoleArn=role_arn("UpdateApp"), RoleSessionName="no-fed")["Credentials"]
    expect_error(sts(creds).get_federation_token, "AccessDenied", None, 403, Name="someone", Policy=SESSION_POLICY)


# --- DecodeAuthorizationMessage --------------------------------------------------------------


def test_decode_a_foreign_message_is_invalid(sts):
    response = expect_error(
        sts("alice").decode_authorization_message, "InvalidAuthorizationMessageException", None, 400,
        EncodedMessage="not-a-message-this-server-produced",
    )
    assert response["Error"]["Message"]


def test_decode_needs_permission(sts):
    expect_error(
        sts("bob").decode_authorization_message, "AccessDenied",
        f"User: {user_arn('bob')} is not authorized to perform: sts:DecodeAuthorizationMessage", 403,
        EncodedMessage="x" * 64,
    )


def test_decode_a_message_the_server_produced(sts):
    """A denied AssumeRole carries an encoded authorization message, which alice may decode.

    AWS's STS message text stays exact; the encoded message rides in an extra element of the
    error (`<Error><EncodedAuthorizationMessage>`), which botocore exposes in `response["Error"]`.
    """
    arn = role_arn("NoTrustRole")
    response = expect_error(
        sts("alice").assume_role, "AccessDenied", not_authorized(user_arn("alice"), "sts:AssumeRole", arn), 403,
        RoleArn=arn, RoleSessionName="denied",
    )
    encoded = response["Error"].get("EncodedAuthorizationMessage")
    assert encoded, f"no encoded authorization message in {response['Error']!r}"
    decoded = json.loads(sts("alice").decode_authorization_message(EncodedMessage=encoded)["DecodedMessage"])
    assert decoded["allowed"] is False
    assert decoded["explicitDeny"] is False
    context = decoded["context"]
    assert context["principal"]["arn"] == user_arn("alice")
    assert context["action"] == "sts:AssumeRole"
    assert context["resource"] == arn
    # bob may not decode it.
    expect_error(
        sts("bob").decode_authorization_message, "AccessDenied",
        f"User: {user_arn('bob')} is not authorized to perform: sts:DecodeAuthorizationMessage", 403,
        EncodedMessage=encoded,
    )


def test_session_token_credentials_cannot_get_a_federation_token(sts):
    creds = sts("fed").get_session_token(DurationSeconds=900)["Credentials"]
    expect_error(sts(creds).get_federation_token, "AccessDenied", None, 403, Name="partner", Policy=SESSION_POLICY)
