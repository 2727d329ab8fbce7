"""`kill -9` in the middle of writes loses nothing committed and the store opens clean.

A real `keyturn serve` on a SQLite file, clients creating users as fast as they can and
recording each CreateUser that got a 200; the server is SIGKILLed mid-stream, twice. Afterwards
the database passes `PRAGMA integrity_check`, the server starts again on it, and every user
whose creation was acknowledged is there (a write in flight at the kill may or may not be).
"""

from __future__ import annotations

import sqlite3
import threading
import time

from botocore.exceptions import BotoCoreError, ClientError

from keyturn_e2e import KEYS, KeyturnServer, client, load_config

WRITERS = 2


def write_until_killed(srv: KeyturnServer, prefix: str, kill_after: int) -> tuple[set[str], set[str]]:
    """Writers create users `prefix-N-I`; after `kill_after` acknowledgements the server gets
    SIGKILL. Returns (acknowledged, attempted)."""
    acked: set[str] = set()
    attempted: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()

    def writer(n: int) -> None:
        iam = client("iam", srv.endpoint, KEYS["root"])
        i = 0
        while not stop.is_set():
            name = f"{prefix}-{n}-{i}"
            i += 1
            with lock:
                attempted.add(name)
            try:
                iam.create_user(UserName=name)
            except (ClientError, BotoCoreError):
                # The server went away mid-request (or refused): not acknowledged.
                return
            with lock:
                acked.add(name)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with lock:
            if len(acked) >= kill_after:
                break
        time.sleep(0.005)
    srv.proc.kill()  # SIGKILL, while the writers are still writing
    srv.proc.wait()
    stop.set()
    for t in threads:
        t.join()
    srv._out.close()
    assert srv.proc.returncode == -9
    assert len(acked) >= kill_after, f"only {len(acked)} writes acknowledged"
    return acked, attempted


def integrity(db) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def stored_users(srv: KeyturnServer) -> set[str]:
    iam = client("iam", srv.endpoint, KEYS["root"])
    pages = iam.get_paginator("list_users").paginate()
    return {u["UserName"] for page in pages for u in page["Users"]}


def test_sigkill_mid_writes_loses_no_acknowledged_user(tmp_path):
    config = load_config("e2e.yaml")
    db = tmp_path / "keyturn.db"
    acked_all: set[str] = set()
    attempted_all: set[str] = set()
    for round_ in range(2):
        srv = KeyturnServer(tmp_path, config)
        if round_:
            # The restarted server serves what was committed before the kill.
            assert acked_all <= stored_users(srv)
        acked, attempted = write_until_killed(srv, f"crash{round_}", kill_after=60)
        acked_all |= acked
        attempted_all |= attempted
        assert integrity(db) == "ok"

    srv = KeyturnServer(tmp_path, config)
    try:
        users = stored_users(srv)
        missing = acked_all - users
        assert not missing, f"{len(missing)} acknowledged users lost: {sorted(missing)[:5]}"
        # Nothing appears that no client asked for, and an in-flight write is at most one per writer.
        extra = {u for u in users if u.startswith("crash")} - acked_all
        assert extra <= attempted_all
        assert len(extra) <= 2 * WRITERS
        # The store still takes writes.
        client("iam", srv.endpoint, KEYS["root"]).create_user(UserName="after-the-crash")
        assert "after-the-crash" in stored_users(srv)
    finally:
        assert srv.stop() == 0, srv.output()
    assert integrity(db) == "ok"
