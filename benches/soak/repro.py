"""Issue 16's reproductions of held connections, against one `keyturn serve` binary with its
default limits (the built-in scenario, no configuration, so that an older binary runs it too):

    python repro.py path/to/keyturn

Prints, one line each: how many of 10 stalled Content-Length bodies the server closed within 40 s;
how many of 200 half-closed requests went unanswered; the RSS with 200 connections each one byte
short of a 256 KiB body (before, while held, 40 s later); how long SIGTERM took with three stalled
connections (capped at 60 s); with `ulimit -n 256` and 300 stalled heads, whether a new client got
an answer within 5 s and which.
"""

from __future__ import annotations

import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "load"))
from sign import signed  # noqa: E402

from soak import rss_kib  # noqa: E402


def serve(binary: str, nofile: int | None = None) -> tuple[subprocess.Popen, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    limit = (lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))) if nofile else None
    proc = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}"], cwd=tempfile.mkdtemp(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=limit)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the server did not listen")


def request(port: int) -> bytes:
    body, headers = signed(f"127.0.0.1:{port}", {"Action": "GetCallerIdentity", "Version": "2011-06-15"})
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return f"POST / HTTP/1.1\r\n{head}Content-Length: {len(body)}\r\n\r\n{body}".encode()


STALLED_BODY = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nAction=Get"


def stall(port: int, count: int, first: bytes) -> list[socket.socket]:
    """`count` connections that send `first` and then nothing."""
    conns = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(first)
        conns.append(s)
    return conns


def closed(s: socket.socket) -> bool:
    s.setblocking(False)
    try:
        while True:
            if not s.recv(65536):
                return True
    except BlockingIOError:
        return False
    except OSError:
        return True


def stalled_bodies(binary: str) -> str:
    proc, port = serve(binary)
    try:
        conns = stall(port, 10, STALLED_BODY)
        time.sleep(40)
        return f"stalled Content-Length bodies closed within 40 s: {sum(closed(s) for s in conns)} of 10"
    finally:
        proc.kill()


def half_close(binary: str) -> str:
    proc, port = serve(binary)
    try:
        req, unanswered = request(port), 0
        for _ in range(200):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(req)
            s.shutdown(socket.SHUT_WR)
            try:
                answer = s.recv(65536)
            except OSError:
                answer = b""
            unanswered += not answer.startswith(b"HTTP/1.1 200")
            s.close()
        return f"half-closed requests unanswered: {unanswered} of 200"
    finally:
        proc.kill()


def short_bodies(binary: str) -> str:
    proc, port = serve(binary)
    try:
        before = rss_kib(proc.pid)
        conns = stall(port, 200, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 262144\r\n\r\n" + b"A" * 262143)
        time.sleep(3)
        held = rss_kib(proc.pid)
        time.sleep(40)
        later = rss_kib(proc.pid)
        still = sum(not closed(s) for s in conns)
        return (f"200 bodies one byte short of 256 KiB: RSS {before // 1024} MB before, {held // 1024} MB held, "
                f"{later // 1024} MB 40 s later; {still} connections still open")
    finally:
        proc.kill()


def sigterm(binary: str) -> str:
    proc, port = serve(binary)
    conns = stall(port, 3, STALLED_BODY)
    time.sleep(0.5)
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
        return f"SIGTERM with three stalled connections: exited after {time.monotonic() - started:.1f} s"
    except subprocess.TimeoutExpired:
        proc.kill()
        return "SIGTERM with three stalled connections: still running after 60 s (killed)"


def out_of_descriptors(binary: str) -> str:
    proc, port = serve(binary, nofile=256)
    try:
        conns = stall(port, 300, b"POST / HTTP/1.1\r\nHost: x\r\n")
        time.sleep(0.5)
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(request(port))
        try:
            answer = s.recv(65536).split(b"\r\n", 1)[0].decode() or "closed unanswered"
        except OSError as e:
            answer = f"no answer ({e.__class__.__name__})"
        return f"ulimit -n 256, 300 stalled heads, a new client within 5 s: {answer}"
    finally:
        proc.kill()


if __name__ == "__main__":
    for check in (half_close, sigterm, out_of_descriptors, stalled_bodies, short_bodies):
        print(check(sys.argv[1]), flush=True)
