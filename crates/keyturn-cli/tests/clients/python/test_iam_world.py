"""The seed scenario built entirely through the IAM API, on an empty SQLite store, and again after a
restart: nothing is configured but two accounts' root keys.

Production (111111111111) gets a managed policy with two versions, a role `UpdateApp` whose trust
policy admits the development account with MFA, a permissions boundary and an inline policy; the
development account (222222222222) gets a group with an inline policy that lets its members assume
`UpdateApp`, a user `alice` in it with an access key and a virtual MFA device enabled with two real
codes. Then alice assumes `UpdateApp` with MFA, across accounts, and the session may do what the
role's policies and boundary allow, and nothing else.
"""

from __future__ import annotations

import base64
import json
import time

import pytest

from keyturn_e2e import DEV, KEYS, PROD, KeyturnServer, client, expect_error, totp

WORLD = {
    "accounts": [
        {"id": PROD, "root": {"access_keys": [{"id": KEYS["prod-root"][0], "secret": KEYS["prod-root"][1]}]}},
        {"id": DEV, "root": {"access_keys": [{"id": KEYS["root"][0], "secret": KEYS["root"][1]}]}},
    ]
}

BUCKET = "arn:aws:s3:::productionapp"


def doc(statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def allow(action, resource="*", **extra) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("keyturn-world")


def wait_for_next_step() -> None:
    """Sleeps into the next 30-second TOTP step (the codes up to the next step's are spent)."""
    time.sleep(30 - time.time() % 30 + 0.5)


def build_world(endpoint: str) -> dict:
    prod = client("iam", endpoint, KEYS["prod-root"])
    dev = client("iam", endpoint, KEYS["root"])

    # Production: a managed policy with a second version as its default, a boundary, the role.
    policy = prod.create_policy(
        PolicyName="AppBucketReadWrite",
        PolicyDocument=doc([allow("s3:GetObject", f"{BUCKET}/*")]),
        Description="read (v1), then read and write (v2)",
    )["Policy"]
    prod.create_policy_version(
        PolicyArn=policy["Arn"],
        PolicyDocument=doc([allow(["s3:GetObject", "s3:PutObject"], f"{BUCKET}/*")]),
        SetAsDefault=True,
    )
    boundary = prod.create_policy(
        PolicyName="S3Only", Path="/boundaries/", PolicyDocument=doc([allow("s3:*")])
    )["Policy"]
    trust = doc(
        [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{DEV}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
            }
        ]
    )
    role = prod.create_role(
        RoleName="UpdateApp", AssumeRolePolicyDocument=trust, PermissionsBoundary=boundary["Arn"]
    )["Role"]
    prod.attach_role_policy(RoleName="UpdateApp", PolicyArn=policy["Arn"])
    # Allowed by the inline policy, but outside the boundary: never allowed.
    prod.put_role_policy(RoleName="UpdateApp", PolicyName="list-roles", PolicyDocument=doc([allow("iam:ListRoles")]))

    # Development: the group, alice with a key and an MFA device.
    dev.create_group(GroupName="developers")
    dev.put_group_policy(
        GroupName="developers",
        PolicyName="assume-production-roles",
        PolicyDocument=doc([allow("sts:AssumeRole", f"arn:aws:iam::{PROD}:role/*")]),
    )
    dev.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "web"}])
    dev.add_user_to_group(GroupName="developers", UserName="alice")
    key = dev.create_access_key(UserName="alice")["AccessKey"]
    device = dev.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]
    seed = device["Base32StringSeed"]
    seed = seed.decode() if isinstance(seed, bytes) else base64.b64decode(seed).decode()
    # Two consecutive codes: the previous step's and the current one's.
    now = time.time()
    dev.enable_mfa_device(
        UserName="alice",
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1=totp(seed, now - 30),
        AuthenticationCode2=totp(seed, now),
    )
    return {
        "alice": (key["AccessKeyId"], key["SecretAccessKey"]),
        "serial": device["SerialNumber"],
        "seed": seed,
        "role": role["Arn"],
        "policy": policy["Arn"],
    }


def check_seed_scenario(endpoint: str, world: dict, session_name: str) -> None:
    sts = client("sts", endpoint, world["alice"])
    assert sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{DEV}:user/alice"
    # Without MFA the trust policy's condition refuses.
    expect_error(
        lambda: sts.assume_role(RoleArn=world["role"], RoleSessionName=session_name),
        "AccessDenied",
        None,
        403,
    )
    # The next step's code (accepted one step early): enabling spent the current one, and a code is
    # good once.
    creds = sts.assume_role(
        RoleArn=world["role"],
        RoleSessionName=session_name,
        SerialNumber=world["serial"],
        TokenCode=totp(world["seed"], time.time() + 30),
    )["Credentials"]
    session = client("iam", endpoint, creds)
    assumed = client("sts", endpoint, creds).get_caller_identity()["Arn"]
    assert assumed == f"arn:aws:sts::{PROD}:assumed-role/UpdateApp/{session_name}"

    def decision(action: str, resource: str) -> str:
        # The session simulates its own role (iam:SimulatePrincipalPolicy is outside its policies,
        # so ask as production's root, which sees the same role policies and boundary).
        prod = client("iam", endpoint, KEYS["prod-root"])
        result = prod.simulate_principal_policy(
            PolicySourceArn=world["role"], ActionNames=[action], ResourceArns=[resource]
        )["EvaluationResults"][0]
        return result["EvalDecision"]

    assert decision("s3:PutObject", f"{BUCKET}/report.csv") == "allowed", "version 2 is the default"
    assert decision("s3:DeleteObject", f"{BUCKET}/report.csv") == "implicitDeny"
    # The inline policy allows iam:ListRoles; the boundary does not: denied, for real.
    expect_error(lambda: session.list_roles(), "AccessDenied", None, 403)


def last_uses(endpoint: str, world: dict) -> tuple[dict, dict]:
    """alice's key's AccessKeyLastUsed and the role's RoleLastUsed."""
    dev = client("iam", endpoint, KEYS["root"])
    prod = client("iam", endpoint, KEYS["prod-root"])
    key = dev.get_access_key_last_used(AccessKeyId=world["alice"][0])["AccessKeyLastUsed"]
    role = prod.get_role(RoleName="UpdateApp")["Role"]["RoleLastUsed"]
    return key, role


def test_the_seed_scenario_built_through_the_iam_api_survives_a_restart(workdir):
    server = KeyturnServer(workdir, dict(WORLD))
    try:
        world = build_world(server.endpoint)
        check_seed_scenario(server.endpoint, world, "before-restart")
        key_used, role_used = last_uses(server.endpoint, world)
        assert key_used["ServiceName"] == "sts" and key_used["Region"] == "us-east-1", key_used
        assert abs(key_used["LastUsedDate"].timestamp() - time.time()) < 120, key_used
        assert role_used["Region"] == "us-east-1", role_used
        assert abs(role_used["LastUsedDate"].timestamp() - time.time()) < 120, role_used
    finally:
        assert server.stop() == 0, server.output()

    # Same files, same configuration (it seeds only an empty store): everything is still there.
    again = KeyturnServer(workdir, dict(WORLD))
    try:
        prod = client("iam", again.endpoint, KEYS["prod-root"])
        assert prod.get_policy(PolicyArn=world["policy"])["Policy"]["DefaultVersionId"] == "v2"
        dev = client("iam", again.endpoint, KEYS["root"])
        members = dev.get_group(GroupName="developers")["Users"]
        assert [u["UserName"] for u in members] == ["alice"]
        devices = dev.list_mfa_devices(UserName="alice")["MFADevices"]
        assert [d["SerialNumber"] for d in devices] == [world["serial"]]
        # When alice's key and the role were last used was saved when the server stopped.
        assert last_uses(again.endpoint, world) == (key_used, role_used)
        wait_for_next_step()
        check_seed_scenario(again.endpoint, world, "after-restart")
    finally:
        assert again.stop() == 0, again.output()
