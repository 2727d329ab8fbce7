"""Keyturn's pytest plugin (entry point ``pytest11``): a real STS endpoint per test.

Fixtures:

- ``keyturn_server``: a started :class:`keyturn.Server` on a free loopback port, with an
  in-memory store, stopped after the test. Its configuration comes from the test's marker
  ``@pytest.mark.keyturn_config("path/to/keyturn.yaml")`` (relative to the test file; a dict
  works too), else the ini option ``keyturn_config`` (relative to the ini file), else Keyturn's
  seed scenario (``keyturn.SEED_CONFIG``).
- ``boto3_session``: a ``boto3.Session`` with the access key of the marker's
  ``@pytest.mark.keyturn_user("alice")`` (else the ini option ``keyturn_user``, else the first
  configured user), in the server's region. ``AWS_ENDPOINT_URL_STS`` points at the server for the
  test, so ``boto3_session.client("sts")`` talks to Keyturn.
- ``sts_client``: ``boto3_session.client("sts", endpoint_url=keyturn_server.endpoint_url)``.
- ``keyturn_moto``: a started moto-compatible :class:`keyturn.Server` (``compat="moto"``: account
  ``123456789012``, moto's ``testing`` keys act as its root, docs/moto.md), with
  ``AWS_ENDPOINT_URL``, ``AWS_ENDPOINT_URL_IAM`` and ``AWS_ENDPOINT_URL_STS`` pointing at it and
  moto's default credentials and region in the environment for the test: plain
  ``boto3.client("iam")`` calls reach Keyturn.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Union

import pytest

from keyturn import SEED_CONFIG, Server

if TYPE_CHECKING:
    import boto3  # type: ignore[import-untyped, unused-ignore]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "keyturn_config",
        "Keyturn configuration file for the keyturn_server fixture (default: the seed scenario)",
        default=None,
    )
    parser.addini(
        "keyturn_user",
        "configured user whose access key boto3_session uses (default: the first user)",
        default=None,
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "keyturn_config(path_or_dict): the Keyturn configuration of this test's keyturn_server",
    )
    config.addinivalue_line(
        "markers",
        "keyturn_user(name): the configured user whose key boto3_session and sts_client use",
    )


def _config_source(request: pytest.FixtureRequest) -> Union[str, Path, Any]:
    marker = request.node.get_closest_marker("keyturn_config")
    if marker is not None:
        if not marker.args:
            raise pytest.UsageError("keyturn_config needs a path or a dict")
        source = marker.args[0]
        if isinstance(source, (str, os.PathLike)):
            path = Path(source)
            if not path.is_absolute():
                path = Path(request.node.path).parent / path
            return path
        return source
    ini = request.config.getini("keyturn_config")
    if ini:
        path = Path(ini)
        if not path.is_absolute():
            base = request.config.inipath.parent if request.config.inipath else request.config.rootpath
            path = base / path
        return path
    return SEED_CONFIG


@pytest.fixture
def keyturn_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """A started Keyturn server (ephemeral store), stopped after the test."""
    with Server(_config_source(request)) as server:
        yield server


@pytest.fixture
def boto3_session(
    keyturn_server: Server, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> "boto3.Session":
    """A boto3 session with a configured user's access key, its STS endpoint the server."""
    import boto3  # type: ignore[import-untyped, unused-ignore]

    marker = request.node.get_closest_marker("keyturn_user")
    user = marker.args[0] if marker is not None and marker.args else request.config.getini("keyturn_user")
    if not user:
        users = keyturn_server.engine.users
        if not users:
            raise pytest.UsageError("the Keyturn configuration has no users for boto3_session")
        user = users[0]
    creds = keyturn_server.credentials(user)
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", keyturn_server.endpoint_url)
    return boto3.Session(region_name=keyturn_server.region, **creds.boto3_kwargs())


@pytest.fixture
def sts_client(boto3_session: "boto3.Session", keyturn_server: Server) -> Any:
    """An STS client of ``boto3_session`` bound to the server."""
    return boto3_session.client("sts", endpoint_url=keyturn_server.endpoint_url)


#: The environment a test written for moto runs in: its default credentials and region.
MOTO_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture
def keyturn_moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """A started moto-compatible server; boto3's endpoint variables point at it during the test."""
    with Server(compat="moto") as server:
        for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_STS"):
            monkeypatch.setenv(name, server.endpoint_url)
        for name, value in MOTO_ENVIRONMENT.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
        monkeypatch.delenv("AWS_PROFILE", raising=False)
        yield server
