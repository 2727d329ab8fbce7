"""The seed scenario end to end: alice assumes UpdateApp on the Keyturn server, then boto3's
S3 client puts an object through s3-gate (allowed) and tries to delete the bucket (denied: 403
with an encoded message that DecodeAuthorizationMessage on the Keyturn server explains)."""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import botocore.config
import botocore.exceptions
import pytest

import keyturn

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from s3_gate import S3Gate  # noqa: E402

ROLE = "arn:aws:iam::111111111111:role/UpdateApp"


@pytest.fixture
def stack(tmp_path: Path):
    engine = keyturn.Engine(HERE / "keyturn.yaml", ephemeral=True)
    with keyturn.Server(engine) as sts, S3Gate(engine, tmp_path) as gate:
        yield sts, gate, tmp_path


def sts_client(sts: keyturn.Server, creds: keyturn.Credentials):
    return boto3.client("sts", endpoint_url=sts.endpoint_url, region_name=sts.region, **creds.boto3_kwargs())


def s3_client(gate: S3Gate, credentials: dict):
    return boto3.client(
        "s3",
        endpoint_url=gate.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        config=botocore.config.Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


def test_update_app_puts_an_object_and_cannot_delete_the_bucket(stack) -> None:
    sts, gate, root = stack
    alice = sts_client(sts, sts.credentials("alice"))
    role = alice.assume_role(RoleArn=ROLE, RoleSessionName="deploy")["Credentials"]
    s3 = s3_client(gate, role)

    s3.put_object(Bucket="productionapp", Key="releases/app v1.zip", Body=b"the app")
    assert (root / "productionapp" / "releases" / "app v1.zip").read_bytes() == b"the app"
    assert s3.get_object(Bucket="productionapp", Key="releases/app v1.zip")["Body"].read() == b"the app"
    listed = s3.list_objects_v2(Bucket="productionapp", Prefix="releases/")
    assert [o["Key"] for o in listed["Contents"]] == ["releases/app v1.zip"]

    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.delete_bucket(Bucket="productionapp")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    error = e.value.response["Error"]
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == (
        "User: arn:aws:sts::111111111111:assumed-role/UpdateApp/deploy is not authorized to "
        "perform: s3:DeleteBucket on resource: arn:aws:s3:::productionapp"
    )
    auditor = sts_client(sts, sts.credentials("auditor"))
    decoded = json.loads(
        auditor.decode_authorization_message(EncodedMessage=error["EncodedAuthorizationMessage"])["DecodedMessage"]
    )
    assert decoded["allowed"] is False
    assert decoded["context"]["action"] == "s3:DeleteBucket"
    assert decoded["context"]["resource"] == "arn:aws:s3:::productionapp"
    assert decoded["context"]["principal"]["arn"] == "arn:aws:sts::111111111111:assumed-role/UpdateApp/deploy"
    assert (root / "productionapp").is_dir()


def test_other_buckets_unsigned_and_alices_own_key_are_refused(stack) -> None:
    sts, gate, root = stack
    alice_key = sts.credentials("alice")
    role = sts_client(sts, alice_key).assume_role(RoleArn=ROLE, RoleSessionName="deploy")["Credentials"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3_client(gate, role).put_object(Bucket="otherbucket", Key="k", Body=b"x")
    assert e.value.response["Error"]["Code"] == "AccessDenied"
    assert not (root / "otherbucket").exists()

    # alice's own key has no S3 permission (only the role has).
    as_alice = {"AccessKeyId": alice_key.access_key_id, "SecretAccessKey": alice_key.secret_access_key, "SessionToken": None}
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3_client(gate, as_alice).get_object(Bucket="productionapp", Key="k")
    assert e.value.response["Error"]["Code"] == "AccessDenied"

    with pytest.raises(urllib.error.HTTPError) as unsigned:
        urllib.request.urlopen(f"{gate.endpoint_url}/productionapp/k")
    assert unsigned.value.code == 403
    assert b"<Code>MissingAuthenticationToken</Code>" in unsigned.value.read()
