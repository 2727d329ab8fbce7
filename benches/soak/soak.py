"""The soak's driver: signed STS load, malformed requests and stalled connections against a running
`keyturn serve`, then a report (benches/soak/README.md).

    python soak.py sign HOST:PORT OUT.lua
    python soak.py attack HOST:PORT PID SECONDS HEADER_TIMEOUT BODY_TIMEOUT OUT.json

`sign` writes a wrk Lua script that cycles through one signed request of every STS action (SigV4
with the seed scenario's alice, or a session of hers for the session-credential case) and counts
the answers by class. `attack` runs, for SECONDS, malformed requests and stalled connections
beside that load, samples the server's RSS, and writes what it saw as JSON.
"""

from __future__ import annotations

import json
import selectors
import socket
import sys
import threading
import time
from pathlib import Path

import boto3
from botocore.credentials import Credentials

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "load"))
from sign import lua_string, signed  # noqa: E402  (benches/load/sign.py: an STS POST signed with SigV4)

ALICE = ("AKIATHPL2AOHFJCVQTKQ", "KeyturnExampleSecretKey/alice/0000000000")
ROLE = "arn:aws:iam::111111111111:role/UpdateApp"
V = {"Version": "2011-06-15"}

# One request per STS action (and GetCallerIdentity with session credentials). Some are refused
# with a 4xx by the seed scenario (no identity provider, no organization): they still run the
# whole path, and a 5xx from any of them is a failure.
ACTIONS = [
    ("AssumeRole", {"RoleArn": ROLE, "RoleSessionName": "soak", "DurationSeconds": "900"}),
    ("AssumeRoleWithSAML", {"RoleArn": ROLE, "PrincipalArn": "arn:aws:iam::111111111111:saml-provider/none",
                            "SAMLAssertion": "PHNhbWw+bm90IGEgcmVzcG9uc2U8L3NhbWw+"}),
    ("AssumeRoleWithWebIdentity", {"RoleArn": ROLE, "RoleSessionName": "soak",
                                   "WebIdentityToken": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"}),
    ("AssumeRoot", {"TargetPrincipal": "111111111111",
                    "TaskPolicyArn.arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"}),
    ("DecodeAuthorizationMessage", {"EncodedMessage": "not-a-message"}),
    ("GetAccessKeyInfo", {"AccessKeyId": ALICE[0]}),
    ("GetCallerIdentity", {}),
    ("GetDelegatedAccessToken", {"TradeInToken": "not-a-trade-in-token"}),
    ("GetFederationToken", {"Name": "soak", "DurationSeconds": "900"}),
    ("GetSessionToken", {"DurationSeconds": "900"}),
    ("GetWebIdentityToken", {"Audience.member.1": "soak", "SigningAlgorithm": "RS256"}),
]


def sign(host: str, out: str) -> None:
    alice = Credentials(*ALICE)
    requests = [signed(host, {"Action": action, **V, **params}, alice) for action, params in ACTIONS]
    sts = boto3.client("sts", endpoint_url=f"http://{host}", region_name="us-east-1",
                       aws_access_key_id=ALICE[0], aws_secret_access_key=ALICE[1])
    session = sts.assume_role(RoleArn=ROLE, RoleSessionName="soak-session")["Credentials"]
    as_role = Credentials(session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"])
    requests.append(signed(host, {"Action": "GetCallerIdentity", **V}, as_role))
    lines = ["local requests = {}"]
    for body, headers in requests:
        hs = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
        lines.append(f'table.insert(requests, wrk.format("POST", "/", {{{hs}}}, {lua_string(body)}))')
    lines.append("""
local threads = {}
function setup(thread) table.insert(threads, thread) end
n, c2, c4, c5 = 0, 0, 0, 0
function init(args) end
function request()
  n = n + 1
  return requests[(n % #requests) + 1]
end
function response(status, headers, body)
  if status >= 500 then c5 = c5 + 1 elseif status >= 400 then c4 = c4 + 1 else c2 = c2 + 1 end
end
function done(summary, latency, requests)
  local t2, t4, t5 = 0, 0, 0
  for _, thread in ipairs(threads) do
    t2 = t2 + thread:get("c2"); t4 = t4 + thread:get("c4"); t5 = t5 + thread:get("c5")
  end
  io.write(string.format("SOAK_COUNTS 2xx=%d 4xx=%d 5xx=%d errors=%d\\n", t2, t4, t5,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end""")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


# ------------------------------------------------------------------------------------------
# Malformed requests: each on its own connection, the status read back (None: closed unanswered).

MALFORMED = [
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 27\r\n\r\nAction=Get%01CallerIdentity",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nAction=%zz",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n\xff\xfe\x00\x01",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 26\r\n\r\nAction=NoSuch&Version=2011",
    b"POST / HTTP/1.1\r\nHost: x\r\nAuthorization: AWS4-HMAC-SHA256 Credential=,,,,\r\n"
    b"Content-Length: 42\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\nAction=",
    b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nAction\r\n0\r\n\r\n",
    b"GET /?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=0 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 70000 + b"\r\n\r\n",
    b"NOT HTTP AT ALL\r\n\r\n",
]


def status_of(host: str, port: int, raw: bytes) -> int | None:
    try:
        with socket.create_connection((host, port), timeout=10) as s:
            s.sendall(raw)
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    return None
                data += chunk
            return int(data.split(b" ", 2)[1])
    except (OSError, ValueError, IndexError):
        return None


def malformed(host: str, port: int, until: float, seen: dict) -> None:
    i = 0
    while time.monotonic() < until:
        status = status_of(host, port, MALFORMED[i % len(MALFORMED)])
        key = "closed" if status is None else f"{status // 100}xx"
        seen[key] = seen.get(key, 0) + 1
        i += 1
        time.sleep(0.005)


# ------------------------------------------------------------------------------------------
# Stalled connections: kept at HOLD at a time, each kind in turn; each closed by the server is
# timed and replaced.

STALLS = [
    ("silent", b"", "header"),
    ("partial head", b"POST / HTTP/1.1\r\nHost: x\r\n", "header"),
    ("idle keep-alive", None, "header"),
    ("Content-Length body", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nAction=Get", "body"),
    ("chunked body", b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n40\r\nAction=", "body"),
    ("one byte short of 256 KiB", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 262144\r\n\r\n"
     + b"A" * 262143, "body"),
]
GCI = b"Action=GetCallerIdentity&Version=2011-06-15"


def open_stall(host: str, port: int, kind: int) -> socket.socket | None:
    name, first, _ = STALLS[kind]
    try:
        s = socket.create_connection((host, port), timeout=10)
        if first is None:
            # One whole request, its answer read, then nothing (an idle keep-alive connection).
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(GCI), GCI))
            s.recv(65536)
        elif first:
            s.sendall(first)
        s.setblocking(False)
        return s
    except OSError:
        return None


def stalls(host: str, port: int, hold: int, until: float, deadlines: dict, report: dict) -> None:
    sel = selectors.DefaultSelector()
    opened = 0
    held_times: dict[str, list[float]] = {name: [] for name, _, _ in STALLS}
    late: dict[str, int] = {name: 0 for name, _, _ in STALLS}

    def add() -> None:
        nonlocal opened
        kind = opened % len(STALLS)
        s = open_stall(host, port, kind)
        opened += 1
        if s is not None:
            sel.register(s, selectors.EVENT_READ, (kind, time.monotonic()))

    for _ in range(hold):
        add()
    while time.monotonic() < until + max(deadlines.values()) + 5:
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            kind, since = key.data
            try:
                data = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if data:
                continue  # an answer before the close (RequestTimeout): wait for the close
            sel.unregister(s)
            s.close()
            name, _, phase = STALLS[kind]
            took = time.monotonic() - since
            held_times[name].append(took)
            if took > deadlines[phase] + 2.0:
                late[name] += 1
            if time.monotonic() < until:
                add()
        if time.monotonic() >= until and not sel.get_map():
            break
    still_open = len(sel.get_map())
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    report.update({
        "opened": opened,
        "closed_by_server": sum(len(v) for v in held_times.values()),
        "closed_late": sum(late.values()),
        "still_open_after_deadline": still_open,
        "per_kind": {name: {"closed": len(v), "max_held_s": round(max(v), 2) if v else None,
                            "late": late[name]} for name, v in held_times.items()},
    })


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def attack(host_port: str, pid: int, seconds: float, header_timeout: float, body_timeout: float,
           out: str) -> None:
    host, port = host_port.rsplit(":", 1)
    port_n = int(port)
    start = time.monotonic()
    until = start + seconds
    malformed_seen: dict = {}
    stall_report: dict = {}
    deadlines = {"header": header_timeout, "body": body_timeout}
    workers = [
        threading.Thread(target=malformed, args=(host, port_n, until, malformed_seen)),
        threading.Thread(target=stalls, args=(host, port_n, 200, until, deadlines, stall_report)),
    ]
    for w in workers:
        w.start()
    samples = []
    while time.monotonic() < until:
        samples.append((round(time.monotonic() - start, 1), rss_kib(pid)))
        time.sleep(1)
    for w in workers:
        w.join()
    samples.append((round(time.monotonic() - start, 1), rss_kib(pid)))
    # The start is the RSS once the load has warmed up (a tenth of the run, at least 10 s).
    warm = max(10.0, seconds / 10)
    start_rss = next((kib for t, kib in samples if t >= warm), samples[0][1])
    with open(out, "w") as f:
        json.dump({
            "malformed": malformed_seen,
            "stalls": stall_report,
            "rss_kib": {"start": start_rss, "end_of_load": samples[-2][1] if len(samples) > 1 else None,
                        "end": samples[-1][1], "peak": max(k for _, k in samples)},
            "rss_samples": samples,
        }, f, indent=1)


if __name__ == "__main__":
    if sys.argv[1] == "sign":
        sign(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "attack":
        attack(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]),
               float(sys.argv[6]), sys.argv[7])
    else:
        sys.exit(f"unknown command {sys.argv[1]}")
