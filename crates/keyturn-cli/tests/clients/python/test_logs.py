"""The process's own log (`log: {format: json, requests: true}`, `KEYTURN_LOG_FORMAT`) and SIGTERM
(issue 14 §2): one JSON event per request with its id, action, caller, outcome and latency, never a
secret, a token, an MFA code or a signature; a request in flight at SIGTERM is answered."""

from __future__ import annotations

import json
import re
import signal
import socket
import time

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from keyturn_e2e import REGION, KeyturnServer, client
from ops_support import ACCOUNT, ALLOW_CONFIG, USER_ARN, USER_KEY

LOG_CONFIG = json.loads(json.dumps(ALLOW_CONFIG))
LOG_CONFIG["accounts"][0]["users"][0]["inline_policies"]["reads"]["Statement"][0]["Action"] = [
    "iam:GetUser",
    "sts:GetSessionToken",
]


def events(srv) -> list[dict]:
    """Every line of the server's output that is a JSON object (the banner is plain text)."""
    out = []
    for line in srv.output().splitlines():
        if line.startswith("{"):
            out.append(json.loads(line))
    return out


def test_json_request_events_carry_the_facts_and_no_secret(tmp_path):
    config = dict(LOG_CONFIG, log={"format": "json", "requests": True})
    srv = KeyturnServer(tmp_path, config)
    try:
        sts = client("sts", srv.endpoint, USER_KEY)
        issued = sts.get_session_token(DurationSeconds=900)
        creds = issued["Credentials"]
        session = client("sts", srv.endpoint, creds)
        who = session.get_caller_identity()
        code = "864209"
        try:
            sts.get_session_token(SerialNumber=f"arn:aws:iam::{ACCOUNT}:mfa/none", TokenCode=code)
            failed = None
        except ClientError as e:  # the code is refused: which error does not matter here
            failed = e.response
        assert failed is not None
        time.sleep(0.3)
    finally:
        assert srv.stop() == 0, srv.output()
    text = srv.output()
    requests = [e for e in events(srv) if e.get("target") == "keyturn::request"]
    assert len(requests) == 3, requests
    first, second, third = requests
    assert first["request_id"] == issued["ResponseMetadata"]["RequestId"]
    assert (first["action"], first["caller"], first["status"], first["error_code"]) == (
        "GetSessionToken",
        USER_ARN,
        200,
        "",
    )
    assert second["request_id"] == who["ResponseMetadata"]["RequestId"]
    assert second["action"] == "GetCallerIdentity"
    assert second["caller"] == who["Arn"]
    assert third["request_id"] == failed["ResponseMetadata"]["RequestId"]
    assert third["status"] == failed["ResponseMetadata"]["HTTPStatusCode"]
    assert third["error_code"] == failed["Error"]["Code"]
    for e in requests:
        assert isinstance(e["latency_us"], int) and e["latency_us"] > 0, e
        assert e["level"] == "INFO" and e["message"] == "request"
        assert e["source_ip"] == "127.0.0.1" and e["secure_transport"] is False
    for secret in (USER_KEY[1], creds["SecretAccessKey"], creds["SessionToken"], code):
        assert secret not in text
    # No signature (64 hex digits) and no Authorization header text.
    assert not re.search(r"[0-9a-f]{64}", text)
    assert "Signature=" not in text and "Credential=" not in text


def test_keyturn_log_format_json_turns_the_text_log_into_json(tmp_path):
    srv = KeyturnServer(tmp_path, LOG_CONFIG, env={"KEYTURN_LOG_FORMAT": "json"})
    try:
        time.sleep(0.3)
    finally:
        assert srv.stop() == 0, srv.output()
    serving = [e for e in events(srv) if e.get("message") == "keyturn is serving"]
    assert len(serving) == 1, srv.output()
    assert serving[0]["region"] == REGION
    # Without `log.requests` no per-request events.
    assert not [e for e in events(srv) if e.get("target") == "keyturn::request"]


def test_an_invalid_log_format_is_refused_with_its_path(tmp_path):
    import subprocess

    import yaml

    from keyturn_e2e import keyturn_bin

    path = tmp_path / "k.yaml"
    path.write_text(yaml.safe_dump(dict(LOG_CONFIG, store={"memory": True}, log={"format": "xml"})))
    done = subprocess.run([str(keyturn_bin()), "serve", "--config", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "log.format: `xml` is not `text` or `json`" in done.stderr, done.stderr


def signed_caller_identity(port: int) -> tuple[bytes, bytes]:
    """A SigV4-signed GetCallerIdentity POST as raw bytes: its head, and its body."""
    body = "Action=GetCallerIdentity&Version=2011-06-15"
    req = AWSRequest(
        method="POST",
        url=f"http://127.0.0.1:{port}/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(Credentials(*USER_KEY), "sts", REGION).add_auth(req)
    head = f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {len(body)}\r\n"
    for k, v in req.headers.items():
        if k.lower() not in ("host", "content-length"):
            head += f"{k}: {v}\r\n"
    return (head + "\r\n").encode(), body.encode()


def test_a_request_in_flight_at_sigterm_is_answered_then_the_server_exits(tmp_path):
    srv = KeyturnServer(tmp_path, LOG_CONFIG, server={"connections": {"shutdown_timeout": 5}})
    head, body = signed_caller_identity(srv.port)
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
        s.sendall(head + body[:10])
        time.sleep(0.3)
        sent = time.monotonic()
        srv.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        # The listener is closed: a new connection is refused.
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", srv.port), timeout=2).close()
        s.sendall(body[10:])
        reply = b""
        while b"</GetCallerIdentityResponse>" not in reply:
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200 OK"), reply
    assert f"<Arn>{USER_ARN}</Arn>".encode() in reply
    assert srv.proc.wait(timeout=10) == 0, srv.output()
    assert time.monotonic() - sent < 5.0
    srv.stop()
