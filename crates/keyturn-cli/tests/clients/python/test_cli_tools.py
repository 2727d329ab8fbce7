"""The command line for what people do by hand (issue 15 §2 and §5): `keyturn analyze`, `keyturn
token inspect`, `keyturn mfa code`, `keyturn policy simulate`, `keyturn completions` and their
`--format json` / `--output json`, run as a user runs them, against a running server's files."""

from __future__ import annotations

import json
import subprocess
import time

import pytest
import yaml

from keyturn_e2e import (
    DEV,
    KEYS,
    MFA_SEEDS,
    PROD,
    KeyturnServer,
    client,
    keyturn_bin,
    load_config,
    mfa_serial,
    role_arn,
    totp,
    user_arn,
)


def keyturn(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(keyturn_bin()), *args], capture_output=True, text=True, timeout=120, input=stdin
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = KeyturnServer(tmp_path_factory.mktemp("keyturn-cli-tools"), load_config("e2e.yaml"))
    yield srv
    assert srv.stop() == 0, srv.output()


def write_config(path, roles: list[dict], **account) -> str:
    config = {
        "store": {"memory": True},
        "keyring": str(path.parent / "keyring.json"),
        "accounts": [{"id": PROD, "roles": roles, **account}],
    }
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return str(path)


GITHUB = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"


def github_role(name: str, sub: str | None) -> dict:
    condition = {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}
    if sub is not None:
        condition["StringLike"] = {"token.actions.githubusercontent.com:sub": sub}
    return {
        "name": name,
        "trust_policy": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": GITHUB},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": condition,
                }
            ],
        },
    }


PROVIDERS = {
    "oidc_providers": [{"url": "https://token.actions.githubusercontent.com", "client_ids": ["sts.amazonaws.com"]}]
}


# --- keyturn analyze ------------------------------------------------------------------------


def test_analyze_fails_ci_on_github_trust_without_sub_and_prints_json(tmp_path):
    config = write_config(
        tmp_path / "k.yaml", [github_role("Deploy", None), github_role("Safe", "repo:octo/app:*")], **PROVIDERS
    )
    for level in ("critical", "high", "info"):
        done = keyturn("analyze", "--config", config, "--fail-on", level)
        assert done.returncode == 1, (level, done)
        assert f"at or above {level}" in done.stderr
    done = keyturn("analyze", "--config", config, "--format", "json")
    assert done.returncode == 0, done.stderr  # no --fail-on: report only
    doc = json.loads(done.stdout)
    assert set(doc) == {"summary", "findings", "graph"}
    assert doc["summary"] == {"critical": 1, "high": 0, "medium": 0, "low": 0, "info": 2}
    critical = [f for f in doc["findings"] if f["severity"] == "critical"]
    assert critical == [
        {
            "severity": "critical",
            "kind": "federated-without-subject",
            "role": "arn:aws:iam::111111111111:role/Deploy",
            "principal": GITHUB,
            "statement": {"index": 0},
            "conditions": [
                {
                    "operator": "StringEquals",
                    "key": "token.actions.githubusercontent.com:aud",
                    "values": ["sts.amazonaws.com"],
                    "gate": "audience",
                }
            ],
            "message": critical[0]["message"],
        }
    ]
    assert "any workflow of any GitHub repository" in critical[0]["message"]
    # The findings are sorted most serious first; the graph has the provider and both roles.
    assert doc["findings"][0]["severity"] == "critical"
    ids = {n["id"]: n for n in doc["graph"]["nodes"]}
    assert ids[GITHUB]["kind"] == "oidc-provider" and ids[GITHUB]["in_model"] is True
    safe = [e for e in doc["graph"]["edges"] if e["to"].endswith("role/Safe")]
    assert [(e["from"], e["evidence"], e["actions"]) for e in safe] == [
        (GITHUB, "trust", ["sts:AssumeRoleWithWebIdentity"])
    ]
    assert sorted(c["gate"] for c in safe[0]["trust"]["conditions"]) == ["audience", "subject"]
    # --output is the same option.
    assert json.loads(keyturn("analyze", "--config", config, "--output", "json").stdout) == doc


def test_analyze_table_and_clean_model(tmp_path):
    config = write_config(tmp_path / "k.yaml", [github_role("Deploy", None)], **PROVIDERS)
    done = keyturn("analyze", "--config", config)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["SEVERITY", "FINDING", "ROLE", "PRINCIPAL", "CONDITIONS", "WHY"]
    assert lines[1].split()[:4] == ["critical", "federated-without-subject", "arn:aws:iam::111111111111:role/Deploy", GITHUB]
    assert lines[-1] == "2 finding(s): 1 critical, 1 info"

    service = {
        "name": "Ec2",
        "trust_policy": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
        },
    }
    clean = write_config(tmp_path / "clean.yaml", [service])
    done = keyturn("analyze", "--config", clean, "--fail-on", "info")
    assert done.returncode == 0, done
    assert done.stdout.startswith("No findings")


def test_analyze_refuses_bad_input(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("accounts: [{id: nope}]\n")
    done = keyturn("analyze", "--config", str(bad))
    assert done.returncode == 2 and done.stderr.startswith("error:"), done
    done = keyturn("analyze", "--fail-on", "severe")
    assert done.returncode == 2 and "unknown severity `severe`" in done.stderr, done


def test_analyze_reads_the_running_servers_store(server):
    # A role created through the IAM API is in the store, not in the configuration file.
    iam = client("iam", server.endpoint, KEYS["prod-root"])
    iam.create_role(
        RoleName="OpenToAll",
        AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
        ),
    )
    done = keyturn("analyze", "--config", str(server.config_path), "--format", "json", "--fail-on", "critical")
    assert done.returncode == 1, done
    doc = json.loads(done.stdout)
    public = [(f["kind"], f["role"], f["principal"]) for f in doc["findings"] if f["severity"] == "critical"]
    assert public == [("public-trust", role_arn("OpenToAll"), "*")]
    # The seed's edge from the developers group to UpdateAppMfa, with its MFA condition.
    edges = [
        e
        for e in doc["graph"]["edges"]
        if e["from"] == f"arn:aws:iam::{DEV}:group/developers" and e["to"] == role_arn("UpdateAppMfa")
    ]
    assert len(edges) == 1 and edges[0]["evidence"] == "trust-and-identity"
    assert [c["gate"] for c in edges[0]["trust"]["conditions"]] == ["mfa"]
    assert edges[0]["identity"]["policy"] == "assume-production-roles"


# --- keyturn mfa code -----------------------------------------------------------------------


def fresh_step() -> None:
    """Waits out the end of a TOTP step so that a code is used within the step it was made in."""
    if 30 - time.time() % 30 < 3:
        time.sleep(3.2)


def test_mfa_code_is_accepted_by_get_session_token(server):
    fresh_step()
    done = keyturn("mfa", "code", "alice", "--config", str(server.config_path))
    assert done.returncode == 0, done
    code = done.stdout.strip()
    assert code == totp(MFA_SEEDS["alice"])
    sts = client("sts", server.endpoint, KEYS["alice"])
    creds = sts.get_session_token(SerialNumber=mfa_serial("alice"), TokenCode=code)["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")

    as_json = json.loads(keyturn("mfa", "code", f"{DEV}/alice", "--config", str(server.config_path), "--format", "json").stdout)
    assert as_json["user"] == user_arn("alice")
    assert as_json["serial_number"] == mfa_serial("alice")
    assert len(as_json["code"]) == 6 and 1 <= as_json["valid_for_seconds"] <= 30
    assert MFA_SEEDS["alice"] not in json.dumps(as_json)


def test_mfa_code_refuses_unknown_users_and_devices(server):
    done = keyturn("mfa", "code", "nobody", "--config", str(server.config_path))
    assert (done.returncode, done.stderr) == (1, "error: no user `nobody` in the model\n")
    done = keyturn("mfa", "code", "bob", "--config", str(server.config_path))
    assert (done.returncode, done.stderr) == (1, "error: user `bob` has no virtual MFA device\n")
    done = keyturn("mfa", "code", "alice", "--device", "other", "--config", str(server.config_path))
    assert done.returncode == 1 and "no virtual MFA device `other`" in done.stderr


# --- keyturn token inspect ------------------------------------------------------------------


def test_token_inspect_shows_claims_and_never_the_secret(server):
    sts = client("sts", server.endpoint, KEYS["alice"])
    creds = sts.assume_role(
        RoleArn=role_arn("TagRole", "/tagging/"),
        RoleSessionName="inspect-me",
        SourceIdentity="alice-laptop",
        Tags=[{"Key": "project", "Value": "keyturn"}],
        TransitiveTagKeys=["project"],
    )["Credentials"]
    token, secret = creds["SessionToken"], creds["SecretAccessKey"]

    done = keyturn("token", "inspect", token, "--config", str(server.config_path), "--format", "json")
    assert done.returncode == 0, done
    assert secret not in done.stdout + done.stderr
    claims = json.loads(done.stdout)
    assert claims["access_key_id"] == creds["AccessKeyId"]
    assert claims["principal_type"] == "AssumedRole"
    assert claims["arn"] == f"arn:aws:sts::{PROD}:assumed-role/TagRole/inspect-me"
    assert claims["account"] == PROD
    assert claims["expired"] is False
    assert claims["expires_at"] == creds["Expiration"].strftime("%Y-%m-%dT%H:%M:%SZ")
    assert claims["source_identity"] == "alice-laptop"
    assert claims["tags"] == [{"key": "project", "value": "keyturn"}]
    assert claims["transitive_tag_keys"] == ["project"]
    assert claims["caller_arn"] == user_arn("alice")
    assert "secret" not in " ".join(claims).lower()

    table = keyturn("token", "inspect", "-", "--config", str(server.config_path), stdin=token + "\n")
    assert table.returncode == 0, table
    assert secret not in table.stdout + table.stderr
    rows = dict(line.split(None, 1) if " " in line else (line, "") for line in table.stdout.splitlines()[1:])
    assert "assumed-role/TagRole/inspect-me" in table.stdout
    assert "project=keyturn" in table.stdout
    assert rows  # a table of claims


def test_token_inspect_refuses_what_the_keyring_did_not_seal(server, tmp_path):
    done = keyturn("token", "inspect", "bm90IGEgdG9rZW4=", "--config", str(server.config_path))
    assert done.returncode == 1
    assert done.stderr == (
        "error: InvalidClientTokenId: The security token included in the request is invalid. "
        "(not a session token sealed by this keyring)\n"
    )
    # Another keyring (a fresh configuration's) cannot open the server's tokens.
    sts = client("sts", server.endpoint, KEYS["alice"])
    token = sts.assume_role(RoleArn=role_arn("UpdateApp"), RoleSessionName="s1")["Credentials"]["SessionToken"]
    other = KeyturnServer(tmp_path / "other", load_config("e2e.yaml"))
    try:
        done = keyturn("token", "inspect", token, "--config", str(other.config_path))
        assert done.returncode == 1 and "InvalidClientTokenId" in done.stderr
    finally:
        assert other.stop() == 0
    missing = tmp_path / "nokeyring.yaml"
    missing.write_text(yaml.safe_dump({"keyring": str(tmp_path / "absent.json"), "accounts": []}))
    done = keyturn("token", "inspect", token, "--config", str(missing))
    assert done.returncode == 2 and "keyring" in done.stderr


# --- keyturn policy simulate ----------------------------------------------------------------


def test_policy_simulate_decides_like_simulate_principal_policy(server):
    cfg = str(server.config_path)
    done = keyturn(
        "policy", "simulate", "--config", cfg,
        "--principal", role_arn("UpdateApp"),
        "--action", "s3:GetObject", "--action", "s3:DeleteObject",
        "--resource", "arn:aws:s3:::productionapp/report.csv",
        "--format", "json",
    )  # fmt: skip
    assert done.returncode == 1, done  # one action is denied
    results = json.loads(done.stdout)
    assert [(r["action"], r["decision"]) for r in results] == [
        ("s3:GetObject", "allowed"),
        ("s3:DeleteObject", "implicitDeny"),
    ]
    assert [s["policy"] for s in results[0]["matched_statements"]] == ["AppBucketReadWrite"]
    assert results[1]["matched_statements"] == []

    # The same answers as the IAM API gives.
    iam = client("iam", server.endpoint, KEYS["prod-root"])
    api = iam.simulate_principal_policy(
        PolicySourceArn=role_arn("UpdateApp"),
        ActionNames=["s3:GetObject", "s3:DeleteObject"],
        ResourceArns=["arn:aws:s3:::productionapp/report.csv"],
    )["EvaluationResults"]
    assert [(r["EvalActionName"], r["EvalDecision"]) for r in api] == [(r["action"], r["decision"]) for r in results]

    table = keyturn(
        "policy", "simulate", "--config", cfg, "--principal", user_arn("alice"),
        "--action", "sts:AssumeRole", "--resource", role_arn("UpdateAppMfa"),
        "--context", "aws:MultiFactorAuthPresent=boolean:true",
    )  # fmt: skip
    assert table.returncode == 0, table
    header, row = table.stdout.splitlines()
    assert header.split() == ["ACTION", "RESOURCE", "DECISION", "DECIDED", "BY", "MISSING", "CONTEXT"]
    assert row.split()[:3] == ["sts:AssumeRole", role_arn("UpdateAppMfa"), "allowed"]
    assert "group_developers_assume-production-roles" in row


def test_policy_simulate_refuses_bad_input(server):
    cfg = str(server.config_path)
    done = keyturn("policy", "simulate", "--config", cfg, "--principal", user_arn("nobody"), "--action", "s3:GetObject")
    assert done.returncode == 2 and "NoSuchEntity" in done.stderr, done
    done = keyturn(
        "policy", "simulate", "--config", cfg, "--principal", user_arn("alice"),
        "--action", "s3:GetObject", "--context", "aws:SourceIp=address:10.0.0.1",
    )  # fmt: skip
    assert done.returncode == 2 and "expected KEY=TYPE:VALUE" in done.stderr, done
    done = keyturn("policy", "simulate", "--config", cfg, "--principal", "alice", "--action", "s3:GetObject")
    assert done.returncode == 2 and done.stderr.startswith("error:"), done


# --- keyturn completions --------------------------------------------------------------------


@pytest.mark.parametrize("shell,marker", [("bash", "complete -F"), ("zsh", "#compdef keyturn"), ("fish", "complete -c keyturn")])
def test_completions(shell, marker):
    done = keyturn("completions", shell)
    assert done.returncode == 0, done
    assert marker in done.stdout
    for word in ("analyze", "simulate", "inspect", "fail-on"):
        assert word in done.stdout, (shell, word)


def test_completions_refuse_an_unknown_shell():
    done = keyturn("completions", "tcsh")
    assert done.returncode == 2 and "invalid value 'tcsh'" in done.stderr
