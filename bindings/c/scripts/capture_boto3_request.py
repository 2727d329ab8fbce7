#!/usr/bin/env python3
"""Captures a real botocore-signed S3 request to tests/data/boto3-s3-get.http, for the C test
http_handler.c. The signer is botocore's own (S3SigV4Auth, as boto3's S3 client uses), with the
seed scenario's alice credentials (docs/examples/cross-account.yaml). The capture time goes to
tests/data/boto3-s3-get.time (Unix seconds): the test fixes the engine's clock there.

Usage: python3 scripts/capture_boto3_request.py   (from bindings/c; needs botocore)
"""

import calendar
import pathlib
import time

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ALICE = Credentials("AKIATHPL2AOHFJCVQTKQ", "KeyturnExampleSecretKey/alice/0000000000")
HOST = "productionapp.s3.us-east-1.amazonaws.com"

request = AWSRequest(
    method="GET",
    url=f"https://{HOST}/reports/2026.txt?versionId=3",
    headers={"User-Agent": "Boto3/capture (keyturn bindings/c test)"},
)
S3SigV4Auth(ALICE, "s3", "us-east-1").add_auth(request)
prepared = request.prepare()

path_and_query = prepared.url.split(HOST, 1)[1]
lines = [f"{prepared.method} {path_and_query} HTTP/1.1", f"Host: {HOST}"]
lines += [f"{k}: {v}" for k, v in prepared.headers.items() if k.lower() != "host"]
raw = ("\r\n".join(lines) + "\r\n\r\n").encode()

data = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data"
(data / "boto3-s3-get.http").write_bytes(raw)
amz_date = prepared.headers["X-Amz-Date"]
unix = calendar.timegm(time.strptime(amz_date, "%Y%m%dT%H%M%SZ"))
(data / "boto3-s3-get.time").write_text(f"{unix}\n")
print(raw.decode())
