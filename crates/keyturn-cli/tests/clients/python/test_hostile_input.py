"""What a request can make a response say (issue 16): every response is well-formed XML 1.0, the
`Authorization` header and `X-Amz-Expires` are parsed strictly, and MFA codes never come back in
a message or reach the audit log."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

# The federation suite's OpenID provider and server (module-scoped fixtures: this module gets
# its own of each).
from test_federation import ISSUER, OIDC_ARN, OTHER_ROLE, anonymous, fed, idp  # noqa: F401

from keyturn_e2e import KEYS, MFA_SEEDS, REGION, client, expect_error, mfa_serial, totp

NS = "{https://sts.amazonaws.com/doc/2011-06-15/}"


def send(method: str, url: str, headers: dict, body: bytes | None = None) -> tuple[int, str]:
    """The status and body text of a raw request (no SDK in the way)."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def error_of(text: str) -> tuple[str, str]:
    """(code, message) of an `<ErrorResponse>`, parsed by a conforming XML 1.0 parser (expat
    refuses a document with a character XML cannot carry)."""
    root = ET.fromstring(text)
    error = root.find(f"{NS}Error")
    assert error is not None, text
    return error.findtext(f"{NS}Code"), error.findtext(f"{NS}Message")


def signed_post(endpoint: str, params: dict, who: str = "alice") -> AWSRequest:
    """A POST of `params` signed by `who` as botocore signs it."""
    request = AWSRequest(
        method="POST",
        url=endpoint + "/",
        data=urllib.parse.urlencode(params).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(Credentials(*KEYS[who]), "sts", REGION).add_auth(request)
    return request


def presigned_url(endpoint: str, expires: int) -> str:
    """A GetCallerIdentity URL presigned by alice for `expires` seconds."""
    request = AWSRequest(method="GET", url=endpoint + "/?Action=GetCallerIdentity&Version=2011-06-15")
    SigV4QueryAuth(Credentials(*KEYS["alice"]), "sts", REGION, expires=expires).add_auth(request)
    return request.url


# ---------------------------------------------------------------------------------------------
# Well-formed XML.


def test_an_action_with_a_control_character_is_answered_in_well_formed_xml(endpoint):
    body = b"Action=Get%01Caller%EF%BF%BEIdentity&Version=2011-06-15"
    status, text = send("POST", endpoint + "/", {"Content-Type": "application/x-www-form-urlencoded"}, body)
    assert status == 400
    code, message = error_of(text)
    assert code == "InvalidAction"
    # U+0001 and U+FFFE cannot be carried by XML 1.0: they come back as U+FFFD.
    assert message == "Could not find operation Get\ufffdCaller\ufffdIdentity for version 2011-06-15"


def test_simulated_action_names_and_resources_are_answered_in_well_formed_xml(iam):
    # boto3 parses the answer with expat: a raw control character would fail the call itself.
    result = iam("auditor").simulate_custom_policy(
        PolicyInputList=['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'],
        ActionNames=["s3:Get\x01Object", "s3:Put\ufffeObject\x1b"],
        ResourceArns=["arn:aws:s3:::bucket/\x02key\uffff"],
    )["EvaluationResults"]
    assert [r["EvalActionName"] for r in result] == ["s3:Get\ufffdObject", "s3:Put\ufffdObject\ufffd"]
    assert {r["EvalResourceName"] for r in result} == {"arn:aws:s3:::bucket/\ufffdkey\ufffd"}
    assert {r["EvalDecision"] for r in result} == {"allowed"}


def test_a_token_subject_with_control_characters_is_answered_in_well_formed_xml(idp, anonymous):  # noqa: F811
    r = anonymous.assume_role_with_web_identity(
        RoleArn=OTHER_ROLE, RoleSessionName="ctl", WebIdentityToken=idp.id_token(sub="user\x01\ufffe-42\x7f")
    )
    # DEL is an XML character and stays; the two others become U+FFFD.
    assert r["SubjectFromWebIdentityToken"] == "user\ufffd\ufffd-42\x7f"
    assert r["Provider"] in (ISSUER, OIDC_ARN, "idp.e2e.example")


# ---------------------------------------------------------------------------------------------
# Strict SigV4 parsing.


@pytest.mark.parametrize(
    "extra, piece",
    [(",xxxx", "xxxx"), (",,,,", ""), (" xxxx", "xxxx")],
)
def test_pieces_after_a_valid_authorization_are_refused(endpoint, extra, piece):
    request = signed_post(endpoint, {"Action": "GetCallerIdentity", "Version": "2011-06-15"})
    # Signed as it is, the request is answered...
    status, _ = send("POST", request.url, dict(request.headers), request.body)
    assert status == 200
    # ...with anything after its three parameters, it is refused as AWS refuses it.
    header = request.headers["Authorization"] + extra
    request.headers.replace_header("Authorization", header)
    status, text = send("POST", request.url, dict(request.headers), request.body)
    assert status == 400
    assert error_of(text) == (
        "IncompleteSignature",
        f"'{piece}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header.strip()}'.",
    )


def test_an_unknown_authorization_parameter_is_refused(endpoint):
    request = signed_post(endpoint, {"Action": "GetCallerIdentity", "Version": "2011-06-15"})
    header = request.headers["Authorization"] + ", Foo=bar"
    request.headers.replace_header("Authorization", header)
    status, text = send("POST", request.url, dict(request.headers), request.body)
    assert status == 400
    code, message = error_of(text)
    assert code == "IncompleteSignature"
    assert message.startswith("'Foo' is not a valid Authorization header parameter"), message


def test_presigned_expiry_must_be_one_second_to_a_week(endpoint):
    assert send("GET", presigned_url(endpoint, 60), {})[0] == 200
    status, text = send("GET", presigned_url(endpoint, 0), {})
    assert (status, error_of(text)) == (400, ("RequestExpired", "Request has expired."))
    negative = presigned_url(endpoint, 60).replace("X-Amz-Expires=60", "X-Amz-Expires=-60")
    status, text = send("GET", negative, {})
    assert (status, error_of(text)) == (400, ("IncompleteSignature", "X-Amz-Expires must be non-negative"))
    week = presigned_url(endpoint, 60).replace("X-Amz-Expires=60", "X-Amz-Expires=604801")
    status, text = send("GET", week, {})
    assert (status, error_of(text)) == (
        400,
        ("IncompleteSignature", "X-Amz-Expires must be less than a week (in seconds) that is 604800"),
    )


# ---------------------------------------------------------------------------------------------
# Secrets in messages.


def audit_text(server, request_id: str) -> str:
    """The audit log once it holds the event of `request_id` (it is written asynchronously)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        text = server.audit_path.read_text() if server.audit_path.exists() else ""
        if request_id in text:
            return text
        time.sleep(0.05)
    raise AssertionError(f"no audit event for {request_id}")


def test_a_malformed_token_code_is_never_echoed_nor_logged(server, sts):
    for code in ("98765z", "1234"):
        response = expect_error(
            sts("alice").get_session_token, "ValidationError", None, 400,
            SerialNumber=mfa_serial("alice"), TokenCode=code,
        )
        message = response["Error"]["Message"]
        assert code not in message, message
        assert "Value at 'tokenCode' failed to satisfy constraint" in message, message
        assert code not in audit_text(server, response["ResponseMetadata"]["RequestId"])
    response = expect_error(
        sts("alice").get_session_token, "ValidationError",
        "1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\d]*",
        400, SerialNumber=mfa_serial("alice"), TokenCode="55x555",
    )
    assert "55x555" not in audit_text(server, response["ResponseMetadata"]["RequestId"])


def test_a_malformed_authentication_code_is_never_echoed_nor_logged(server, iam):
    response = expect_error(
        iam("auditor").enable_mfa_device, "ValidationError", None, 400,
        UserName="auditor", SerialNumber="arn:aws:iam::111111111111:mfa/x", AuthenticationCode1="77a777",
        AuthenticationCode2="123456",
    )
    message = response["Error"]["Message"]
    assert message == (
        "1 validation error detected: Value at 'authenticationCode1' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\d]+"
    ), message
    text = audit_text(server, response["ResponseMetadata"]["RequestId"])
    assert "77a777" not in text
    assert "123456" not in text


# ---------------------------------------------------------------------------------------------
# MFA codes: each once, and none older than one used (docs/configuration.md).


def test_an_mfa_code_is_refused_once_a_later_steps_code_was_used(fresh):
    """On a server of this module's own, so that the shared server's device keeps its state."""
    sts = client("sts", fresh.endpoint, KEYS["alice"])
    mfa = "MultiFactorAuthentication failed with invalid MFA one time pass code. "
    now = time.time()
    if 30 - now % 30 < 2:
        time.sleep(2.1)
        now = time.time()
    # The next step's code is accepted (one step of drift)...
    sts.get_session_token(SerialNumber=mfa_serial("alice"), TokenCode=totp(MFA_SEEDS["alice"], now + 30))
    # ...then the current step's code, never used, is refused: a later step's code was.
    expect_error(
        sts.get_session_token, "AccessDenied", mfa, 403,
        SerialNumber=mfa_serial("alice"), TokenCode=totp(MFA_SEEDS["alice"], now),
    )
