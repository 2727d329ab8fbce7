"""Three `keyturn serve` nodes on one PostgreSQL database (docs/deployment.md): what one node
writes, the others see within the staleness bound; tokens minted by one open on the others; an MFA
code used on one is refused on the others; with PostgreSQL stopped, STS keeps answering from the
nodes' snapshots while IAM writes and MFA checks answer ServiceUnavailable, and everything works
again once it is back, without a restart.

Needs a PostgreSQL server: `KEYTURN_TEST_DATABASE_URL` (`make test` starts one with
scripts/pg-test-server.sh, whose directory `KEYTURN_TEST_PG_DIR` lets the outage test stop and
start it). Without it the module is skipped with a notice.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import time

import pytest

from keyturn_e2e import (
    DEV,
    KEYS,
    PROD,
    REPO,
    KeyturnServer,
    client,
    expect_error,
    load_config,
    mfa_serial,
    role_arn,
    totp_for,
)

DATABASE_URL = os.environ.get("KEYTURN_TEST_DATABASE_URL", "")
PG_DIR = os.environ.get("KEYTURN_TEST_PG_DIR", "")
if not DATABASE_URL:
    pytest.skip(
        "skipped: PostgreSQL: KEYTURN_TEST_DATABASE_URL is not set (scripts/pg-test-server.sh)",
        allow_module_level=True,
    )

# The nodes' periodic generation check (store.check_interval): the staleness bound when a
# notification is lost. Notifications make a change visible well before it.
CHECK_INTERVAL = 1.0
# How long a test waits for a change to show on another node: the bound, plus the time to load
# and compile the model on a busy two-core machine.
VISIBLE_WITHIN = CHECK_INTERVAL + 2.0
# After an outage a node's change feed connects again within its longest pause (2 s), then
# reads the generation: what was written meanwhile shows within that plus the above.
VISIBLE_AFTER_OUTAGE_WITHIN = 2.0 + VISIBLE_WITHIN

SERVICE_UNAVAILABLE = "The request has failed due to a temporary failure of the server."
INVALID_CODE = "MultiFactorAuthentication failed with invalid MFA one time pass code. "
TRUST_DEV = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{DEV}:root"}, "Action": "sts:AssumeRole"}],
}
TRUST_NOBODY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::333333333333:root"}, "Action": "sts:AssumeRole"}],
}


def psql() -> str:
    found = shutil.which("psql") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))[::-1]), None)
    assert found, "psql not found (Debian: apt-get install postgresql-client)"
    return found


def new_database(name: str) -> str:
    """A new, empty database on the test server; its connection string."""
    subprocess.run([psql(), DATABASE_URL, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return DATABASE_URL.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    """Nodes A, B and C on one new database and one keyring; A seeds the database. C's file names
    a SQLite store: KEYTURN_DATABASE_URL overrides it."""
    url = new_database(f"keyturn_multinode_{os.getpid()}")
    keyring = tmp_path_factory.mktemp("keyturn-keyring") / "keyring.json"
    started = []
    try:
        for name in "abc":
            config = load_config("e2e.yaml")
            config["keyring"] = str(keyring)
            workdir = tmp_path_factory.mktemp(f"keyturn-node-{name}")
            env = {}
            if name == "c":
                config["store"] = {"sqlite": str(workdir / "unused.db")}
                env["KEYTURN_DATABASE_URL"] = url
            else:
                config["store"] = {"postgres": url, "check_interval": CHECK_INTERVAL}
            started.append(KeyturnServer(workdir, config, env=env))
        assert not (started[2].workdir / "unused.db").exists(), "C opened its file's store"
        yield started
    finally:
        for node in started:
            assert node.stop() == 0, node.output()


def sts(node, who):
    return client("sts", node.endpoint, KEYS[who] if isinstance(who, str) else who)


def iam(node, who="prod-root"):
    return client("iam", node.endpoint, KEYS[who])


def eventually(check, within: float = VISIBLE_WITHIN):
    """Calls `check` until it returns a true value (returned, with the seconds it took) or
    `within` seconds pass (the last exception, or a failed assertion, is raised)."""
    start = time.monotonic()
    while True:
        try:
            result = check()
            if result:
                return result, time.monotonic() - start
        except Exception:
            if time.monotonic() - start > within:
                raise
        else:
            assert time.monotonic() - start <= within, f"not seen within {within} s"
        time.sleep(0.02)


def assumes(node, role: str, who: str = "alice") -> bool:
    return bool(sts(node, who).assume_role(RoleArn=role_arn(role), RoleSessionName="multinode"))


def test_a_role_created_through_a_is_assumable_through_b_within_the_bound(nodes):
    a, b, _ = nodes
    iam(a).create_role(RoleName="MadeOnA", AssumeRolePolicyDocument=json.dumps(TRUST_DEV))
    _, took = eventually(lambda: assumes(b, "MadeOnA"))
    print(f"role created on A assumable on B after {took * 1000:.0f} ms")


def test_a_trust_policy_changed_through_b_refuses_on_c_within_the_bound(nodes):
    a, b, c = nodes
    iam(a).create_role(RoleName="NarrowedOnB", AssumeRolePolicyDocument=json.dumps(TRUST_DEV))
    eventually(lambda: assumes(c, "NarrowedOnB"))
    iam(b).update_assume_role_policy(RoleName="NarrowedOnB", PolicyDocument=json.dumps(TRUST_NOBODY))

    def refused_on_c():
        try:
            assumes(c, "NarrowedOnB")
        except client("sts", c.endpoint, KEYS["alice"]).exceptions.ClientError as e:
            return e.response["Error"]["Code"] == "AccessDenied"
        return False

    _, took = eventually(refused_on_c)
    print(f"trust policy narrowed on B refused on C after {took * 1000:.0f} ms")


def test_a_token_minted_by_a_is_accepted_by_c(nodes):
    a, _, c = nodes
    out = sts(a, "alice").assume_role(RoleArn=role_arn("UpdateApp"), RoleSessionName="minted-on-a")
    identity = sts(c, out["Credentials"]).get_caller_identity()
    assert identity["Arn"] == f"arn:aws:sts::{PROD}:assumed-role/UpdateApp/minted-on-a"


def test_an_mfa_code_used_on_a_is_refused_on_b(nodes):
    a, b, _ = nodes
    code = totp_for("carol")
    args = dict(RoleArn=role_arn("UpdateAppMfa"), SerialNumber=mfa_serial("carol"), TokenCode=code)
    sts(a, "carol").assume_role(RoleSessionName="first", **args)
    response = expect_error(sts(b, "carol").assume_role, "AccessDenied", None, 403, RoleSessionName="replay", **args)
    assert response["Error"]["Message"].rstrip() == INVALID_CODE.rstrip(), response["Error"]


def pg_ctl(command: str) -> None:
    subprocess.run([str(REPO / "scripts" / "pg-test-server.sh"), command, PG_DIR], check=True)


@pytest.mark.skipif(not PG_DIR, reason="KEYTURN_TEST_PG_DIR is not set: the test server cannot be stopped")
def test_postgresql_away_sts_keeps_serving_writes_fail_then_resume(nodes):
    a, b, c = nodes
    minted = sts(a, "alice").assume_role(RoleArn=role_arn("UpdateApp"), RoleSessionName="before")
    pg_ctl("pause")
    try:
        for node in nodes:
            # STS from the snapshot: long-term keys, AssumeRole, session tokens.
            assert sts(node, "alice").get_caller_identity()["Account"] == DEV
            out = sts(node, "alice").assume_role(RoleArn=role_arn("UpdateApp"), RoleSessionName="during")
            assert sts(node, out["Credentials"]).get_caller_identity()["Arn"].endswith("/UpdateApp/during")
            assert sts(node, minted["Credentials"]).get_caller_identity()["Arn"].endswith("/UpdateApp/before")
            # IAM reads from the snapshot too.
            assert iam(node).get_role(RoleName="UpdateApp")["Role"]["RoleName"] == "UpdateApp"
        # Writes and MFA checks need the database: ServiceUnavailable, AWS's text, 503.
        expect_error(
            iam(b).create_role, "ServiceUnavailable", SERVICE_UNAVAILABLE, 503,
            RoleName="WhileAway", AssumeRolePolicyDocument=json.dumps(TRUST_DEV),
        )
        expect_error(
            sts(c, "carol").assume_role, "ServiceUnavailable", SERVICE_UNAVAILABLE, 503,
            RoleArn=role_arn("UpdateAppMfa"), RoleSessionName="mfa-away",
            SerialNumber=mfa_serial("carol"), TokenCode=totp_for("carol"),
        )
    finally:
        pg_ctl("resume")

    # Back: the write works again on the same node, without a restart (the first attempts may
    # still find the database starting), and the others see it.
    def written():
        try:
            iam(b).create_role(RoleName="AfterOutage", AssumeRolePolicyDocument=json.dumps(TRUST_DEV))
        except client("iam", b.endpoint, KEYS["prod-root"]).exceptions.ClientError as e:
            assert e.response["Error"]["Code"] == "ServiceUnavailable", e.response
            raise
        return True

    eventually(written, within=15.0)
    eventually(lambda: assumes(a, "AfterOutage"), within=VISIBLE_AFTER_OUTAGE_WITHIN)
    eventually(lambda: assumes(c, "AfterOutage"), within=VISIBLE_AFTER_OUTAGE_WITHIN)
