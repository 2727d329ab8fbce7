"""Writers racing through the server: two clients, each with its own boto3 client and botocore's
retries off, write at the same moment; every write that succeeded is in the model, none is lost,
and none is counted twice. A fresh server per module (the shared server's world stays as
configs/e2e.yaml has it).

PutRolePolicy comes with the roles work: its race fails here until that is merged.
"""

from __future__ import annotations

import threading
import time

import pytest
from botocore.exceptions import ClientError

from keyturn_e2e import KEYS, KeyturnServer, client, load_config


def race(workers: int, work) -> list[dict]:
    """Runs `work(n, outcome)` in `workers` threads released together; returns their outcomes
    (`ok`: what succeeded, `failed`: (what, error code) for what did not)."""
    start = threading.Barrier(workers)
    outcomes = [{"ok": [], "failed": []} for _ in range(workers)]

    def run(n: int) -> None:
        start.wait()
        work(n, outcomes[n])

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def call(outcome: dict, what: str, fn, **kwargs) -> bool:
    try:
        fn(**kwargs)
    except ClientError as e:
        outcome["failed"].append((what, e.response["Error"]["Code"]))
        return False
    outcome["ok"].append(what)
    return True


def add_members(iam, prefix: str, count: int, outcome: dict) -> None:
    """CreateUser then AddUserToGroup `developers` for `count` new users named `prefix-NNN`; the
    memberships that succeeded are recorded by user name."""
    for i in range(count):
        name = f"{prefix}-{i:03}"
        if call(outcome, f"create {name}", iam.create_user, UserName=name):
            call(outcome, name, iam.add_user_to_group, GroupName="developers", UserName=name)


def added_members(outcomes: list[dict]) -> list[str]:
    return sorted(w for o in outcomes for w in o["ok"] if not w.startswith("create "))


def group_members(iam, group: str) -> list[str]:
    pages = iam.get_paginator("get_group").paginate(GroupName=group)
    return [u["UserName"] for page in pages for u in page["Users"]]


def test_two_clients_adding_200_users_to_one_group_leave_exactly_200_members(fresh):
    admin = client("iam", fresh.endpoint, KEYS["root"])
    before = group_members(admin, "developers")

    def work(n: int, outcome: dict) -> None:
        # Its own client, no retries.
        add_members(client("iam", fresh.endpoint, KEYS["root"]), f"racer-{n}", 100, outcome)

    outcomes = race(2, work)
    failed = [f for o in outcomes for f in o["failed"]]
    assert failed == [], failed
    added = added_members(outcomes)
    assert len(added) == 200
    after = group_members(admin, "developers")
    assert len(after) == len(set(after)), "a member listed twice"
    assert sorted(set(after) - set(before)) == added
    assert set(before) <= set(after)
    assert len(after) == len(before) + 200


def test_two_servers_on_one_database_racing_lose_no_member(tmp_path):
    """Two `keyturn serve` processes on one SQLite file, a client on each: their engines commit
    compare-and-set and plan a write again when the other process committed first."""
    config = load_config("e2e.yaml")
    config["store"] = {"sqlite": str(tmp_path / "shared.db")}
    config["keyring"] = str(tmp_path / "keyring.json")
    first = KeyturnServer(tmp_path / "first", config)
    second = KeyturnServer(tmp_path / "second", config)
    try:
        servers = [first, second]
        before = group_members(client("iam", first.endpoint, KEYS["root"]), "developers")

        def work(n: int, outcome: dict) -> None:
            add_members(client("iam", servers[n].endpoint, KEYS["root"]), f"twin-{n}", 50, outcome)

        outcomes = race(2, work)
        failed = [f for o in outcomes for f in o["failed"]]
        assert failed == [], failed
        added = added_members(outcomes)
        assert len(added) == 100
        # A server reads the other process's writes within a second.
        time.sleep(1.5)
        for srv in servers:
            after = group_members(client("iam", srv.endpoint, KEYS["root"]), "developers")
            assert sorted(set(after) - set(before)) == added
            assert len(after) == len(before) + 100
    finally:
        for srv in (first, second):
            assert srv.stop() == 0, srv.output()


def test_two_clients_putting_role_policies_keep_every_policy_that_succeeded(fresh):
    prod = client("iam", fresh.endpoint, KEYS["prod-root"])
    role = "ChainB"
    before = set(prod.list_role_policies(RoleName=role)["PolicyNames"])
    document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}'

    def work(n: int, outcome: dict) -> None:
        iam = client("iam", fresh.endpoint, KEYS["prod-root"])
        for i in range(25):
            name = f"race-{n}-{i:02}"
            call(outcome, name, iam.put_role_policy, RoleName=role, PolicyName=name, PolicyDocument=document)

    outcomes = race(2, work)
    succeeded = {w for o in outcomes for w in o["ok"]}
    failed = [f for o in outcomes for f in o["failed"]]
    # Within one server the writes take turns: none should even need a ConcurrentModification.
    assert failed == [], failed
    pages = prod.get_paginator("list_role_policies").paginate(RoleName=role)
    after = {name for page in pages for name in page["PolicyNames"]}
    assert after == before | succeeded
    assert len(succeeded) == 50
    got = prod.get_role_policy(RoleName=role, PolicyName="race-1-24")
    assert got["PolicyName"] == "race-1-24"
