"""Captures S3 PutObject requests as boto3 sends them to an HTTPS endpoint (a self-signed
listener on loopback): over TLS botocore streams the body `aws-chunked` with a trailing checksum
(`STREAMING-UNSIGNED-PAYLOAD-TRAILER`). Prints a JSON list of {headers, body, content} (body and
content in base64): the request as received, and the object's bytes. Used by tests/chunked.rs."""

import base64
import datetime
import io
import json
import os
import ssl
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
from botocore.config import Config
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ACCESS_KEY_ID, SECRET = sys.argv[1], sys.argv[2]


def self_signed(directory: str) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = os.path.join(directory, "key.pem"), os.path.join(directory, "cert.pem")
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


captured = []


class Capture(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_PUT(self):
        # The HTTP/1.1 transfer coding is undone here; the aws-chunked encoding inside is kept.
        body = b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b""):
                        pass
                    break
                body += self.rfile.read(size)
                self.rfile.readline()
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = [[k, v] for k, v in self.headers.items() if k.lower() != "transfer-encoding"]
        captured.append({"path": self.path, "headers": headers, "body": base64.b64encode(body).decode()})
        self.send_response(200)
        self.send_header("ETag", '"0"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def tls_capture(**config):
    """Starts the self-signed TLS capture listener on loopback; returns it and a boto3 S3 client
    sending to it (path addressing, one attempt, and `config` in its botocore Config)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed(tempfile.mkdtemp()))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Capture)
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
            s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}, **config
        ),
    )
    return server, s3


def main():
    server, s3 = tls_capture()
    contents = []
    # The default checksum (CRC32), each other algorithm, an empty object, and bodies larger than
    # botocore's read size (several chunks).
    for algorithm, content in [
        (None, b"hello world " * 10),
        ("CRC32C", bytes(range(256)) * 300),
        ("SHA1", b"x" * 70000),
        ("SHA256", os.urandom(200_000)),
        ("CRC32", b""),
    ]:
        extra = {"ChecksumAlgorithm": algorithm} if algorithm else {}
        s3.put_object(Bucket="bucket", Key="key", Body=io.BytesIO(content), **extra)
        contents.append(content)
    server.shutdown()
    for request, content in zip(captured, contents):
        request["content"] = base64.b64encode(content).decode()
    json.dump(captured, sys.stdout)


if __name__ == "__main__":
    import warnings

    warnings.simplefilter("ignore")
    main()
