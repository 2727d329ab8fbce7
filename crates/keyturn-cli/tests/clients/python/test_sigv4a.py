"""SigV4a (`AWS4-ECDSA-P256-SHA256`) from botocore + awscrt: STS and IAM accept it, header and
presigned forms, with AWS's errors for a region set that leaves the server's region out, a wrong
secret and an unknown key. Every test checks that the request really was signed with SigV4a."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from keyturn_e2e import KEYS, client, expect_error, role_arn, user_arn

pytest.importorskip("awscrt", reason="botocore signs SigV4a only with awscrt installed")
from botocore.crt.auth import CrtSigV4AsymQueryAuth  # noqa: E402  (needs awscrt)

V4A = "AWS4-ECDSA-P256-SHA256"
SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
    "Access Key and signing method. Consult the service documentation for details."
)
WRONG_REGION = "Credential should be scoped to a valid region. "


def v4a_client(service: str, endpoint: str, creds, region_set: str | None = None):
    """A boto3 client that signs with SigV4a, recording each request's Authorization and region set."""
    c = client(service, endpoint, creds, config=Config(signature_version="v4a", sigv4a_signing_region_set=region_set))
    c.sent = []

    def record(request, **_):
        c.sent.append((request.headers.get("Authorization", b""), request.headers.get("X-Amz-Region-Set", b"")))

    c.meta.events.register("before-send", record)
    return c


def as_text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


def assert_v4a(c, region_set: str):
    assert c.sent, "no request was sent"
    authorization, sent_set = (as_text(v) for v in c.sent[-1])
    assert authorization.startswith(V4A + " Credential="), authorization
    # The scope has no region: keyid/date/service/aws4_request.
    assert authorization.split("Credential=")[1].split(",")[0].count("/") == 3, authorization
    assert "x-amz-region-set" in authorization.split("SignedHeaders=")[1].split(",")[0]
    assert sent_set == region_set


@pytest.mark.parametrize("region_set", [None, "*", "us-west-2,us-east-1", "us-*", "eu-west-1"])
def test_sts_accepts_v4a_when_the_region_set_names_a_served_region(endpoint, region_set):
    sts = v4a_client("sts", endpoint, KEYS["alice"], region_set)
    identity = sts.get_caller_identity()
    assert identity["Arn"] == user_arn("alice")
    # Without a configured set (and with an endpoint URL) botocore signs for every region.
    assert_v4a(sts, region_set or "*")


def test_sts_refuses_a_region_set_without_a_served_region(endpoint):
    # The server serves the `aws` partition (every region by default): a set naming only another
    # partition's regions names none of them.
    sts = v4a_client("sts", endpoint, KEYS["alice"], "cn-north-1,cn-northwest-*")
    expect_error(sts.get_caller_identity, "SignatureDoesNotMatch", WRONG_REGION, 403)
    assert_v4a(sts, "cn-north-1,cn-northwest-*")


def test_v4a_with_a_wrong_secret_or_an_unknown_key(endpoint):
    wrong = v4a_client("sts", endpoint, (KEYS["alice"][0], "not-the-secret-of-alice-000000000000000"))
    expect_error(wrong.get_caller_identity, "SignatureDoesNotMatch", SIGNATURE_MISMATCH, 403)
    assert_v4a(wrong, "*")
    unknown = v4a_client("sts", endpoint, ("AKIATHPL2AOHAAAAAAAA", "whatever-secret"))
    expect_error(
        unknown.get_caller_identity,
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
        403,
    )


def test_assume_role_and_the_session_sign_with_v4a(endpoint):
    sts = v4a_client("sts", endpoint, KEYS["alice"])
    creds = sts.assume_role(RoleArn=role_arn("UpdateApp"), RoleSessionName="v4a")["Credentials"]
    assert_v4a(sts, "*")
    session = v4a_client("sts", endpoint, (creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"]))
    identity = session.get_caller_identity()
    assert identity["Arn"].endswith(":assumed-role/UpdateApp/v4a"), identity
    assert_v4a(session, "*")
    authorization = as_text(session.sent[-1][0])
    assert "x-amz-security-token" in authorization, authorization
    # The same session with its token altered is refused before any signature check passes.
    token = creds["SessionToken"]
    bad = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
    tampered = v4a_client("sts", endpoint, (creds["AccessKeyId"], creds["SecretAccessKey"], bad))
    expect_error(
        tampered.get_caller_identity,
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
        403,
    )


def test_iam_accepts_v4a(endpoint):
    iam = v4a_client("iam", endpoint, KEYS["auditor"], "us-east-1")
    role = iam.get_role(RoleName="UpdateAppMfa")["Role"]
    assert role["Arn"] == role_arn("UpdateAppMfa")
    assert_v4a(iam, "us-east-1")
    refused = v4a_client("iam", endpoint, KEYS["auditor"], "cn-north-1")
    expect_error(refused.get_role, "SignatureDoesNotMatch", WRONG_REGION, 403, RoleName="UpdateAppMfa")


def presigned_get_caller_identity(endpoint: str, creds, region_set: str) -> str:
    """A presigned GET of GetCallerIdentity, signed by awscrt through botocore's SigV4a query signer."""
    key, secret, *token = creds
    request = AWSRequest(method="GET", url=f"{endpoint}/?Action=GetCallerIdentity&Version=2011-06-15")
    signer = CrtSigV4AsymQueryAuth(Credentials(key, secret, token[0] if token else None), "sts", region_set, 300)
    signer.add_auth(request)
    return request.url


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_presigned_v4a(endpoint):
    url = presigned_get_caller_identity(endpoint, KEYS["alice"], "us-east-1")
    assert f"X-Amz-Algorithm={V4A}" in url and "X-Amz-Region-Set=us-east-1" in url, url
    status, body = get(url)
    assert status == 200, body
    assert f"<Arn>{user_arn('alice')}</Arn>" in body, body
    # Any change to a signed parameter breaks the signature.
    status, body = get(url.replace("X-Amz-Expires=300", "X-Amz-Expires=301"))
    assert status == 403 and f"<Message>{SIGNATURE_MISMATCH}</Message>" in body, body
    # The region set is signed too: it cannot be widened after signing.
    status, body = get(url.replace("X-Amz-Region-Set=us-east-1", "X-Amz-Region-Set=%2A"))
    assert status == 403 and f"<Message>{SIGNATURE_MISMATCH}</Message>" in body, body
    other = presigned_get_caller_identity(endpoint, KEYS["alice"], "cn-north-1")
    status, body = get(other)
    assert status == 403 and f"<Message>{WRONG_REGION}</Message>" in body, body
