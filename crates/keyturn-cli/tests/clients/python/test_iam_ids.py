"""Unique ids kept with the entities, through boto3: a role or user deleted and created again under
its name is another entity (another id); the sessions issued for the old one stay valid until they
expire (GetCallerIdentity answers) but have none of the new one's permissions (AccessDenied for IAM
calls and for chained AssumeRole), as AWS evaluates a session's permissions at each use; renames
keep the id (moto's test_update_group_name checks it for groups).
"""

from __future__ import annotations

import json

import pytest

from keyturn_e2e import DEV, KEYS, PROD, client, expect_error

ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


# `admin` (conftest.py) acts as the production account's root.
ADMIN_KEY = "prod-root"


def make_role(admin, name: str) -> str:
    """A role that alice (development account) may assume and that may do anything; its id."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": [f"arn:aws:iam::{DEV}:user/alice", f"arn:aws:iam::{PROD}:root"]},
             "Action": "sts:AssumeRole"}
        ],
    }
    role = admin.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    admin.put_role_policy(RoleName=name, PolicyName="all", PolicyDocument=ALLOW_ALL)
    return role["RoleId"]


def assume(fresh, creds, name: str) -> dict:
    sts = client("sts", fresh.endpoint, creds)
    return sts.assume_role(RoleArn=f"arn:aws:iam::{PROD}:role/{name}", RoleSessionName="wire")["Credentials"]


def test_a_role_created_again_gives_the_old_roles_sessions_no_permissions(fresh, admin):
    first = make_role(admin, "Again")
    session = assume(fresh, KEYS["alice"], "Again")
    chained = assume(fresh, session, "Again")
    for creds in (session, chained):
        assert client("sts", fresh.endpoint, creds).get_caller_identity()["UserId"] == f"{first}:wire"
    assert client("iam", fresh.endpoint, session).get_role(RoleName="Again")["Role"]["RoleId"] == first

    admin.delete_role_policy(RoleName="Again", PolicyName="all")
    admin.delete_role(RoleName="Again")
    second = make_role(admin, "Again")
    assert second != first
    assert admin.get_role(RoleName="Again")["Role"]["RoleId"] == second
    for creds in (session, chained):
        assert client("sts", fresh.endpoint, creds).get_caller_identity()["UserId"] == f"{first}:wire"
        expect_error(lambda: client("iam", fresh.endpoint, creds).get_role(RoleName="Again"), "AccessDenied", None, 403)
        expect_error(lambda: assume(fresh, creds, "Again"), "AccessDenied", None, 403)
    # Sessions of the new role work.
    fresh_session = assume(fresh, KEYS["alice"], "Again")
    assert client("sts", fresh.endpoint, fresh_session).get_caller_identity()["UserId"] == f"{second}:wire"
    assert assume(fresh, fresh_session, "Again")["AccessKeyId"].startswith("ASIA")


def test_a_user_created_again_is_not_the_old_users_sessions(fresh, admin):
    first = admin.create_user(UserName="temp")["User"]["UserId"]
    admin.put_user_policy(UserName="temp", PolicyName="all", PolicyDocument=ALLOW_ALL)
    key = admin.create_access_key(UserName="temp")["AccessKey"]
    creds = (key["AccessKeyId"], key["SecretAccessKey"])
    sts = client("sts", fresh.endpoint, creds)
    token = sts.get_session_token()["Credentials"]
    federated = sts.get_federation_token(Name="fed", Policy=ALLOW_ALL)["Credentials"]
    assert client("sts", fresh.endpoint, token).get_caller_identity()["UserId"] == first
    assert client("sts", fresh.endpoint, federated).get_caller_identity()["UserId"] == f"{PROD}:fed"

    admin.delete_access_key(UserName="temp", AccessKeyId=key["AccessKeyId"])
    admin.delete_user_policy(UserName="temp", PolicyName="all")
    admin.delete_user(UserName="temp")
    second = admin.create_user(UserName="temp")["User"]["UserId"]
    assert second != first
    admin.put_user_policy(UserName="temp", PolicyName="all", PolicyDocument=ALLOW_ALL)
    # Still valid, still the old user (whose permissions are gone: crates/keyturn/tests/iam_writes/ids.rs
    # checks the decisions, which these sessions cannot reach over STS and IAM without MFA).
    assert client("sts", fresh.endpoint, token).get_caller_identity()["UserId"] == first
    assert client("sts", fresh.endpoint, federated).get_caller_identity()["UserId"] == f"{PROD}:fed"


def test_renames_keep_the_id(admin):
    group = admin.create_group(GroupName="my-group")["Group"]
    admin.update_group(GroupName="my-group", NewGroupName="new-group", NewPath="/renamed/")
    renamed = admin.get_group(GroupName="new-group")["Group"]
    assert renamed["GroupId"] == group["GroupId"]
    assert renamed["Path"] == "/renamed/"
    user = admin.create_user(UserName="before")["User"]
    admin.update_user(UserName="before", NewUserName="after")
    assert admin.get_user(UserName="after")["User"]["UserId"] == user["UserId"]
