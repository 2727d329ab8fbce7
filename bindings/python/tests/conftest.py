"""Shared fixtures of the binding's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import keyturn

pytest_plugins = ["pytester"]

HERE = Path(__file__).parent
TEAM = HERE / "configs" / "team.yaml"
REPO = HERE.parents[2]
UPDATE_APP = "arn:aws:iam::111111111111:role/UpdateApp"
UPDATE_APP_MFA = "arn:aws:iam::111111111111:role/UpdateAppMfa"
MFA_SEED = "JBSWY3DPEHPK3PXP"
MFA_SERIAL = "arn:aws:iam::222222222222:mfa/alice"


@pytest.fixture
def engine() -> keyturn.Engine:
    return keyturn.Engine(TEAM, ephemeral=True)


@pytest.fixture
def alice(engine: keyturn.Engine) -> keyturn.Credentials:
    return engine.credentials("alice")


@pytest.fixture
def auditor(engine: keyturn.Engine) -> keyturn.Credentials:
    return engine.credentials("auditor")


@pytest.fixture
def deploy(engine: keyturn.Engine, alice: keyturn.Credentials) -> keyturn.Credentials:
    return engine.assume_role(alice, UPDATE_APP, "deploy")
