"""Engine.verify_request: requests signed by botocore's own SigV4 signer."""

from __future__ import annotations

import pytest
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials

import keyturn
from conftest import TEAM


def signed(creds: keyturn.Credentials, method: str, url: str, body: bytes = b"", service: str = "s3", region: str = "eu-west-3") -> AWSRequest:
    req = AWSRequest(method=method, url=url, data=body, headers={"User-Agent": "pytest"})
    boto = BotoCredentials(creds.access_key_id, creds.secret_access_key, creds.session_token)
    signer = S3SigV4Auth if service == "s3" else SigV4Auth
    signer(boto, service, region).add_auth(req)
    return req


def verify(engine: keyturn.Engine, req: AWSRequest, **kw) -> keyturn.Caller:
    prepared = req.prepare()
    headers = list(prepared.headers.items())
    if not any(k.lower() == "host" for k, _ in headers):
        from urllib.parse import urlsplit

        headers.append(("Host", urlsplit(prepared.url).netloc))
    return engine.verify_request(prepared.method, prepared.url, headers, prepared.body, **kw)


def test_verify_a_session_request(engine: keyturn.Engine, deploy: keyturn.Credentials) -> None:
    req = signed(deploy, "PUT", "http://127.0.0.1:9000/productionapp/app%20v1.zip?x-id=PutObject", b"zip")
    caller = verify(engine, req, source_ip="10.0.0.7")
    assert caller.arn == "arn:aws:sts::111111111111:assumed-role/UpdateApp/deploy"
    assert caller.kind == "RoleSession"
    assert caller.account == "111111111111"
    assert caller.access_key_id == deploy.access_key_id
    assert caller.user_id.endswith(":deploy")
    assert engine.authorize(caller, "s3:PutObject", "arn:aws:s3:::productionapp/app v1.zip")
    assert not engine.authorize(caller, "s3:DeleteBucket", "arn:aws:s3:::productionapp")


def test_verify_a_long_term_request_with_a_mapping(engine: keyturn.Engine, alice: keyturn.Credentials) -> None:
    req = signed(alice, "GET", "http://localhost:9000/productionapp?list-type=2&prefix=a%2Fb")
    prepared = req.prepare()
    headers = dict(prepared.headers)
    headers["Host"] = "localhost:9000"
    caller = engine.verify_request("GET", prepared.url, headers)
    assert caller.arn == "arn:aws:iam::222222222222:user/alice" and caller.kind == "User"


def test_verify_other_services(engine: keyturn.Engine, alice: keyturn.Credentials) -> None:
    req = signed(alice, "POST", "https://sts.eu-west-3.amazonaws.com/", b"Action=GetCallerIdentity&Version=2011-06-15", service="sts")
    assert verify(engine, req, service="sts").kind == "User"
    # Scoped to sts, presented to an s3 verifier: refused.
    with pytest.raises(keyturn.KeyturnError) as e:
        verify(engine, req, service="s3")
    assert e.value.code in ("SignatureDoesNotMatch", "IncompleteSignature")


def test_verify_rejections(engine: keyturn.Engine, alice: keyturn.Credentials) -> None:
    req = signed(alice, "PUT", "http://127.0.0.1:9000/productionapp/k", b"body")
    prepared = req.prepare()
    headers = list(prepared.headers.items()) + [("Host", "127.0.0.1:9000")]
    with pytest.raises(keyturn.SignatureDoesNotMatch):
        engine.verify_request("PUT", "/productionapp/other", headers, b"body")
    with pytest.raises(keyturn.MissingAuthenticationToken):
        engine.verify_request("GET", "/productionapp/k", {"Host": "127.0.0.1:9000"})
    stranger = keyturn.Credentials("AKIAIOSFODNN7EXAMPLE", "secret")
    with pytest.raises(keyturn.InvalidClientTokenId):
        verify(engine, signed(stranger, "GET", "http://127.0.0.1:9000/productionapp/k"))
    # The engine answers as eu-west-3 and serves every region of the aws partition (no
    # server.regions): a request signed for us-east-1 verifies, one for another partition does not.
    assert verify(engine, signed(alice, "GET", "http://127.0.0.1:9000/productionapp/k", region="us-east-1")).kind == "User"
    with pytest.raises(keyturn.SignatureDoesNotMatch) as e:
        verify(engine, signed(alice, "GET", "http://127.0.0.1:9000/productionapp/k", region="cn-north-1"))
    assert e.value.message == "Credential should be scoped to a valid region. "
    with pytest.raises(keyturn.InvalidParameterValue):
        verify(engine, req, source_ip="not-an-ip")


def test_incomplete_and_expired_signatures(alice: keyturn.Credentials) -> None:
    import datetime

    from botocore.auth import SigV4QueryAuth

    engine = keyturn.Engine(TEAM, ephemeral=True)
    with pytest.raises(keyturn.IncompleteSignature):
        engine.verify_request(
            "GET", "/productionapp/k",
            {"Host": "h", "Authorization": "AWS4-HMAC-SHA256 Credential=garbage", "X-Amz-Date": "20260101T000000Z"},
        )
    # A presigned URL (an API Gateway-style service: the payload hash is the body's).
    req = AWSRequest(method="GET", url="http://127.0.0.1:9000/prod/items?id=7")
    SigV4QueryAuth(BotoCredentials(alice.access_key_id, alice.secret_access_key), "execute-api", "eu-west-3", expires=60).add_auth(req)
    prepared = req.prepare()
    host = {"Host": "127.0.0.1:9000"}
    caller = engine.verify_request("GET", prepared.url, host, service="execute-api")
    assert caller.arn.endswith(":user/alice")
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=10)
    late = keyturn.Engine(TEAM, ephemeral=True, fixed_time=later)
    with pytest.raises(keyturn.RequestExpired):
        late.verify_request("GET", prepared.url, host, service="execute-api")
