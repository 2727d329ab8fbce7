"""Captures SigV4a (`AWS4-ECDSA-P256-SHA256`) `aws-chunked` S3 uploads. Prints a JSON list of
{path, headers, body, content, source} (body and content in base64), as capture_s3_uploads.py.

Two sources:
- boto3's S3 client with `signature_version="s3v4a"` (signed by awscrt), sending to the TLS
  loopback listener of capture_s3_uploads.py: over TLS it streams
  `STREAMING-UNSIGNED-PAYLOAD-TRAILER` with a trailing checksum under a SigV4a seed signature.
- `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD[-TRAILER]`, which no Python SDK sends: awscrt's
  `aws_sign_request` signs the request (the seed signature), and the chunk and trailer
  signatures are made here as aws-c-auth makes them (string to sign
  `AWS4-ECDSA-P256-SHA256-PAYLOAD`/`-TRAILER`, the previous signature without its padding, DER
  hex padded with `*` to 144 characters), under the key derived from the secret with the CRT's
  KDF; the derivation is checked by verifying awscrt's seed signature with it.

Usage: capture_s3_v4a_uploads.py ACCESS_KEY_ID SECRET > uploads.json
"""

import base64
import datetime
import hashlib
import hmac
import io
import json
import os
import sys
import threading
import zlib

import awscrt.auth
import awscrt.http
import boto3
from botocore.config import Config
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import capture_s3_uploads as plain  # noqa: E402

ACCESS_KEY_ID, SECRET = sys.argv[1], sys.argv[2]
EMPTY = hashlib.sha256(b"").hexdigest()
ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def derive_key(akid: str, secret: str) -> ec.EllipticCurvePrivateKey:
    """The SigV4a private key: NIST SP 800-108 counter-mode KDF over HMAC-SHA256."""
    for counter in range(1, 256):
        fixed = b"AWS4-ECDSA-P256-SHA256" + b"\0" + akid.encode() + bytes([counter]) + (256).to_bytes(4, "big")
        c = int.from_bytes(hmac.new(b"AWS4A" + secret.encode(), (1).to_bytes(4, "big") + fixed, hashlib.sha256).digest(), "big")
        if c <= ORDER - 2:
            return ec.derive_private_key(c + 1, ec.SECP256R1())
    raise RuntimeError("no key")


KEY = derive_key(ACCESS_KEY_ID, SECRET)


def sign(string_to_sign: str) -> str:
    return KEY.sign(string_to_sign.encode(), ec.ECDSA(hashes.SHA256())).hex()


def boto3_uploads() -> list:
    """boto3 (s3v4a) uploads through the TLS capture listener."""
    server = plain.ThreadingHTTPServer(("127.0.0.1", 0), plain.Capture)
    import ssl
    import tempfile

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*plain.self_signed(tempfile.mkdtemp()))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    s3 = boto3.client(
        "s3",
        endpoint_url=f"https://127.0.0.1:{server.server_address[1]}",
        region_name="us-east-1",
        verify=False,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET,
        config=Config(
            signature_version="s3v4a",
            s3={"addressing_style": "path"},
            retries={"total_max_attempts": 1},
        ),
    )
    contents = []
    for algorithm, content in [(None, b"sigv4a " * 300), ("SHA256", bytes(range(256)) * 40)]:
        extra = {"ChecksumAlgorithm": algorithm} if algorithm else {}
        s3.put_object(Bucket="bucket", Key="key", Body=io.BytesIO(content), **extra)
        contents.append(content)
    server.shutdown()
    out = []
    for request, content in zip(plain.captured, contents):
        request["content"] = base64.b64encode(content).decode()
        request["source"] = "boto3 s3v4a"
        out.append(request)
    return out


def signed_upload(content: bytes, chunk: int, trailer: bool) -> dict:
    """A signed-chunk SigV4a upload: awscrt signs the request, the chunks are signed here."""
    literal = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD" + ("-TRAILER" if trailer else "")
    path = "/examplebucket/v4a-object.bin"
    headers = [
        ("Host", "s3.amazonaws.com"),
        ("Content-Encoding", "aws-chunked"),
        ("x-amz-decoded-content-length", str(len(content))),
    ]
    if trailer:
        headers.append(("x-amz-trailer", "x-amz-checksum-crc32"))
    request = awscrt.http.HttpRequest("PUT", path, awscrt.http.HttpHeaders(headers))
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    config = awscrt.auth.AwsSigningConfig(
        algorithm=awscrt.auth.AwsSigningAlgorithm.V4_ASYMMETRIC,
        signature_type=awscrt.auth.AwsSignatureType.HTTP_REQUEST_HEADERS,
        credentials_provider=awscrt.auth.AwsCredentialsProvider.new_static(ACCESS_KEY_ID, SECRET),
        region="us-east-1",
        service="s3",
        date=now,
        signed_body_value=literal,
        signed_body_header_type=awscrt.auth.AwsSignedBodyHeaderType.X_AMZ_CONTENT_SHA_256,
        use_double_uri_encode=False,
        should_normalize_uri_path=False,
    )
    awscrt.auth.aws_sign_request(request, config).result(timeout=10)
    sent = list(request.headers)
    get = lambda name: next(v for n, v in sent if n.lower() == name)  # noqa: E731
    authorization = get("authorization")
    seed = authorization.rsplit("Signature=", 1)[1].strip()
    amz_date = get("x-amz-date")
    scope = authorization.split("Credential=", 1)[1].split(",", 1)[0].split("/", 1)[1]
    # The CRT's seed signature verifies under the key derived here: the same KDF.
    canonical = "\n".join(
        [
            "PUT",
            path,
            "",
            *[f"{n.lower()}:{v.strip()}" for n, v in sorted(sent, key=lambda h: h[0].lower()) if n.lower() != "authorization"],
            "",
            authorization.split("SignedHeaders=", 1)[1].split(",", 1)[0],
            literal,
        ]
    )
    sts = f"AWS4-ECDSA-P256-SHA256\n{amz_date}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    KEY.public_key().verify(bytes.fromhex(seed), sts.encode(), ec.ECDSA(hashes.SHA256()))
    body = b""
    previous = seed
    pieces = [content[i : i + chunk] for i in range(0, len(content), chunk)] + [b""]
    for data in pieces:
        s = f"AWS4-ECDSA-P256-SHA256-PAYLOAD\n{amz_date}\n{scope}\n{previous}\n{EMPTY}\n{hashlib.sha256(data).hexdigest()}"
        previous = sign(s)
        body += f"{len(data):x};chunk-signature={previous.ljust(144, '*')}\r\n".encode()
        body += data + (b"\r\n" if data else b"")
    if trailer:
        value = base64.b64encode(zlib.crc32(content).to_bytes(4, "big")).decode()
        line = f"x-amz-checksum-crc32:{value}\n"
        s = f"AWS4-ECDSA-P256-SHA256-TRAILER\n{amz_date}\n{scope}\n{previous}\n{hashlib.sha256(line.encode()).hexdigest()}"
        body += f"x-amz-checksum-crc32:{value}\r\n".encode()
        body += f"x-amz-trailer-signature:{sign(s).ljust(144, '*')}\r\n".encode()
    body += b"\r\n"
    return {
        "path": path,
        "headers": [[n, v] for n, v in sent],
        "body": base64.b64encode(body).decode(),
        "content": base64.b64encode(content).decode(),
        "source": "awscrt seed, chunks signed by the capture script",
    }


def main():
    uploads = boto3_uploads()
    uploads.append(signed_upload(b"a" * 5000, 2048, False))
    uploads.append(signed_upload(os.urandom(3000), 1024, True))
    uploads.append(signed_upload(b"", 1024, True))
    json.dump(uploads, sys.stdout, indent=0)


if __name__ == "__main__":
    import warnings

    warnings.simplefilter("ignore")
    main()
