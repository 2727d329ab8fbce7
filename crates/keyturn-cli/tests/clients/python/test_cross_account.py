"""The seed scenario's flow with boto3: a developer assumes a production role and uses it."""

from __future__ import annotations

import json
import re
import stat
import time
from datetime import datetime, timezone


from keyturn_e2e import DEV, KEYS, PROD, KeyturnServer, client, role_arn, user_arn


def assume_update_app(sts, session_name="e2e-deploy", **kwargs):
    return sts("alice").assume_role(RoleArn=role_arn("UpdateApp"), RoleSessionName=session_name, **kwargs)


def test_caller_identity_of_a_user(sts):
    ident = sts("alice").get_caller_identity()
    assert ident["Account"] == DEV
    assert ident["Arn"] == user_arn("alice")
    assert re.fullmatch(r"AIDA[A-Z2-7]{17}", ident["UserId"]), ident
    assert ident["ResponseMetadata"]["RequestId"]
    assert ident["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"] == ident["ResponseMetadata"]["RequestId"]


def test_assume_role_cross_account_then_caller_identity(sts):
    before = datetime.now(timezone.utc)
    out = assume_update_app(sts)
    creds = out["Credentials"]
    assert re.fullmatch(r"ASIA[A-Z2-7]{16}", creds["AccessKeyId"]), creds["AccessKeyId"]
    assert creds["SecretAccessKey"] and creds["SessionToken"]
    # Default duration: one hour (second precision on the wire).
    lifetime = (creds["Expiration"] - before).total_seconds()
    assert 3595 <= lifetime <= 3605, creds["Expiration"]
    user = out["AssumedRoleUser"]
    assert user["Arn"] == f"arn:aws:sts::{PROD}:assumed-role/UpdateApp/e2e-deploy"
    assert re.fullmatch(r"AROA[A-Z2-7]{17}:e2e-deploy", user["AssumedRoleId"]), user

    ident = sts(creds).get_caller_identity()
    assert ident["Account"] == PROD
    assert ident["Arn"] == user["Arn"]
    assert ident["UserId"] == user["AssumedRoleId"]


def test_same_role_keeps_its_unique_id_across_sessions(sts):
    first = assume_update_app(sts, "session-one")["AssumedRoleUser"]["AssumedRoleId"]
    second = assume_update_app(sts, "session-two")["AssumedRoleUser"]["AssumedRoleId"]
    assert first.split(":")[0] == second.split(":")[0]
    assert first.endswith(":session-one") and second.endswith(":session-two")


def test_each_session_gets_fresh_credentials(sts):
    a = assume_update_app(sts)["Credentials"]
    b = assume_update_app(sts)["Credentials"]
    assert a["AccessKeyId"] != b["AccessKeyId"]
    assert a["SessionToken"] != b["SessionToken"]


def test_simulate_principal_policy_allows_the_bucket_action_and_denies_another(sts, iam):
    creds = assume_update_app(sts)["Credentials"]
    result = iam(creds).simulate_principal_policy(
        PolicySourceArn=role_arn("UpdateApp"),
        ActionNames=["s3:PutObject", "s3:DeleteObject"],
        ResourceArns=["arn:aws:s3:::productionapp/releases/app.tar.gz"],
    )
    by_action = {r["EvalActionName"]: r for r in result["EvaluationResults"]}
    assert set(by_action) == {"s3:PutObject", "s3:DeleteObject"}
    put = by_action["s3:PutObject"]
    assert put["EvalDecision"] == "allowed", put
    assert put["EvalResourceName"] == "arn:aws:s3:::productionapp/releases/app.tar.gz"
    assert any(
        m["SourcePolicyId"].endswith("AppBucketReadWrite") or "AppBucketReadWrite" in m["SourcePolicyId"]
        for m in put["MatchedStatements"]
    ), put["MatchedStatements"]
    delete = by_action["s3:DeleteObject"]
    assert delete["EvalDecision"] == "implicitDeny", delete
    assert delete["MatchedStatements"] == []
    assert result["IsTruncated"] is False


def test_simulate_custom_policy(sts, iam):
    creds = assume_update_app(sts)["Credentials"]
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::productionapp/*"},
                {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::productionapp/secret/*"},
            ],
        }
    )
    result = iam(creds).simulate_custom_policy(
        PolicyInputList=[policy],
        ActionNames=["s3:GetObject"],
        ResourceArns=["arn:aws:s3:::productionapp/public/a", "arn:aws:s3:::productionapp/secret/b"],
    )
    decisions = {r["EvalResourceName"]: r["EvalDecision"] for r in result["EvaluationResults"]}
    assert decisions == {
        "arn:aws:s3:::productionapp/public/a": "allowed",
        "arn:aws:s3:::productionapp/secret/b": "explicitDeny",
    }


def test_get_access_key_info_reads_the_account_from_the_key_id(sts):
    alice = sts("alice")
    assert alice.get_access_key_info(AccessKeyId=KEYS["alice"][0])["Account"] == DEV
    temporary = assume_update_app(sts)["Credentials"]["AccessKeyId"]
    assert alice.get_access_key_info(AccessKeyId=temporary)["Account"] == PROD
    # The public examples of AWS's key id encoding.
    assert alice.get_access_key_info(AccessKeyId="ASIAY34FZKBOKMUTVV7A")["Account"] == "609629065308"
    assert alice.get_access_key_info(AccessKeyId="AKIA6RVFFB77RE7OLMKI")["Account"] == "999999999999"


def test_audit_log_records_the_flow_without_secrets(server, sts):
    out = assume_update_app(sts, "audited-session")
    request_id = out["ResponseMetadata"]["RequestId"]
    creds = out["Credentials"]
    deadline = time.monotonic() + 5
    events = []
    while time.monotonic() < deadline:
        lines = server.audit_path.read_text().splitlines() if server.audit_path.exists() else []
        events = [json.loads(line) for line in lines if line.strip()]
        if any(e.get("requestID") == request_id for e in events):
            break
        time.sleep(0.1)
    [event] = [e for e in events if e.get("requestID") == request_id]
    assert event["eventName"] == "AssumeRole"
    assert event["eventSource"] == "sts.amazonaws.com"
    assert event["awsRegion"] == "us-east-1"
    assert event["sourceIPAddress"] == "127.0.0.1"
    assert event["userIdentity"]["arn"] == user_arn("alice")
    assert event["requestParameters"]["roleSessionName"] == "audited-session"
    text = server.audit_path.read_text()
    for secret in [KEYS["alice"][1], creds["SecretAccessKey"], creds["SessionToken"]]:
        assert secret not in text


def test_serve_without_config_runs_the_seed_scenario(tmp_path):
    """`keyturn serve` alone: the README's first command, with its data under ./keyturn-data."""
    srv = KeyturnServer(tmp_path / "seed", None)
    try:
        alice = client("sts", srv.endpoint, KEYS["alice"])
        out = alice.assume_role(RoleArn=role_arn("UpdateApp"), RoleSessionName="seed")
        ident = client("sts", srv.endpoint, out["Credentials"]).get_caller_identity()
        assert ident["Arn"] == f"arn:aws:sts::{PROD}:assumed-role/UpdateApp/seed"
        printed = srv.output()
        assert f"127.0.0.1:{srv.port}" in printed, printed
        assert KEYS["alice"][0] in printed, printed
        assert "aws " in printed and "sts" in printed, printed
        keyring = srv.workdir / "keyturn-data" / "keyring.json"
        assert keyring.is_file()
        assert stat.S_IMODE(keyring.stat().st_mode) == 0o600
    finally:
        assert srv.stop() == 0, srv.output()


def test_restart_keeps_issued_credentials_valid(tmp_path):
    """Session tokens are sealed with the persisted keyring: a restarted server accepts them."""
    seed = tmp_path / "restart"
    first = KeyturnServer(seed, None)
    try:
        out = client("sts", first.endpoint, KEYS["alice"]).assume_role(
            RoleArn=role_arn("UpdateApp"), RoleSessionName="before-restart"
        )
    finally:
        first.stop()
    second = KeyturnServer(seed, None)
    try:
        ident = client("sts", second.endpoint, out["Credentials"]).get_caller_identity()
        assert ident["Arn"] == f"arn:aws:sts::{PROD}:assumed-role/UpdateApp/before-restart"
    finally:
        second.stop()
