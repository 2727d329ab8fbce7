"""The seed scenario end to end: alice assumes UpdateApp on the Keyturn server, then boto3's
S3 client puts an object through s3-gate (allowed) and tries to delete the bucket (denied: 403
with an encoded message that DecodeAuthorizationMessage on the Keyturn server explains)."""

from __future__ import annotations

import http.client
import io
import json
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import List, Tuple

import boto3
import botocore.config
import botocore.exceptions
from botocore.awsrequest import AWSResponse
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


# ---- Streamed uploads (aws-chunked): boto3 streams a file-like body over HTTPS.


def _tls_context(directory: Path) -> ssl.SSLContext:
    """A server context with a fresh self-signed certificate for 127.0.0.1 (openssl)."""
    key, cert = directory / "key.pem", directory / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-subj", "/CN=127.0.0.1", "-days", "1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    return context


@pytest.fixture
def tls_stack(tmp_path: Path):
    engine = keyturn.Engine(HERE / "keyturn.yaml", ephemeral=True)
    root = tmp_path / "data"
    root.mkdir()
    with keyturn.Server(engine) as sts, S3Gate(engine, root, ssl_context=_tls_context(tmp_path)) as gate:
        yield sts, gate, root


def tls_s3_client(gate: S3Gate, credentials: dict, signature_version: str = "s3v4"):
    return boto3.client(
        "s3",
        endpoint_url=gate.endpoint_url,
        region_name="us-east-1",
        verify=False,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        config=botocore.config.Config(
            signature_version=signature_version, s3={"addressing_style": "path"}, retries={"max_attempts": 1}
        ),
    )


def _role(sts: keyturn.Server) -> dict:
    return sts_client(sts, sts.credentials("alice")).assume_role(RoleArn=ROLE, RoleSessionName="deploy")["Credentials"]


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_streamed_uploads_are_verified_chunk_by_chunk(tls_stack) -> None:
    sts, gate, root = tls_stack
    role = _role(sts)
    sent = []

    def note(request, **kwargs) -> None:
        sent.append((request.headers.get("x-amz-content-sha256"), request.headers.get("Authorization", b"")[:22]))

    # SigV4 (CRC32 by default, then SHA-256) and SigV4a (awscrt), several reads of the body each.
    content = bytes(range(256)) * 1200
    for version, extra in [("s3v4", {}), ("s3v4", {"ChecksumAlgorithm": "SHA256"}), ("s3v4a", {})]:
        s3 = tls_s3_client(gate, role, version)
        s3.meta.events.register("before-send.s3.PutObject", note)
        key = f"streamed/{version}-{len(sent)}.bin"
        s3.put_object(Bucket="productionapp", Key=key, Body=io.BytesIO(content), **extra)
        assert (root / "productionapp" / key).read_bytes() == content
        assert s3.get_object(Bucket="productionapp", Key=key)["Body"].read() == content
    assert [s for s, _ in sent] == [b"STREAMING-UNSIGNED-PAYLOAD-TRAILER"] * 3
    assert [a for _, a in sent] == [b"AWS4-HMAC-SHA256 Crede", b"AWS4-HMAC-SHA256 Crede", b"AWS4-ECDSA-P256-SHA256"]
    assert list((root / ".uploads").iterdir()) == []


def _captured_upload(gate: S3Gate, credentials: dict, content: bytes) -> Tuple[List[Tuple[str, str]], bytes]:
    """The headers and aws-chunked body boto3 sends for a streamed PutObject (not sent)."""
    captured = {}

    class _Raw:
        def stream(self, **kwargs):
            yield b""

    def capture(request, **kwargs):
        captured["headers"] = [(k, v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()]
        captured["body"] = request.body.read()
        return AWSResponse(request.url, 200, {}, _Raw())

    s3 = tls_s3_client(gate, credentials)
    s3.meta.events.register("before-send.s3.PutObject", capture)
    s3.put_object(Bucket="productionapp", Key="streamed/tampered.bin", Body=io.BytesIO(content))
    return captured["headers"], captured["body"]


def _send_raw(gate: S3Gate, headers: List[Tuple[str, str]], body: bytes) -> Tuple[int, bytes]:
    host, port = gate.endpoint_url.split("//")[1].split(":")
    conn = http.client.HTTPSConnection(host, int(port), context=ssl._create_unverified_context())  # noqa: S323
    conn.putrequest("PUT", "/productionapp/streamed/tampered.bin", skip_host=True, skip_accept_encoding=True)
    for k, v in headers:
        if k.lower() not in ("transfer-encoding", "expect"):
            conn.putheader(k, v)
    conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    response = conn.getresponse()
    status, data = response.status, response.read()
    conn.close()
    return status, data


def test_a_tampered_streamed_upload_is_refused_and_nothing_is_stored(tls_stack) -> None:
    sts, gate, root = tls_stack
    role = _role(sts)
    content = b"the release " * 5000
    headers, body = _captured_upload(gate, role, content)
    assert dict((k.lower(), v) for k, v in headers)["content-encoding"] == "aws-chunked"
    # As sent: stored.
    assert _send_raw(gate, headers, body)[0] == 200
    stored = root / "productionapp" / "streamed" / "tampered.bin"
    assert stored.read_bytes() == content
    stored.unlink()
    # One data byte changed: the trailing checksum does not match.
    tampered = bytearray(body)
    tampered[body.index(b"\r\n") + 100] ^= 1
    status, data = _send_raw(gate, headers, bytes(tampered))
    assert status == 400 and b"<Code>BadDigest</Code>" in data
    assert b"<Message>The CRC32 you specified did not match the calculated checksum.</Message>" in data
    # Cut short: the body ends before its final chunk.
    status, data = _send_raw(gate, headers, body[: len(body) // 2])
    assert status == 400 and b"<Code>IncompleteBody</Code>" in data
    assert not stored.exists()
    assert list((root / ".uploads").iterdir()) == []
