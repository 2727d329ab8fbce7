"""pytest fixtures: one `keyturn serve` per session on the e2e configuration, and clients for it."""

from __future__ import annotations

import os

import pytest

from keyturn_e2e import KEYS, KeyturnServer, client, load_config

# The suites never read the developer's own AWS configuration or an instance metadata service.
for _name in [n for n in os.environ if n.startswith("AWS_")]:
    del os.environ[_name]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

# How far in the past the second server's clock runs (see `past_server`).
PAST_OFFSET_SECONDS = -7200


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The main server: configs/e2e.yaml, SQLite store and keyring in a temporary directory."""
    srv = KeyturnServer(tmp_path_factory.mktemp("keyturn"), load_config("e2e.yaml"))
    yield srv
    code = srv.stop()
    assert code == 0, f"keyturn serve exited with {code} on SIGTERM:\n{srv.output()}"


@pytest.fixture(scope="session")
def past_server(server, tmp_path_factory):
    """A second server sharing the main server's keyring, whose clock runs two hours behind.

    Credentials it issues are already expired for the main server; the engine's test clock is
    set with KEYTURN_TEST_CLOCK_OFFSET (seconds, may be negative).
    """
    config = load_config("e2e.yaml")
    config["keyring"] = str(server.workdir / "keyring.json")
    config["store"] = {"memory": True}
    srv = KeyturnServer(
        tmp_path_factory.mktemp("keyturn-past"), config, env={"KEYTURN_TEST_CLOCK_OFFSET": str(PAST_OFFSET_SECONDS)}
    )
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def fresh(tmp_path_factory, request):
    """A server of the test module's own, on configs/e2e.yaml with a new SQLite store: for the
    suites that change the IAM model (the shared server's world stays as configs/e2e.yaml has it)."""
    name = request.module.__name__.removeprefix("test_iam_").removeprefix("test_")
    srv = KeyturnServer(tmp_path_factory.mktemp(f"keyturn-{name}"), load_config("e2e.yaml"))
    yield srv
    assert srv.stop() == 0, srv.output()


@pytest.fixture
def admin(fresh, request):
    """An IAM client on `fresh` as an account's root: the key the module names in `ADMIN_KEY`
    (`root`, the development account's, when it names none)."""
    return client("iam", fresh.endpoint, KEYS[getattr(request.module, "ADMIN_KEY", "root")])


@pytest.fixture(scope="session")
def endpoint(server):
    return server.endpoint


@pytest.fixture
def sts(endpoint):
    """`sts("alice")`, `sts(("AKIA…", "secret"))` or `sts(credentials_dict)`: an STS client."""

    def make(who):
        return client("sts", endpoint, KEYS[who] if isinstance(who, str) else who)

    return make


@pytest.fixture
def iam(endpoint):
    """An IAM client for the policy simulator, same conventions as `sts`."""

    def make(who):
        return client("iam", endpoint, KEYS[who] if isinstance(who, str) else who)

    return make
