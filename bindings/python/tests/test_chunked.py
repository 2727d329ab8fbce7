"""Engine.verify_upload and ChunkedBody: `aws-chunked` uploads as boto3's S3 client sends them
(captured at botocore's `before-send` event, so nothing is sent: over HTTPS it streams
`STREAMING-UNSIGNED-PAYLOAD-TRAILER`, SigV4 or, with `signature_version="s3v4a"`, SigV4a
through awscrt), and signed-chunk uploads (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`)
whose seed botocore signs and whose chunks are signed here from the specification. Each is fed
chunk by chunk, also cut at awkward places, and altered copies are refused with S3's codes."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import io
import zlib
from typing import Any, Dict, Iterator, List, Optional, Tuple

import boto3
import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.config import Config
from botocore.credentials import Credentials as BotoCredentials

import keyturn

REGION = "eu-west-3"
URL = "https://s3.eu-west-3.amazonaws.com/productionapp/upload.bin"
EMPTY = hashlib.sha256(b"").hexdigest()

Upload = Dict[str, Any]


class _Raw:
    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield b""


def boto3_upload(creds: keyturn.Credentials, content: bytes, signature_version: str = "s3v4", **extra: Any) -> Upload:
    """The PutObject request boto3's S3 client sends for a streamed body (not sent anywhere)."""
    s3 = boto3.client(
        "s3",
        endpoint_url=f"https://s3.{REGION}.amazonaws.com",
        region_name=REGION,
        config=Config(signature_version=signature_version, s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}),
        **creds.boto3_kwargs(),
    )
    captured: Upload = {}

    def capture(request: Any, **kwargs: Any) -> AWSResponse:
        body = request.body
        data = body.read() if hasattr(body, "read") else (body or b"")
        headers = [(k, v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()]
        if not any(k.lower() == "host" for k, _ in headers):
            headers.append(("Host", f"s3.{REGION}.amazonaws.com"))
        captured.update(method=request.method, url=request.url, headers=headers, body=data, content=content)
        return AWSResponse(request.url, 200, {"ETag": '"0"'}, _Raw())

    s3.meta.events.register("before-send.s3.PutObject", capture)
    s3.put_object(Bucket="productionapp", Key="upload.bin", Body=io.BytesIO(content), **extra)
    return captured


class _StreamingAuth(S3SigV4Auth):
    """botocore's S3 signer with a signed-chunk payload literal (the seed signature)."""

    literal = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"

    def payload(self, request: Any) -> str:
        return self.literal


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def signed_upload(creds: keyturn.Credentials, content: bytes, chunk: int, trailer: bool) -> Upload:
    """A signed-chunk SigV4 upload: botocore signs the headers, the chunks are signed here."""
    literal = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" + ("-TRAILER" if trailer else "")
    headers = {"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": str(len(content))}
    if trailer:
        headers["X-Amz-Trailer"] = "x-amz-checksum-crc32"
    req = AWSRequest(method="PUT", url=URL, data=b"", headers=headers)
    auth = _StreamingAuth(BotoCredentials(creds.access_key_id, creds.secret_access_key, creds.session_token), "s3", REGION)
    auth.literal = literal
    auth.add_auth(req)
    prepared = req.prepare()
    sent = [(k, v.decode() if isinstance(v, bytes) else v) for k, v in prepared.headers.items()]
    sent.append(("Host", f"s3.{REGION}.amazonaws.com"))
    authorization = dict((k.lower(), v) for k, v in sent)["authorization"]
    amz = dict((k.lower(), v) for k, v in sent)["x-amz-date"]
    scope = authorization.split("Credential=")[1].split(",")[0].split("/", 1)[1]
    key = _hmac(("AWS4" + creds.secret_access_key).encode(), amz[:8])
    for part in (REGION, "s3", "aws4_request"):
        key = _hmac(key, part)
    previous = authorization.rsplit("Signature=", 1)[1]
    body = b""
    for data in [content[i : i + chunk] for i in range(0, len(content), chunk)] + [b""]:
        sts = f"AWS4-HMAC-SHA256-PAYLOAD\n{amz}\n{scope}\n{previous}\n{EMPTY}\n{hashlib.sha256(data).hexdigest()}"
        previous = _hmac(key, sts).hex()
        body += f"{len(data):x};chunk-signature={previous}\r\n".encode() + data + (b"\r\n" if data else b"")
    if trailer:
        value = base64.b64encode(zlib.crc32(content).to_bytes(4, "big")).decode()
        block = f"x-amz-checksum-crc32:{value}\n"
        sts = f"AWS4-HMAC-SHA256-TRAILER\n{amz}\n{scope}\n{previous}\n{hashlib.sha256(block.encode()).hexdigest()}"
        body += f"x-amz-checksum-crc32:{value}\r\nx-amz-trailer-signature:{_hmac(key, sts).hex()}\r\n".encode()
    body += b"\r\n"
    return {"method": "PUT", "url": URL, "headers": sent, "body": body, "content": content}


def feed(body: keyturn.ChunkedBody, data: bytes, cuts: List[int]) -> Tuple[bytes, List[Tuple[str, str]]]:
    """Feeds `data` cut at `cuts` (offsets); the decoded data and the trailers."""
    out = b""
    start = 0
    for at in sorted(set(cuts)) + [len(data)]:
        out += body.feed(data[start:at])
        start = at
    return out, body.finish()


def verify(engine: keyturn.Engine, u: Upload) -> keyturn.ChunkedBody:
    caller, body = engine.verify_upload(u["method"], u["url"], u["headers"])
    assert caller.arn == "arn:aws:iam::222222222222:user/alice"
    assert body is not None
    return body


def uploads(alice: keyturn.Credentials) -> List[Upload]:
    out = [
        boto3_upload(alice, b"hello world " * 10),
        boto3_upload(alice, bytes(range(256)) * 300, ChecksumAlgorithm="SHA256"),
        boto3_upload(alice, b"x" * 70_000, signature_version="s3v4a"),
        boto3_upload(alice, b"", ChecksumAlgorithm="CRC32C"),
        signed_upload(alice, b"abcdefghij" * 700, 1000, False),
        signed_upload(alice, bytes(range(256)) * 20, 1024, True),
    ]
    return out


def header(u: Upload, name: str) -> str:
    return next((v for k, v in u["headers"] if k.lower() == name), "")


def awkward_cuts(data: bytes) -> List[int]:
    """Offsets inside a chunk header, inside a signature, inside the trailer."""
    cuts = [1, 2]
    for needle, offsets in [(b";chunk-signature=", (3, 30)), (b"x-amz-checksum-", (5, 22)), (b"x-amz-trailer-signature:", (10, 40))]:
        i = data.find(needle)
        if i >= 0:
            cuts += [min(i + o, len(data)) for o in offsets]
    return cuts


def test_boto3_and_signed_uploads_verify_chunk_by_chunk(engine: keyturn.Engine, alice: keyturn.Credentials) -> None:
    seen = set()
    for u in uploads(alice):
        literal = header(u, "x-amz-content-sha256")
        seen.add((literal, header(u, "authorization").split(" ")[0]))
        for cuts in (awkward_cuts(u["body"]), list(range(0, len(u["body"]), 7)), []):
            body = verify(engine, u)
            assert body.payload == literal
            decoded, trailers = feed(body, u["body"], cuts)
            assert decoded == u["content"]
            assert body.decoded_length == 0  # finished: nothing more is held
            if "TRAILER" in literal:
                assert [n for n, _ in trailers] == [header(u, "x-amz-trailer").lower()]
    assert seen == {
        ("STREAMING-UNSIGNED-PAYLOAD-TRAILER", "AWS4-HMAC-SHA256"),
        ("STREAMING-UNSIGNED-PAYLOAD-TRAILER", "AWS4-ECDSA-P256-SHA256"),
        ("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "AWS4-HMAC-SHA256"),
        ("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "AWS4-HMAC-SHA256"),
    }


def refused(engine: keyturn.Engine, u: Upload, data: bytes) -> keyturn.KeyturnError:
    body = verify(engine, u)
    with pytest.raises(keyturn.KeyturnError) as e:
        for i in range(0, len(data), 100):
            body.feed(data[i : i + 100])
        body.finish()
    # Refused for good: more input is refused too.
    with pytest.raises(keyturn.KeyturnError):
        body.feed(b"0\r\n\r\n")
    return e.value


def test_altered_uploads_are_refused_with_s3_codes(engine: keyturn.Engine, alice: keyturn.Credentials) -> None:
    for u in uploads(alice):
        data: bytes = u["body"]
        signed = "HMAC-SHA256-PAYLOAD" in header(u, "x-amz-content-sha256")
        if u["content"]:
            tampered = bytearray(data)
            tampered[data.index(b"\r\n") + 5] ^= 1
            e = refused(engine, u, bytes(tampered))
            assert e.code == ("SignatureDoesNotMatch" if signed else "BadDigest"), e
            if not signed:
                assert e.message.endswith("you specified did not match the calculated checksum.")
        if signed:
            i = data.index(b"chunk-signature=") + 20
            wrong = data[:i] + (b"0" if data[i : i + 1] != b"0" else b"1") + data[i + 1 :]
            e = refused(engine, u, wrong)
            assert isinstance(e, keyturn.SignatureDoesNotMatch)
            assert e.message.startswith("The request signature we calculated does not match")
        # Truncated.
        e = refused(engine, u, data[:-5])
        assert e.code == "IncompleteBody" and e.message == "The request body terminated unexpectedly"
        if header(u, "x-amz-trailer"):
            name = header(u, "x-amz-trailer").lower().encode()
            wrong = data.replace(name + b":", name + b":AAAA", 1)
            e = refused(engine, u, wrong)
            assert e.code == ("SignatureDoesNotMatch" if signed else "BadDigest"), e


def test_a_plain_request_has_no_body_verifier(engine: keyturn.Engine, alice: keyturn.Credentials) -> None:
    req = AWSRequest(method="PUT", url=URL, data=b"plain", headers={})
    S3SigV4Auth(BotoCredentials(alice.access_key_id, alice.secret_access_key), "s3", REGION).add_auth(req)
    prepared = req.prepare()
    headers = list(prepared.headers.items()) + [("Host", f"s3.{REGION}.amazonaws.com")]
    caller, body = engine.verify_upload("PUT", URL, headers, b"plain")
    assert body is None and caller.kind == "User"
    # The chunked headers are signed: a changed decoded length fails the seed signature.
    u = boto3_upload(alice, b"z" * 100)
    u["headers"] = [(k, "99" if k.lower() == "x-amz-decoded-content-length" else v) for k, v in u["headers"]]
    with pytest.raises(keyturn.SignatureDoesNotMatch):
        engine.verify_upload(u["method"], u["url"], u["headers"])
