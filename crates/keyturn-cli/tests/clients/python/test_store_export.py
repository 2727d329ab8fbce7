"""`keyturn export` from the command line: a running server's store, changed through the IAM API,
written out as a configuration that a new server (on a new, empty store) serves identically.
"""

from __future__ import annotations

import stat

import pytest
import yaml

from keyturn_e2e import KEYS, KeyturnServer, client, export_store, load_config


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    srv = KeyturnServer(tmp_path_factory.mktemp("keyturn-export-source"), load_config("e2e.yaml"))
    yield srv
    assert srv.stop() == 0, srv.output()


def users_of(iam) -> list[tuple]:
    pages = iam.get_paginator("list_users").paginate()
    return sorted((u["UserName"], u["Path"], u["Arn"], u["CreateDate"]) for page in pages for u in page["Users"])


def test_export_of_a_changed_store_seeds_a_new_server_with_the_same_model(source, tmp_path):
    admin = client("iam", source.endpoint, KEYS["root"])
    admin.create_user(UserName="exported", Path="/moved/", Tags=[{"Key": "team", "Value": "ops"}])
    admin.add_user_to_group(GroupName="developers", UserName="exported")
    admin.create_user(UserName="gone")
    admin.delete_user(UserName="gone")

    out = tmp_path / "exported.yaml"
    # The server keeps running: the export reads the store beside it.
    done = export_store(source.config_path, out)
    assert done.returncode == 0, done.stderr
    printed = done.stdout + done.stderr
    assert str(out) in printed
    assert KEYS["root"][1] not in printed, "a secret reached the terminal"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text()
    assert KEYS["root"][1] in text, "the export is the store's content, secrets included"

    copy = KeyturnServer(tmp_path / "copy", yaml.safe_load(text))
    try:
        again = client("iam", copy.endpoint, KEYS["root"])  # the root keys came with the export
        assert users_of(again) == users_of(admin)
        assert "gone" not in [u[0] for u in users_of(again)]
        assert again.list_user_tags(UserName="exported")["Tags"] == [{"Key": "team", "Value": "ops"}]
        groups = again.list_groups_for_user(UserName="exported")["Groups"]
        assert [g["GroupName"] for g in groups] == ["developers"]
        # A user made by CreateUser has no key, in the copy too (none is generated at seeding).
        assert again.list_access_keys(UserName="exported")["AccessKeyMetadata"] == []
    finally:
        assert copy.stop() == 0, copy.output()


def test_export_refuses_a_missing_store_and_creates_nothing(tmp_path):
    config = tmp_path / "keyturn.yaml"
    config.write_text(yaml.safe_dump({"store": {"sqlite": str(tmp_path / "none.db")}}))
    out = tmp_path / "out.yaml"
    done = export_store(config, out)
    assert done.returncode == 1
    assert "no store at" in done.stderr
    assert not out.exists()
    assert not (tmp_path / "none.db").exists()
