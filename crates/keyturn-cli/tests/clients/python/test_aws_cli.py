"""AWS CLI v1 (from the venv) with profiles: role_arn + source_profile + mfa_serial, and a chain."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from keyturn_e2e import KEYS, PROD, REGION, mfa_serial, role_arn, totp_for

AWS = Path(sys.executable).parent / "aws"


@pytest.fixture
def aws_cli(endpoint, tmp_path):
    config = tmp_path / "config"
    config.write_text(
        f"""[default]
region = {REGION}

[profile frank]
region = {REGION}

[profile prod-mfa]
role_arn = {role_arn("UpdateAppMfa")}
source_profile = frank
mfa_serial = {mfa_serial("frank")}
region = {REGION}

[profile alice]
region = {REGION}

[profile hop1]
role_arn = {role_arn("ChainA")}
source_profile = alice
role_session_name = cli-hop1

[profile hop2]
role_arn = {role_arn("ChainB")}
source_profile = hop1
role_session_name = cli-hop2
"""
    )
    credentials = tmp_path / "credentials"
    credentials.write_text(
        f"""[frank]
aws_access_key_id = {KEYS["frank"][0]}
aws_secret_access_key = {KEYS["frank"][1]}

[alice]
aws_access_key_id = {KEYS["alice"][0]}
aws_secret_access_key = {KEYS["alice"][1]}
"""
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        HOME=str(tmp_path),
        AWS_CONFIG_FILE=str(config),
        AWS_SHARED_CREDENTIALS_FILE=str(credentials),
        AWS_ENDPOINT_URL_STS=endpoint,
        AWS_ENDPOINT_URL=endpoint,
        AWS_DEFAULT_REGION=REGION,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_MAX_ATTEMPTS="1",
        AWS_PAGER="",
    )

    def run(*args, stdin: str = ""):
        # A new session has no controlling terminal, so the MFA prompt reads standard input.
        return subprocess.run(
            [str(AWS), *args, "--output", "json"],
            input=stdin, capture_output=True, text=True, env=env, timeout=120, start_new_session=True,
        )

    return run


def test_cli_version_is_v1(aws_cli):
    out = aws_cli("--version")
    assert out.returncode == 0, out.stderr
    assert (out.stdout + out.stderr).startswith("aws-cli/1."), out


def test_cli_role_profile_with_mfa_prompt(aws_cli):
    out = aws_cli("sts", "get-caller-identity", "--profile", "prod-mfa", stdin=totp_for("frank") + "\n")
    assert out.returncode == 0, out.stderr
    ident = json.loads(out.stdout)
    assert ident["Account"] == PROD
    assert ident["Arn"].startswith(f"arn:aws:sts::{PROD}:assumed-role/UpdateAppMfa/"), ident
    assert "MFA code" in out.stderr or "mfa" in out.stderr.lower(), out.stderr


def test_cli_chained_profile(aws_cli):
    out = aws_cli("sts", "get-caller-identity", "--profile", "hop2")
    assert out.returncode == 0, out.stderr
    ident = json.loads(out.stdout)
    assert ident["Arn"] == f"arn:aws:sts::{PROD}:assumed-role/ChainB/cli-hop2", ident


def test_cli_plain_user_and_error_exit_code(aws_cli):
    out = aws_cli("sts", "get-caller-identity", "--profile", "alice")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["Arn"] == "arn:aws:iam::222222222222:user/alice"
    denied = aws_cli(
        "sts", "assume-role", "--profile", "alice",
        "--role-arn", role_arn("NoTrustRole"), "--role-session-name", "cli-denied",
    )
    assert denied.returncode == 255, denied  # the AWS CLI v1's status for a service error
    assert "An error occurred (AccessDenied) when calling the AssumeRole operation: User: " in denied.stderr


def test_cli_simulate_principal_policy(aws_cli):
    out = aws_cli(
        "iam", "simulate-principal-policy", "--profile", "hop1",
        "--policy-source-arn", role_arn("ChainA"),
        "--action-names", "sts:AssumeRole", "s3:GetObject",
        "--resource-arns", role_arn("ChainB"),
    )
    assert out.returncode == 0, out.stderr
    results = {r["EvalActionName"]: r["EvalDecision"] for r in json.loads(out.stdout)["EvaluationResults"]}
    assert results == {"sts:AssumeRole": "allowed", "s3:GetObject": "implicitDeny"}
