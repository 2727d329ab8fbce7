"""keyturn.Server(compat="moto") and the keyturn_moto fixture: a drop-in for suites written for moto."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request

import boto3
import botocore.exceptions
import pytest

import keyturn

ROOT = "arn:aws:iam::123456789012:root"


def post(url: str, body: bytes = b"") -> dict:
    req = urllib.request.Request(url, data=body, method="POST")
    with urllib.request.urlopen(req, timeout=5) as r:
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
        return json.loads(r.read())


def test_the_fixture_points_boto3_at_a_moto_compatible_server(keyturn_moto: keyturn.Server) -> None:
    assert os.environ["AWS_ENDPOINT_URL"] == keyturn_moto.endpoint_url
    assert os.environ["AWS_ENDPOINT_URL_IAM"] == keyturn_moto.endpoint_url
    assert os.environ["AWS_ENDPOINT_URL_STS"] == keyturn_moto.endpoint_url
    # No endpoint_url, no credentials in code: moto's defaults, as a moto test writes it.
    assert boto3.client("sts").get_caller_identity()["Arn"] == ROOT
    iam = boto3.client("iam", region_name="eu-west-2")
    assert iam.create_user(UserName="alice")["User"]["Arn"] == "arn:aws:iam::123456789012:user/alice"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.create_user(UserName="alice")
    assert e.value.response["Error"]["Code"] == "EntityAlreadyExists"


def test_reset_empties_the_world(keyturn_moto: keyturn.Server) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    assert post(f"{keyturn_moto.endpoint_url}/moto-api/reset") == {"status": "ok"}
    # Gone: creating it again succeeds.
    assert iam.create_user(UserName="bob")["User"]["UserName"] == "bob"


def test_reset_auth_ends_the_bootstrap_credentials(keyturn_moto: keyturn.Server) -> None:
    url = f"{keyturn_moto.endpoint_url}/moto-api/reset-auth"
    assert post(url, b"1") == {"status": "ok", "PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT": "inf"}
    sts = boto3.client("sts")
    assert sts.get_caller_identity()["Arn"] == ROOT
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sts.get_caller_identity()
    assert e.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert post(url, b"inf") == {"status": "ok", "PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT": "1.0"}
    assert sts.get_caller_identity()["Arn"] == ROOT


def test_other_partitions_are_refused(keyturn_moto: keyturn.Server) -> None:
    with pytest.raises(botocore.exceptions.ClientError) as e:
        boto3.client("sts", region_name="cn-north-1").get_caller_identity()
    assert e.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_a_plain_server_knows_no_bootstrap_credentials() -> None:
    with keyturn.Server({"store": {"memory": True}, "accounts": [{"id": "123456789012"}]}) as server:
        sts = boto3.client(
            "sts",
            endpoint_url=server.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        with pytest.raises(botocore.exceptions.ClientError) as e:
            sts.get_caller_identity()
        assert e.value.response["Error"]["Code"] == "InvalidClientTokenId"
        with pytest.raises(urllib.error.HTTPError):
            post(f"{server.endpoint_url}/moto-api/reset")


def test_compat_is_checked() -> None:
    with pytest.raises(keyturn.InvalidParameterValue, match="not a compatibility mode"):
        keyturn.Server(compat="localstack")
    with pytest.raises(TypeError):
        keyturn.Server(keyturn.Engine({"store": {"memory": True}}, ephemeral=True), compat="moto")
    with pytest.raises(TypeError):
        keyturn.Server()
