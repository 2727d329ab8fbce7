"""Authentication failures seen by boto3: AWS's codes, exact messages, statuses and request ids."""

from __future__ import annotations

import datetime as dt
import re

import botocore.auth
import pytest
import urllib.error
import urllib.parse
import urllib.request
from botocore.exceptions import ClientError

from conftest import PAST_OFFSET_SECONDS
from keyturn_e2e import KEYS, client, expect_error, role_arn

SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
    "Access Key and signing method. Consult the service documentation for details."
)
INVALID_TOKEN = "The security token included in the request is invalid."
EXPIRED_TOKEN = "The security token included in the request is expired"


def shift_signing_clock(monkeypatch, offset: int):
    """Makes botocore sign as if its clock were `offset` seconds away from now: its own signers and,
    with awscrt installed (botocore then signs SigV4 through the CRT too), the CRT's."""
    import botocore.compat

    real = botocore.compat.get_current_datetime
    modules = [botocore.auth]
    try:
        import botocore.crt.auth

        modules.append(botocore.crt.auth)
    except ImportError:
        pass
    for module in modules:
        monkeypatch.setattr(
            module, "get_current_datetime", lambda *a, **kw: real(*a, **kw) + dt.timedelta(seconds=offset)
        )


@pytest.fixture
def shifted_clock(monkeypatch):
    """`shift(offset)`: see shift_signing_clock."""

    def shift(offset: int):
        shift_signing_clock(monkeypatch, offset)

    return shift


def test_wrong_secret_is_signature_does_not_match(sts):
    bad = sts((KEYS["alice"][0], "not-the-secret-of-alice-000000000000000"))
    expect_error(bad.get_caller_identity, "SignatureDoesNotMatch", SIGNATURE_MISMATCH, 403)


def test_unknown_key_is_invalid_client_token_id(sts):
    unknown = sts(("AKIATHPL2AOHAAAAAAAA", "whatever-secret"))
    expect_error(unknown.get_caller_identity, "InvalidClientTokenId", INVALID_TOKEN, 403)


def test_tampered_session_token_is_invalid(sts):
    creds = sts("alice").assume_role(RoleArn=role_arn("UpdateApp"), RoleSessionName="tamper")["Credentials"]
    token = creds["SessionToken"]
    flipped = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
    bad = sts((creds["AccessKeyId"], creds["SecretAccessKey"], flipped))
    expect_error(bad.get_caller_identity, "InvalidClientTokenId", INVALID_TOKEN, 403)


def test_session_key_without_its_token_is_invalid(sts):
    creds = sts("alice").assume_role(RoleArn=role_arn("UpdateApp"), RoleSessionName="no-token")["Credentials"]
    bare = sts((creds["AccessKeyId"], creds["SecretAccessKey"]))
    expect_error(bare.get_caller_identity, "InvalidClientTokenId", INVALID_TOKEN, 403)


def test_session_token_with_the_wrong_secret_does_not_match(sts):
    creds = sts("alice").assume_role(RoleArn=role_arn("UpdateApp"), RoleSessionName="bad-secret")["Credentials"]
    wrong = sts((creds["AccessKeyId"], "x" * 40, creds["SessionToken"]))
    expect_error(wrong.get_caller_identity, "SignatureDoesNotMatch", SIGNATURE_MISMATCH, 403)


def test_request_signed_twenty_minutes_ago_is_expired(sts, shifted_clock):
    shifted_clock(-20 * 60)
    response = expect_error(sts("alice").get_caller_identity, "SignatureDoesNotMatch", None, 403)
    assert re.fullmatch(
        r"Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)",
        response["Error"]["Message"],
    ), response["Error"]["Message"]


def test_expired_credentials_are_refused_by_the_real_clock(past_server, endpoint, monkeypatch):
    shift_signing_clock(monkeypatch, PAST_OFFSET_SECONDS)
    creds = client("sts", past_server.endpoint, KEYS["alice"]).assume_role(
        RoleArn=role_arn("UpdateApp"), RoleSessionName="expired", DurationSeconds=900
    )["Credentials"]
    # Valid in the past server's own time...
    ident = client("sts", past_server.endpoint, creds).get_caller_identity()
    assert ident["Arn"].endswith(":assumed-role/UpdateApp/expired")
    # ...and expired (since 1 h 45 min) for the main server, which shares its keyring.
    shift_signing_clock(monkeypatch, 0)
    expect_error(client("sts", endpoint, creds).get_caller_identity, "ExpiredToken", EXPIRED_TOKEN, 403)


def test_unsigned_request_is_missing_authentication_token(endpoint):
    body = urllib.parse.urlencode({"Action": "GetCallerIdentity", "Version": "2011-06-15"}).encode()
    request = urllib.request.Request(endpoint + "/", data=body, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    text = info.value.read().decode()
    assert info.value.code == 403
    assert "<Code>MissingAuthenticationToken</Code>" in text
    assert re.search(r"<RequestId>[^<]+</RequestId>", text), text
    assert info.value.headers.get("x-amzn-RequestId")


def test_client_error_carries_the_request_id_header(sts):
    with pytest.raises(ClientError) as info:
        sts(("AKIATHPL2AOHAAAAAAAA", "whatever-secret")).get_caller_identity()
    meta = info.value.response["ResponseMetadata"]
    assert meta["HTTPHeaders"]["x-amzn-requestid"] == meta["RequestId"]
