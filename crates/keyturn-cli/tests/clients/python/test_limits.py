"""Limits and failure modes of `keyturn serve` (docs/limits.md): request quotas answered with
`Throttling` that boto3's retry rides out, an audit log that fails closed, and an identity-provider
plugin that hangs (its call deadline, and the host serving others meanwhile)."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from keyturn_e2e import KEYS, REGION, KeyturnServer, client, expect_error, keyturn_bin, load_config

RATE_EXCEEDED = "Rate exceeded"
UNAVAILABLE = "The request has failed due to a temporary failure of the server."


# ---------------------------------------------------------------------------------------------
# Quotas.


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """configs/e2e.yaml with GetCallerIdentity limited to 1 a second, 2 at once, per account."""
    quotas = {"actions": {"GetCallerIdentity": {"rate": 1, "burst": 2}}}
    srv = KeyturnServer(tmp_path_factory.mktemp("keyturn-quota"), load_config("e2e.yaml"), server={"quotas": quotas})
    yield srv
    assert srv.stop() == 0, srv.output()


def _drain(sts) -> None:
    """Spends the bucket of `sts`'s account until the next call is throttled."""
    for _ in range(10):
        try:
            sts.get_caller_identity()
        except ClientError as e:
            assert e.response["Error"]["Code"] == "Throttling", e.response
            return
    pytest.fail("never throttled")


def test_over_quota_is_throttling_with_aws_text(limited):
    sts = client("sts", limited.endpoint, KEYS["alice"])
    _drain(sts)
    response = expect_error(sts.get_caller_identity, "Throttling", RATE_EXCEEDED, 400)
    assert response["Error"]["Type"] == "Sender"
    # Other actions of the account are not limited.
    assert sts.get_session_token()["Credentials"]["AccessKeyId"].startswith("ASIA")


def test_boto3_standard_retry_rides_out_throttling(limited):
    sts = client("sts", limited.endpoint, KEYS["bob"])
    _drain(sts)
    patient = client(
        "sts", limited.endpoint, KEYS["bob"], config=Config(retries={"mode": "standard", "total_max_attempts": 8})
    )
    started = time.monotonic()
    identity = patient.get_caller_identity()
    assert identity["Arn"].endswith(":user/bob")
    # It was throttled at least once and retried after a backoff.
    assert identity["ResponseMetadata"]["RetryAttempts"] >= 1
    assert time.monotonic() - started < 30


def test_a_bad_signature_does_not_spend_the_accounts_quota(limited):
    # alice, bob and carol share account 222222222222 and its bucket: let it fill up again.
    time.sleep(2.2)
    key_id, secret = KEYS["carol"]
    forged = client("sts", limited.endpoint, (key_id, "x" * len(secret)))
    for _ in range(6):
        expect_error(forged.get_caller_identity, "SignatureDoesNotMatch", None, 403)
    # The real key still has its whole burst.
    sts = client("sts", limited.endpoint, KEYS["carol"])
    for _ in range(2):
        sts.get_caller_identity()


def test_quotas_are_per_account(limited):
    _drain(client("sts", limited.endpoint, KEYS["dave"]))
    # `prod-root` is another account's key: its own bucket.
    assert client("sts", limited.endpoint, KEYS["prod-root"]).get_caller_identity()["Account"] == "111111111111"


def test_a_bad_quota_is_refused_at_start(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("server:\n  quotas:\n    actions:\n      Frobnicate: {rate: 1}\n")
    run = subprocess.run(
        [str(keyturn_bin()), "serve", "--config", str(config), "--listen", "127.0.0.1:0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode != 0
    assert "server.quotas.actions.Frobnicate" in run.stderr and "not an action Keyturn serves" in run.stderr, run.stderr


# ---------------------------------------------------------------------------------------------
# Audit that fails closed.


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KiB tmpfs (root only; skipped elsewhere), unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (not root?): {done.stderr.decode(errors='replace').strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def _fill(disk: Path, log: Path) -> None:
    """Takes every free byte of `disk`: a filler file, then the rest of the audit log's last page
    (blank lines, which no reader takes for an event)."""

    def write_until_full(path: Path, mode: str, chunk: bytes) -> None:
        with open(path, mode, buffering=0) as f:
            try:
                while True:
                    f.write(chunk)
            except OSError:
                pass

    write_until_full(disk / "filler", "wb", b"\0" * 1024)
    write_until_full(disk / "filler", "ab", b"\0")
    write_until_full(log, "ab", b"\n")


def _audited(disk: Path, tmp_path: Path, on_failure: str) -> tuple[Path, KeyturnServer]:
    """A server on configs/e2e.yaml whose audit log is on `disk`, with `on_failure`."""
    log = disk / "audit.jsonl"
    server = {"audit_log": {"path": str(log), "on_failure": on_failure}}
    return log, KeyturnServer(tmp_path / "srv", load_config("e2e.yaml"), server=server)


def test_audit_on_failure_refuse_issues_no_credentials_while_the_log_is_full(small_disk, tmp_path):
    log, srv = _audited(small_disk, tmp_path, "refuse")
    try:
        sts = client("sts", srv.endpoint, KEYS["alice"])
        assert sts.get_session_token()["Credentials"]["AccessKeyId"].startswith("ASIA")
        _fill(small_disk, log)
        for _ in range(3):
            response = expect_error(sts.get_session_token, "ServiceUnavailable", UNAVAILABLE, 503)
            assert "Credentials" not in response
        (small_disk / "filler").unlink()
        # The log is writable again: after the one refusal that finds it so, requests are served.
        patient = client("sts", srv.endpoint, KEYS["alice"], config=Config(retries={"mode": "standard", "total_max_attempts": 3}))
        assert patient.get_session_token()["Credentials"]["AccessKeyId"].startswith("ASIA")
    finally:
        assert srv.stop() == 0, srv.output()
    assert "cannot write the audit log" in srv.output()
    # The secrets never reached the log, nor the warning.
    for text in (log.read_text(errors="replace"), srv.output()):
        assert KEYS["alice"][1] not in text


def test_audit_on_failure_continue_serves_while_the_log_is_full(small_disk, tmp_path):
    log, srv = _audited(small_disk, tmp_path, "continue")
    try:
        sts = client("sts", srv.endpoint, KEYS["alice"])
        _fill(small_disk, log)
        for _ in range(3):
            assert sts.get_session_token()["Credentials"]["AccessKeyId"].startswith("ASIA")
    finally:
        assert srv.stop() == 0, srv.output()
    assert srv.output().count("cannot write the audit log") == 1, srv.output()


# ---------------------------------------------------------------------------------------------
# A hanging identity-provider plugin.

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/WebRole"


@pytest.fixture(scope="module")
def hanging(tmp_path_factory):
    plugin = keyturn_bin().parent / "libkeyturn_plugin_fixture_hang.so"
    if not plugin.is_file():
        pytest.exit(f"plugin {plugin} not built (cargo build -p keyturn-plugin-fixture-hang)", returncode=3)
    config = load_config("e2e.yaml")
    config["plugins"] = [{"path": str(plugin), "config": {}, "call_timeout_ms": 1000}]
    config["accounts"].append(
        {
            "id": ACCOUNT,
            "oidc_providers": [{"url": "https://hang.e2e.example", "client_ids": ["c"], "jwks": {"keys": []}}],
            "roles": [
                {
                    "name": "WebRole",
                    "trust_policy": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/hang.e2e.example"},
                                "Action": "sts:AssumeRoleWithWebIdentity",
                            }
                        ],
                    },
                }
            ],
        }
    )
    srv = KeyturnServer(tmp_path_factory.mktemp("keyturn-hang"), config, server={"workers": 2})
    yield srv
    assert srv.stop() == 0, srv.output()


def _anonymous(srv):
    return boto3.session.Session().client(
        "sts",
        endpoint_url=srv.endpoint,
        region_name=REGION,
        config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def test_a_hung_plugin_call_is_idp_communication_error_by_its_deadline(hanging):
    anonymous = _anonymous(hanging)
    ok = anonymous.assume_role_with_web_identity(RoleArn=ROLE, RoleSessionName="s1", WebIdentityToken="user-1")
    assert ok["SubjectFromWebIdentityToken"] == "user-1"
    started = time.monotonic()
    response = expect_error(
        anonymous.assume_role_with_web_identity,
        "IDPCommunicationError",
        None,
        400,
        RoleArn=ROLE,
        RoleSessionName="s1",
        WebIdentityToken="hang",
    )
    took = time.monotonic() - started
    assert 0.9 <= took < 5, took
    assert response["Error"]["Message"].startswith("The request could not be fulfilled because the identity provider")


def test_the_host_serves_others_while_plugin_calls_hang(hanging):
    """More hung calls than worker threads: other requests, signed and federated, are answered at once."""
    results = []

    def hang():
        try:
            _anonymous(hanging).assume_role_with_web_identity(RoleArn=ROLE, RoleSessionName="s1", WebIdentityToken="hang")
        except ClientError as e:
            results.append(e.response["Error"]["Code"])

    threads = [threading.Thread(target=hang) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    sts = client("sts", hanging.endpoint, KEYS["alice"])
    for _ in range(5):
        started = time.monotonic()
        sts.get_caller_identity()
        assert time.monotonic() - started < 0.5
    answer = _anonymous(hanging).assume_role_with_web_identity(RoleArn=ROLE, RoleSessionName="s1", WebIdentityToken="user-2")
    assert answer["SubjectFromWebIdentityToken"] == "user-2"
    for t in threads:
        t.join(timeout=10)
    assert results == ["IDPCommunicationError"] * 4
