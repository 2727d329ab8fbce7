"""IAM write load for benches/load/writes.sh: signed requests over keep-alive HTTP from several
processes, each request signed for itself (wrk replays one signed request; writes need a new
name each time).

    python writes.py config OUT.yaml DB KEYRING [WORKERS]    # the bench's configuration
    python writes.py load ENDPOINT SECONDS CLIENTS MIX       # MIX: create | create+policy
    python writes.py churn ENDPOINT SECONDS ACTION           # ACTION: role-policy | user

`load` prints one JSON line: requests, writes per second, status counts. `create` is CreateUser of
a new user per request; `create+policy` alternates CreateUser and PutUserPolicy on a user created
32 requests earlier by the same client (so never one still in flight). `churn` is the writer of
the AssumeRole-under-writes bench: once a second it changes the role UpdateApp's inline policy
`bench-churn` between two documents (PutRolePolicy; ACTION `user` creates and deletes a user
instead), which AssumeRole's decisions do not depend on; it prints its own status counts.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import resource
import sys
import time
from collections import Counter
from urllib.parse import urlencode, urlsplit

import yaml
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

DEV_ROOT = Credentials("AKIATHPL2AOHF64TZ2YZ", "BenchRootSecret/222222222222/0000000000")
PROD_ROOT = Credentials("AKIARTXV5AHDSVIWE4YE", "BenchRootSecret/111111111111/0000000000")
POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bench/%s/*"}]}'


def write_config(out: str, db: str, keyring: str, workers: str = "") -> None:
    """The seed scenario on SQLite, with root keys for the writers and no audit log."""
    config = yaml.safe_load(open("docs/examples/cross-account.yaml"))
    config["server"] = {"region": "us-east-1"}
    if workers:
        config["server"]["workers"] = int(workers)
    config["keyring"] = keyring
    config["store"] = {"sqlite": db}
    for account in config["accounts"]:
        creds = PROD_ROOT if account["id"] == "111111111111" else DEV_ROOT
        account["root"] = {"access_keys": [{"id": creds.access_key, "secret": creds.secret_key}]}
    open(out, "w").write(yaml.safe_dump(config, sort_keys=False))


class Signer:
    """Keep-alive connection to the endpoint, signing each IAM request with `creds`."""

    def __init__(self, endpoint: str, creds: Credentials):
        self.host = urlsplit(endpoint).netloc
        self.creds = creds
        self.conn = http.client.HTTPConnection(self.host, timeout=60)

    def send(self, params: dict) -> int:
        body = urlencode({**params, "Version": "2010-05-08"})
        request = AWSRequest(
            method="POST",
            url=f"http://{self.host}/",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Host": self.host},
        )
        SigV4Auth(self.creds, "iam", "us-east-1").add_auth(request)
        self.conn.request("POST", "/", body=body, headers=dict(request.headers))
        response = self.conn.getresponse()
        response.read()
        return response.status


def client_load(args: tuple) -> dict:
    endpoint, seconds, client, mix, run = args
    signer = Signer(endpoint, DEV_ROOT)
    statuses: Counter = Counter()
    created: list[str] = []
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        if mix == "create+policy" and n % 2 == 1 and len(created) > 32:
            user = created[-32]
            params = {"Action": "PutUserPolicy", "UserName": user, "PolicyName": "bench",
                      "PolicyDocument": POLICY % user}
        else:
            user = f"bench-{run}-{client}-{len(created)}"
            created.append(user)
            params = {"Action": "CreateUser", "UserName": user}
        statuses[signer.send(params)] += 1
        n += 1
    return {"requests": n, "statuses": dict(statuses)}


def load(endpoint: str, seconds: float, clients: int, mix: str) -> None:
    run = f"{int(time.time()) % 100000}"  # new names on every run, even on the same store
    started = time.monotonic()
    with multiprocessing.Pool(clients) as pool:
        results = pool.map(client_load, [(endpoint, seconds, c, mix, run) for c in range(clients)])
    elapsed = time.monotonic() - started
    statuses: Counter = Counter()
    for r in results:
        statuses.update({int(k): v for k, v in r["statuses"].items()})
    requests = sum(r["requests"] for r in results)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "mix": mix, "clients": clients, "seconds": round(elapsed, 2), "requests": requests,
        "client_cpu_s": round(children.ru_utime + children.ru_stime, 2),
        "per_second": round(requests / elapsed, 1), "non_200": requests - statuses.get(200, 0),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }))


def churn(endpoint: str, seconds: float, action: str) -> None:
    signer = Signer(endpoint, PROD_ROOT if action == "role-policy" else DEV_ROOT)
    statuses: Counter = Counter()
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        tick = time.monotonic()
        if action == "role-policy":
            params = {"Action": "PutRolePolicy", "RoleName": "UpdateApp", "PolicyName": "bench-churn",
                      "PolicyDocument": POLICY % ("even" if n % 2 == 0 else "odd")}
        elif n % 2 == 0:
            params = {"Action": "CreateUser", "UserName": "bench-churn"}
        else:
            params = {"Action": "DeleteUser", "UserName": "bench-churn"}
        statuses[signer.send(params)] += 1
        n += 1
        time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
    print(json.dumps({"writer": action, "writes": n, "non_200": n - statuses.get(200, 0),
                      "statuses": {str(k): v for k, v in sorted(statuses.items())}}))


def main() -> None:
    command, *args = sys.argv[1:]
    if command == "config":
        write_config(*args)
    elif command == "load":
        load(args[0], float(args[1]), int(args[2]), args[3])
    elif command == "churn":
        churn(args[0], float(args[1]), args[2])
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
