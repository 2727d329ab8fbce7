"""What `keyturn serve` prints at start: a configuration file's secrets never (docs/configuration.md),
only their key ids; a key generated at start once, since nothing else shows it; the built-in
example scenario's secrets, which the README publishes."""

from __future__ import annotations

import time

from keyturn_e2e import KEYS, KeyturnServer, client, load_config

SEED_ALICE = ("AKIATHPL2AOHFJCVQTKQ", "KeyturnExampleSecretKey/alice/0000000000")


def banner_of(srv: KeyturnServer) -> str:
    # The banner is written before the first request is answered; wait for its last part.
    deadline = time.monotonic() + 10
    while "Try:" not in srv.output() and time.monotonic() < deadline:
        time.sleep(0.05)
    return srv.output()


def test_a_files_secrets_are_not_printed_and_a_generated_key_is(tmp_path):
    config = load_config("e2e.yaml")
    # A user without `access_keys` gets a key generated at start.
    config["accounts"][0]["users"].append({"name": "fresh"})
    srv = KeyturnServer(tmp_path, config)
    try:
        out = banner_of(srv)
        auditor_id, auditor_secret = KEYS["auditor"]
        assert f"AWS_ACCESS_KEY_ID={auditor_id} (its secret as configured)" in out
        for key_id, secret in KEYS.values():
            assert secret not in out, f"the secret of {key_id} is printed"
        # The generated key's secret is printed, and it works.
        lines = out.splitlines()
        at = next(i for i, line in enumerate(lines) if line.strip().endswith(":user/fresh"))
        key_id = lines[at + 1].split("=", 1)[1]
        secret = lines[at + 2].split("=", 1)[1]
        assert key_id.startswith("AKIA") and len(secret) == 40
        me = client("sts", srv.endpoint, (key_id, secret)).get_caller_identity()
        assert me["Arn"].endswith(":user/fresh")
        # The command to paste uses that key, the only one whose secret is shown.
        assert f"AWS_ACCESS_KEY_ID={key_id} AWS_SECRET_ACCESS_KEY={secret} aws --endpoint-url" in out
    finally:
        assert srv.stop() == 0, srv.output()


def test_the_built_in_scenarios_secrets_are_printed(tmp_path):
    srv = KeyturnServer(tmp_path, None)
    try:
        out = banner_of(srv)
        assert f"AWS_ACCESS_KEY_ID={SEED_ALICE[0]}\n    AWS_SECRET_ACCESS_KEY={SEED_ALICE[1]}" in out
    finally:
        assert srv.stop() == 0, srv.output()
