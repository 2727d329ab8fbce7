"""Writes a wrk Lua script that replays one correctly signed STS request.

    python sign.py HOST:PORT ACTION OUT.lua

SigV4 signatures are valid for 15 minutes from their X-Amz-Date and may be replayed: the bench signs
once just before each run. The credentials are the seed scenario's example user, alice.
"""

from __future__ import annotations

import sys
from urllib.parse import urlencode

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ALICE = Credentials("AKIATHPL2AOHFJCVQTKQ", "KeyturnExampleSecretKey/alice/0000000000")
PARAMS = {
    "AssumeRole": {
        "Action": "AssumeRole",
        "Version": "2011-06-15",
        "RoleArn": "arn:aws:iam::111111111111:role/UpdateApp",
        "RoleSessionName": "load-bench",
    },
    "GetCallerIdentity": {"Action": "GetCallerIdentity", "Version": "2011-06-15"},
}


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def signed(host: str, params: dict, creds: Credentials = ALICE) -> tuple[str, dict]:
    """The body of an STS POST of `params` to `host` and its headers, signed with `creds`."""
    body = urlencode(params)
    request = AWSRequest(
        method="POST",
        url=f"http://{host}/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Host": host},
    )
    SigV4Auth(creds, "sts", "us-east-1").add_auth(request)
    return body, dict(request.headers.items())


def main() -> None:
    host, action, out = sys.argv[1], sys.argv[2], sys.argv[3]
    body, headers = signed(host, PARAMS[action])
    lines = ['wrk.method = "POST"', f"wrk.body = {lua_string(body)}"]
    for name, value in headers.items():
        lines.append(f"wrk.headers[{lua_string(name)}] = {lua_string(value)}")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
