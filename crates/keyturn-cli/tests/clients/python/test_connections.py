"""`keyturn serve` under connections that hold it (issue 16): SIGTERM with stalled connections exits
within `server.connections.shutdown_timeout`; out of file descriptors (`ulimit -n 256`, 300 stalled
connections) new clients get a 503 and the server recovers; a client that half-closes after its
request is answered every time; a stalled body is answered RequestTimeout within `body_timeout`."""

from __future__ import annotations

import resource
import signal
import socket
import subprocess
import time
from urllib.parse import urlencode

import pytest
import yaml
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from keyturn_e2e import SEED_CONFIG, client, free_port, keyturn_bin

ALICE = ("AKIATHPL2AOHFJCVQTKQ", "KeyturnExampleSecretKey/alice/0000000000")


class Served:
    """`keyturn serve` on the seed scenario (in memory) with `connections`, and `nofile` as its
    open-file limit when given."""

    def __init__(self, workdir, connections: dict, nofile: int | None = None):
        config = yaml.safe_load(SEED_CONFIG.read_text())
        config["server"] = {"region": "us-east-1", "connections": connections}
        config["keyring"] = str(workdir / "keyring.json")
        config["store"] = {"memory": True}
        path = workdir / "keyturn.yaml"
        path.write_text(yaml.safe_dump(config, sort_keys=False))
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.out = open(workdir / "server.out", "wb")
        limit = (lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))) if nofile else None
        self.proc = subprocess.Popen(
            [str(keyturn_bin()), "serve", "--config", str(path), "--listen", f"127.0.0.1:{self.port}"],
            cwd=workdir, stdin=subprocess.DEVNULL, stdout=self.out, stderr=subprocess.STDOUT,
            preexec_fn=limit,
        )
        deadline = time.monotonic() + 60
        while True:
            assert self.proc.poll() is None, (workdir / "server.out").read_text()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not listen"
                time.sleep(0.05)

    def connect(self) -> socket.socket:
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        return s

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.out.close()


def signed_request(port: int) -> bytes:
    body = urlencode({"Action": "GetCallerIdentity", "Version": "2011-06-15"})
    host = f"127.0.0.1:{port}"
    request = AWSRequest(method="POST", url=f"http://{host}/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Host": host})
    SigV4Auth(Credentials(*ALICE), "sts", "us-east-1").add_auth(request)
    head = "".join(f"{k}: {v}\r\n" for k, v in request.headers.items())
    return f"POST / HTTP/1.1\r\n{head}Content-Length: {len(body)}\r\n\r\n{body}".encode()


def read_all(s: socket.socket) -> bytes:
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk


def test_sigterm_with_three_stalled_connections_exits_within_the_bound(tmp_path):
    srv = Served(tmp_path, {"shutdown_timeout": 1, "body_timeout": 600, "min_body_rate": 0})
    try:
        stalled = [srv.connect() for _ in range(3)]
        for s in stalled:
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nAction=Get")
        time.sleep(0.3)
        started = time.monotonic()
        srv.proc.send_signal(signal.SIGTERM)
        code = srv.proc.wait(timeout=10)
        took = time.monotonic() - started
        assert code == 0, (tmp_path / "server.out").read_text()
        assert 1.0 <= took < 4.0, f"exited {took:.2f} s after SIGTERM"
        for s in stalled:
            s.settimeout(5)
            read_all(s)  # closed: returns instead of timing out
    finally:
        srv.stop()


def test_out_of_file_descriptors_new_clients_get_a_503_and_the_server_recovers(tmp_path):
    # The reproduction: `ulimit -n 256`, 300 connections that never finish their head.
    srv = Served(tmp_path, {"header_timeout": 600}, nofile=256)
    stalled = []
    try:
        for _ in range(300):
            s = srv.connect()
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
            stalled.append(s)
        time.sleep(0.5)
        # A new client is answered at once, not left in the backlog.
        s = srv.connect()
        s.sendall(signed_request(srv.port))
        answer = read_all(s)
        assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n"), answer[:200]
        assert b"<Code>ServiceUnavailable</Code>" in answer
        assert srv.proc.poll() is None
        # The stalled ones go: the server serves again.
        for s in stalled:
            s.close()
        stalled.clear()
        deadline = time.monotonic() + 10
        while True:
            s = srv.connect()
            s.sendall(signed_request(srv.port))
            answer = s.recv(65536)
            s.close()
            if answer.startswith(b"HTTP/1.1 200 OK\r\n"):
                break
            assert answer.startswith(b"HTTP/1.1 503"), answer[:200]
            assert time.monotonic() < deadline, "the server did not recover"
            time.sleep(0.1)
        me = client("sts", srv.endpoint, ALICE).get_caller_identity()
        assert me["Arn"].endswith(":user/alice")
    finally:
        for s in stalled:
            s.close()
        srv.stop()


def test_over_the_connection_cap_a_client_gets_a_503_that_boto3_retries(tmp_path):
    srv = Served(tmp_path, {"max": 8})
    held = []
    try:
        for _ in range(8):
            s = srv.connect()
            s.sendall(signed_request(srv.port))
            assert s.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")
            held.append(s)
        sts = client("sts", srv.endpoint, ALICE)
        with pytest.raises(ClientError) as refused:
            sts.get_caller_identity()
        assert refused.value.response["Error"]["Code"] == "ServiceUnavailable"
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
        # With retries, the call succeeds once a slot frees.
        for s in held[:2]:
            s.close()
        retrying = client("sts", srv.endpoint, ALICE, config=Config(retries={"total_max_attempts": 5}))
        assert retrying.get_caller_identity()["Arn"].endswith(":user/alice")
    finally:
        for s in held:
            s.close()
        srv.stop()


def test_a_client_that_half_closes_after_its_request_is_answered_every_time(tmp_path):
    srv = Served(tmp_path, {})
    try:
        request = signed_request(srv.port)
        unanswered = 0
        for _ in range(200):
            s = srv.connect()
            s.sendall(request)
            s.shutdown(socket.SHUT_WR)
            if not read_all(s).startswith(b"HTTP/1.1 200 OK\r\n"):
                unanswered += 1
            s.close()
        assert unanswered == 0, f"{unanswered} of 200 half-closed requests unanswered"
    finally:
        srv.stop()


def test_a_stalled_body_is_answered_request_timeout_within_the_body_timeout(tmp_path):
    srv = Served(tmp_path, {"body_timeout": 1})
    try:
        s = srv.connect()
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nAction=Get")
        started = time.monotonic()
        answer = read_all(s)
        took = time.monotonic() - started
        assert 1.0 <= took < 4.0, took
        assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n"), answer[:200]
        assert b"<Code>RequestTimeout</Code>" in answer
    finally:
        srv.stop()
