#!/usr/bin/env python3
"""Captures real `aws-chunked` S3 uploads for the C test chunked_upload.c, signed with the seed
scenario's alice credentials (docs/examples/cross-account.yaml), to tests/data/chunked-*.http
(the request as received: headers, blank line, aws-chunked body), .content (the object's bytes)
and .time (the request's X-Amz-Date as Unix seconds: the test fixes the engine's clock there).

The uploads come from keyturn-sigv4's capture scripts: boto3's S3 client over TLS (SigV4,
`STREAMING-UNSIGNED-PAYLOAD-TRAILER` with CRC32), boto3 with `signature_version="s3v4a"` (SigV4a
through awscrt, the same payload), and a `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER`
upload (awscrt's seed, chunks signed as aws-c-auth signs them).

Usage: python3 scripts/capture_chunked_uploads.py   (from bindings/c; needs the client venv:
boto3, awscrt, cryptography)
"""

import base64
import calendar
import json
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
CLIENTS = HERE.parents[2] / "crates" / "keyturn-sigv4" / "tests" / "clients"
DATA = HERE.parent / "tests" / "data"
ALICE = ("AKIATHPL2AOHFJCVQTKQ", "KeyturnExampleSecretKey/alice/0000000000")


def capture(script: str) -> list:
    out = subprocess.run([sys.executable, str(CLIENTS / script), *ALICE], check=True, capture_output=True)
    return json.loads(out.stdout)


def write(name: str, upload: dict) -> None:
    headers = "".join(f"{k}: {v}\r\n" for k, v in upload["headers"])
    raw = f"PUT {upload['path']} HTTP/1.1\r\n{headers}\r\n".encode() + base64.b64decode(upload["body"])
    (DATA / f"chunked-{name}.http").write_bytes(raw)
    (DATA / f"chunked-{name}.content").write_bytes(base64.b64decode(upload["content"]))
    date = next(v for k, v in upload["headers"] if k.lower() == "x-amz-date")
    (DATA / f"chunked-{name}.time").write_text(f"{calendar.timegm(time.strptime(date, '%Y%m%dT%H%M%SZ'))}\n")


def main() -> None:
    plain = capture("capture_s3_uploads.py")
    v4a = capture("capture_s3_v4a_uploads.py")
    write("sigv4-unsigned-trailer", plain[0])
    write("sigv4a-unsigned-trailer", v4a[0])
    write("sigv4a-signed-trailer", v4a[3])


if __name__ == "__main__":
    main()
