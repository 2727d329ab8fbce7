"""Helpers for the end-to-end suites: run `keyturn serve`, make AWS clients, compute TOTP codes."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import time
from pathlib import Path

import boto3
import botocore.session
import pytest
import yaml
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[4]
CONFIGS = HERE / "configs"
SEED_CONFIG = REPO / "docs" / "examples" / "cross-account.yaml"
REGION = "us-east-1"

PROD = "111111111111"
DEV = "222222222222"


def load_config(name: str) -> dict:
    return yaml.safe_load((CONFIGS / name).read_text())


def config_keys(config: dict, roots: dict[str, str]) -> dict[str, tuple[str, str]]:
    """The access keys `config` gives, as (key id, secret): each user's first key under the user's
    name, and the first key of each account root that `roots` names (account id -> name)."""
    keys = {}
    for account in config["accounts"]:
        holders = [(user["name"], user) for user in account.get("users", [])]
        if account["id"] in roots:
            holders.append((roots[account["id"]], account["root"]))
        for name, holder in holders:
            if holder.get("access_keys"):
                assert name not in keys, f"two holders of access keys are named {name}"
                first = holder["access_keys"][0]
                keys[name] = (first["id"], first["secret"])
    return keys


# Credentials and MFA seeds from configs/e2e.yaml (test values for a loopback server); the
# development account's root is "root".
_E2E = load_config("e2e.yaml")
KEYS = config_keys(_E2E, roots={PROD: "prod-root", DEV: "root"})
MFA_SEEDS = {
    user["name"]: user["mfa_devices"][0]["seed_base32"]
    for account in _E2E["accounts"]
    for user in account.get("users", [])
    if user.get("mfa_devices")
}


def role_arn(name: str, path: str = "/", account: str = PROD) -> str:
    return f"arn:aws:iam::{account}:role{path}{name}"


def user_arn(name: str, account: str = DEV) -> str:
    return f"arn:aws:iam::{account}:user/{name}"


def mfa_serial(name: str, account: str = DEV) -> str:
    return f"arn:aws:iam::{account}:mfa/{name}"


def not_authorized(caller_arn: str, action: str, resource: str) -> str:
    """AWS's AccessDenied text for an authorization failure."""
    return f"User: {caller_arn} is not authorized to perform: {action} on resource: {resource}"


# ---------------------------------------------------------------------------------------------
# TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps), computed independently of the server.


def hotp(key: bytes, counter: int, digits: int = 6) -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % (10**digits)).zfill(digits)


def totp(seed_base32: str, at: float | None = None) -> str:
    key = base64.b32decode(seed_base32.upper() + "=" * (-len(seed_base32) % 8))
    return hotp(key, int((time.time() if at is None else at) // 30))


def totp_for(user: str) -> str:
    """The current code of a user's device, taken early enough in its step to be used at once."""
    # A code computed in the last second of a step still verifies (one step of drift is
    # allowed), but waiting avoids straddling two steps within one test.
    if 30 - time.time() % 30 < 1.5:
        time.sleep(1.6)
    return totp(MFA_SEEDS[user])


def wrong_code_for(user: str) -> str:
    """A 6-digit code that is none of the codes the server accepts now (steps -1, 0, +1)."""
    now = time.time()
    valid = {totp(MFA_SEEDS[user], now + d) for d in (-60, -30, 0, 30, 60)}
    candidate = int(totp(MFA_SEEDS[user], now))
    while f"{candidate:06d}" in valid:
        candidate = (candidate + 7919) % 1_000_000
    return f"{candidate:06d}"


# ---------------------------------------------------------------------------------------------
# The server under test.


def keyturn_bin() -> Path:
    path = Path(os.environ.get("KEYTURN_BIN", REPO / "target" / "debug" / "keyturn"))
    if not path.is_file():
        pytest.exit(f"keyturn binary not found at {path} (build it or set KEYTURN_BIN)", returncode=3)
    return path


def export_store(config: Path, out: Path) -> subprocess.CompletedProcess:
    """`keyturn export --config CONFIG --output OUT`, its output captured."""
    return subprocess.run(
        [str(keyturn_bin()), "export", "--config", str(config), "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class KeyturnServer:
    """`keyturn serve` in a subprocess on a loopback port, with its files in `workdir`."""

    def __init__(self, workdir: Path, config: dict | None, env: dict | None = None, server: dict | None = None):
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.output_path = workdir / "server.out"
        self.audit_path = workdir / "audit.jsonl"
        args = [str(keyturn_bin()), "serve", "--listen", f"127.0.0.1:{self.port}"]
        if config is not None:
            config = dict(config)
            config.setdefault("keyring", str(workdir / "keyring.json"))
            config.setdefault("store", {"sqlite": str(workdir / "keyturn.db")})
            config["server"] = {"region": REGION, "audit_log": str(self.audit_path), **(server or {})}
            self.config_path = workdir / "keyturn.yaml"
            self.config_path.write_text(yaml.safe_dump(config, sort_keys=False))
            args += ["--config", str(self.config_path)]
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        full_env.update(env or {})
        self._out = open(self.output_path, "wb")
        self.proc = subprocess.Popen(
            args, cwd=workdir, env=full_env, stdin=subprocess.DEVNULL, stdout=self._out, stderr=subprocess.STDOUT
        )
        self._wait_ready()

    def output(self) -> str:
        return self.output_path.read_text(errors="replace")

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"keyturn serve exited with {self.proc.returncode}:\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"keyturn serve did not listen on {self.port} within {timeout} s:\n{self.output()}")

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._out.close()
        return self.proc.returncode


# ---------------------------------------------------------------------------------------------
# Clients.

# No retries (an MFA code must reach the server once) and no client-side validation (the server's
# ValidationError texts are under test, and botocore would refuse e.g. DurationSeconds=899 itself).
NO_RETRIES = Config(
    retries={"total_max_attempts": 1, "mode": "standard"},
    connect_timeout=5,
    read_timeout=30,
    parameter_validation=False,
)


def client(
    service: str, endpoint: str, creds, region: str = REGION, config: Config | None = None
) -> "boto3.client":
    """A boto3 client for `service` at `endpoint` signing for `region`; `creds` is (key, secret[, token])
    or a Credentials dict; `config` is merged over NO_RETRIES."""
    if isinstance(creds, dict):
        creds = (creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    key, secret, *token = creds
    return boto3.session.Session().client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token[0] if token else None,
        config=NO_RETRIES.merge(config) if config else NO_RETRIES,
    )


def expect_error(call, code: str, message: str | None, status: int, **kwargs) -> dict:
    """Calls `call(**kwargs)`, which must fail with AWS's `code`, exact `message` and HTTP `status`."""
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    response = info.value.response
    error = response["Error"]
    assert error["Code"] == code, response
    if message is not None:
        assert error["Message"] == message, response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status, response
    assert response["ResponseMetadata"].get("RequestId"), response
    return response


# The HTTP status IAM's model (botocore's iam service-2.json) declares for each of its error codes.
IAM_ERROR_STATUS = {
    shape.error_code: shape.metadata["error"]["httpStatusCode"]
    for shape in botocore.session.get_session().get_service_model("iam").error_shapes
    if "error" in shape.metadata
}


def policy(*statements: dict) -> str:
    """A policy document (JSON text) of these statements."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allowing(action, resource: str = "*") -> dict:
    """The statement that allows `action` (one or a list) on `resource`."""
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def expect_iam_error(call, code: str, message: str | None, **kwargs) -> dict:
    """`expect_error` for one of IAM's modelled errors: the HTTP status must be the one the model gives `code`."""
    return expect_error(call, code, message, IAM_ERROR_STATUS[code], **kwargs)


def succeeds_once(call, code: str, message: str | None) -> None:
    """`call()` succeeds, and the same call again fails with IAM's `code` and exact `message`: a
    removal that finds nothing left to remove, or a quota the first call filled."""
    call()
    expect_iam_error(call, code, message)


def self_signed(key, cn: str, days_before: int, days_after: int) -> x509.Certificate:
    """A certificate for `key`, subject and issuer CN=`cn`, signed by `key` itself with SHA-256 and
    valid from `days_before` days ago until `days_after` days from now (either may be negative)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=days_before))
        .not_valid_after(now + datetime.timedelta(days=days_after))
        .sign(key, hashes.SHA256())
    )


def copy_seed_to(workdir: Path) -> Path:
    target = workdir / "cross-account.yaml"
    shutil.copy(SEED_CONFIG, target)
    return target
