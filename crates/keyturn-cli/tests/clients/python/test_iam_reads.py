"""IAM's read operations through boto3 and the AWS CLI: AWS's shapes, pagination and errors.

The production account (111111111111) has a user `auditor` with the AWS managed policy
IAMReadOnlyAccess attached; the development account (222222222222) has root keys and users in a
group. Everything asserted here comes from configs/e2e.yaml.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from keyturn_e2e import DEV, KEYS, PROD, REGION, expect_error, expect_iam_error

AWS = Path(sys.executable).parent / "aws"

PROD_ROLES = {
    "UpdateApp",
    "UpdateAppMfa",
    "ExternalIdRole",
    "TagRole",
    "NoTagRole",
    "NoTrustRole",
    "ChainA",
    "ChainB",
}
DEV_USERS = {"alice", "bob", "carol", "dave", "erin", "frank", "fed"}


def names(items, key):
    return [i[key] for i in items]


def test_list_roles_pages_through_every_role(iam):
    client = iam("auditor")
    pages = list(client.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 3}))
    assert len(pages) >= 3
    assert all(p["IsTruncated"] == ("Marker" in p) for p in pages)
    roles = [r for p in pages for r in p["Roles"]]
    assert len(roles) == len({r["RoleName"] for r in roles}), "a role listed twice"
    assert {r["RoleName"] for r in roles} >= PROD_ROLES
    tag_role = next(r for r in roles if r["RoleName"] == "TagRole")
    assert tag_role["Path"] == "/tagging/"
    assert tag_role["Arn"] == f"arn:aws:iam::{PROD}:role/tagging/TagRole"
    assert tag_role["RoleId"].startswith("AROA")
    assert tag_role["MaxSessionDuration"] == 7200


def test_path_prefix_filters_roles(iam):
    roles = iam("auditor").list_roles(PathPrefix="/tagging/")["Roles"]
    assert names(roles, "RoleName") == ["TagRole"]


def test_get_role_returns_the_trust_policy_as_a_document(iam):
    role = iam("auditor").get_role(RoleName="UpdateAppMfa")["Role"]
    # botocore URL-decodes and parses the document IAM sends URL-encoded.
    statement = role["AssumeRolePolicyDocument"]["Statement"][0]
    assert statement["Principal"] == {"AWS": f"arn:aws:iam::{DEV}:root"}
    assert statement["Condition"] == {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    assert role["Tags"] == [{"Key": "env", "Value": "prod"}]


def test_an_unknown_role_is_no_such_entity(iam):
    expect_iam_error(
        lambda: iam("auditor").get_role(RoleName="Nope"),
        "NoSuchEntity",
        "The role with name Nope cannot be found.",
    )


def test_inline_and_attached_policies(iam):
    client = iam("auditor")
    assert client.list_role_policies(RoleName="ChainA")["PolicyNames"] == ["assume-chain-b"]
    doc = client.get_role_policy(RoleName="ChainA", PolicyName="assume-chain-b")["PolicyDocument"]
    assert doc["Statement"][0]["Resource"] == f"arn:aws:iam::{PROD}:role/ChainB"
    attached = client.list_attached_role_policies(RoleName="UpdateApp")["AttachedPolicies"]
    assert attached == [
        {"PolicyName": "AppBucketReadWrite", "PolicyArn": f"arn:aws:iam::{PROD}:policy/AppBucketReadWrite"}
    ]
    expect_iam_error(
        lambda: client.get_role_policy(RoleName="ChainA", PolicyName="nope"),
        "NoSuchEntity",
        "The role policy with name nope cannot be found.",
    )


def test_customer_and_aws_managed_policies(iam):
    client = iam("auditor")
    arn = f"arn:aws:iam::{PROD}:policy/AppBucketReadWrite"
    policy = client.get_policy(PolicyArn=arn)["Policy"]
    assert policy["PolicyName"] == "AppBucketReadWrite"
    assert policy["DefaultVersionId"] == "v1"
    assert policy["AttachmentCount"] == 2
    version = client.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
    assert version["IsDefaultVersion"] is True
    assert version["Document"]["Statement"][0]["Sid"] == "ListTheBucket"

    aws_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    aws_policy = client.get_policy(PolicyArn=aws_arn)["Policy"]
    assert aws_policy["Arn"] == aws_arn
    assert aws_policy["PolicyId"].startswith("ANPA")
    aws_version = client.get_policy_version(PolicyArn=aws_arn, VersionId=aws_policy["DefaultVersionId"])
    assert aws_version["PolicyVersion"]["Document"]["Statement"]


def test_list_policies_scope_aws_pages_through_every_aws_policy(iam):
    paginator = iam("auditor").get_paginator("list_policies")
    arns = [
        p["Arn"]
        for page in paginator.paginate(Scope="AWS", PaginationConfig={"PageSize": 500})
        for p in page["Policies"]
    ]
    assert len(arns) == len(set(arns)) > 1000
    assert all(a.startswith("arn:aws:iam::aws:policy/") for a in arns)
    local = iam("auditor").list_policies(Scope="Local")["Policies"]
    assert names(local, "PolicyName") == ["AppBucketReadWrite"]


def test_users_groups_and_keys_seen_by_the_account_root(iam):
    client = iam("root")
    users = [u for p in client.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 2}) for u in p["Users"]]
    assert {u["UserName"] for u in users} == DEV_USERS
    alice = client.get_user(UserName="alice")["User"]
    assert alice["Arn"] == f"arn:aws:iam::{DEV}:user/alice"
    assert alice["UserId"].startswith("AIDA")
    assert names(client.list_groups_for_user(UserName="alice")["Groups"], "GroupName") == ["developers"]
    group = client.get_group(GroupName="developers")
    assert {u["UserName"] for u in group["Users"]} == {"alice", "carol", "dave", "erin", "frank"}
    keys = client.list_access_keys(UserName="alice")["AccessKeyMetadata"]
    assert [(k["AccessKeyId"], k["Status"]) for k in keys] == [(KEYS["alice"][0], "Active")]
    assert "SecretAccessKey" not in keys[0]
    devices = client.list_mfa_devices(UserName="alice")["MFADevices"]
    assert names(devices, "SerialNumber") == [f"arn:aws:iam::{DEV}:mfa/alice"]
    assert client.list_user_tags(UserName="alice")["Tags"] == [{"Key": "team", "Value": "web"}]
    assert client.list_account_aliases()["AccountAliases"] == ["development"]


def test_a_user_without_iam_permissions_is_denied(iam):
    expect_error(
        lambda: iam("bob").list_users(),
        "AccessDenied",
        None,
        403,
    )


def test_account_summary_counts_the_model(iam):
    summary = iam("auditor").get_account_summary()["SummaryMap"]
    assert summary["Roles"] >= len(PROD_ROLES)
    assert summary["Users"] == 1
    assert summary["Policies"] == 1


def aws(endpoint, who, *args):
    key, secret = KEYS[who]
    env = {
        "AWS_ACCESS_KEY_ID": key,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [str(AWS), "iam", *args, "--endpoint-url", endpoint, "--output", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_aws_cli_lists_roles(endpoint):
    roles = aws(endpoint, "auditor", "list-roles")["Roles"]
    assert {r["RoleName"] for r in roles} >= PROD_ROLES


@pytest.mark.parametrize("max_items", [1, 3])
def test_aws_cli_pages_authorization_details_with_max_items(endpoint, max_items):
    everything = aws(endpoint, "auditor", "get-account-authorization-details")
    seen = {"RoleDetailList": [], "UserDetailList": [], "GroupDetailList": [], "Policies": []}
    token = None
    for _ in range(100):
        args = ["get-account-authorization-details", "--max-items", str(max_items)]
        if token:
            args += ["--starting-token", token]
        page = aws(endpoint, "auditor", *args)
        for k in seen:
            seen[k] += page.get(k, [])
        token = page.get("NextToken")
        if not token:
            break
    assert not token, "pagination did not end"
    assert {r["RoleName"] for r in seen["RoleDetailList"]} == {r["RoleName"] for r in everything["RoleDetailList"]}
    assert {r["RoleName"] for r in everything["RoleDetailList"]} >= PROD_ROLES
    assert names(seen["UserDetailList"], "UserName") == ["auditor"]
    assert len(seen["RoleDetailList"]) == len(everything["RoleDetailList"])
