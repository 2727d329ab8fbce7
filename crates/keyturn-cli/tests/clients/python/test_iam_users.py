"""IAM users, access keys, groups, inline policies, user permissions boundaries and account aliases
through boto3 (issue 12), on a fresh server per module (the shared server's world stays as
configs/e2e.yaml has it).

The development account (222222222222, alias `development`) has root keys (`root`), the group
`developers` and the users alice, bob (no policies), ...; the production account (111111111111)
has the alias `production`.
"""

from __future__ import annotations

import json

import pytest

from keyturn_e2e import DEV, KEYS, client, expect_error, expect_iam_error, not_authorized, succeeds_once, user_arn

INVALID_TOKEN = "The security token included in the request is invalid."


def allow(action: str, resource: str = "*") -> str:
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}
    )


def identity(fresh, key: dict) -> dict:
    """GetCallerIdentity signed with a key CreateAccessKey answered."""
    return client("sts", fresh.endpoint, (key["AccessKeyId"], key["SecretAccessKey"])).get_caller_identity()


def refused(fresh, key: dict):
    expect_error(lambda: identity(fresh, key), "InvalidClientTokenId", INVALID_TOKEN, 403)


# --- access keys -------------------------------------------------------------------------------


def test_a_created_key_signs_the_next_request_and_is_listed(fresh, admin):
    admin.create_user(UserName="keyholder")
    key = admin.create_access_key(UserName="keyholder")["AccessKey"]
    assert key["UserName"] == "keyholder"
    assert key["Status"] == "Active"
    assert key["AccessKeyId"].startswith("AKIA") and len(key["AccessKeyId"]) == 20
    assert len(key["SecretAccessKey"]) == 40
    assert identity(fresh, key)["Arn"] == user_arn("keyholder")
    assert identity(fresh, key)["Account"] == DEV

    listed = admin.list_access_keys(UserName="keyholder")["AccessKeyMetadata"]
    assert listed == [
        {
            "UserName": "keyholder",
            "AccessKeyId": key["AccessKeyId"],
            "Status": "Active",
            "CreateDate": key["CreateDate"],
        }
    ]
    succeeds_once(
        lambda: admin.create_access_key(UserName="keyholder"),
        "LimitExceeded",
        "Cannot exceed quota for AccessKeysPerUser: 2",
    )
    expect_iam_error(
        lambda: admin.create_access_key(UserName="ghost"),
        "NoSuchEntity",
        "The user with name ghost cannot be found.",
    )


def test_the_secret_of_a_created_key_is_never_logged(fresh, admin):
    admin.create_user(UserName="audited")
    key = admin.create_access_key(UserName="audited")["AccessKey"]
    audit = fresh.audit_path.read_text()
    assert '"CreateAccessKey"' in audit
    assert key["AccessKeyId"] in audit
    assert key["SecretAccessKey"] not in audit
    assert key["SecretAccessKey"] not in fresh.output()


def test_an_inactive_or_deleted_key_is_refused_at_once(fresh, admin):
    admin.create_user(UserName="rotator")
    key = admin.create_access_key(UserName="rotator")["AccessKey"]
    kid = key["AccessKeyId"]
    admin.update_access_key(UserName="rotator", AccessKeyId=kid, Status="Inactive")
    refused(fresh, key)
    assert admin.list_access_keys(UserName="rotator")["AccessKeyMetadata"][0]["Status"] == "Inactive"
    admin.update_access_key(UserName="rotator", AccessKeyId=kid, Status="Active")
    assert identity(fresh, key)["Arn"] == user_arn("rotator")
    expect_error(
        lambda: admin.update_access_key(UserName="rotator", AccessKeyId=kid, Status="Paused"),
        "ValidationError",
        None,
        400,
    )

    succeeds_once(
        lambda: admin.delete_access_key(UserName="rotator", AccessKeyId=kid),
        "NoSuchEntity",
        f"The Access Key with id {kid} cannot be found.",
    )
    refused(fresh, key)
    assert admin.list_access_keys(UserName="rotator")["AccessKeyMetadata"] == []


def test_root_may_create_and_delete_its_own_key(fresh, admin):
    key = admin.create_access_key()["AccessKey"]
    assert identity(fresh, key)["Arn"] == f"arn:aws:iam::{DEV}:root"
    ids = [k["AccessKeyId"] for k in admin.list_access_keys()["AccessKeyMetadata"]]
    assert sorted(ids) == sorted([KEYS["root"][0], key["AccessKeyId"]])
    admin.delete_access_key(AccessKeyId=key["AccessKeyId"])
    refused(fresh, key)


def test_a_user_manages_its_own_keys_without_naming_itself(fresh, admin):
    admin.create_user(UserName="selfserve")
    admin.put_user_policy(UserName="selfserve", PolicyName="own-keys", PolicyDocument=allow("iam:*AccessKey*"))
    first = admin.create_access_key(UserName="selfserve")["AccessKey"]
    me = client("iam", fresh.endpoint, (first["AccessKeyId"], first["SecretAccessKey"]))
    second = me.create_access_key()["AccessKey"]
    assert second["UserName"] == "selfserve"
    me.delete_access_key(AccessKeyId=first["AccessKeyId"])
    refused(fresh, first)
    assert identity(fresh, second)["Arn"] == user_arn("selfserve")


def test_access_key_last_used_records_the_service_and_region(fresh, admin):
    out = admin.get_access_key_last_used(AccessKeyId=KEYS["bob"][0])
    assert out["UserName"] == "bob"
    assert out["AccessKeyLastUsed"] == {"ServiceName": "N/A", "Region": "N/A"}

    admin.create_user(UserName="used")
    key = admin.create_access_key(UserName="used")["AccessKey"]
    identity(fresh, key)
    used = admin.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])
    assert used["UserName"] == "used"
    assert used["AccessKeyLastUsed"]["ServiceName"] == "sts"
    assert used["AccessKeyLastUsed"]["Region"] == "us-east-1"
    assert used["AccessKeyLastUsed"]["LastUsedDate"] >= key["CreateDate"]
    root = admin.get_access_key_last_used(AccessKeyId=KEYS["root"][0])
    assert "UserName" not in root
    assert root["AccessKeyLastUsed"]["ServiceName"] == "iam"
    expect_iam_error(
        lambda: admin.get_access_key_last_used(AccessKeyId=KEYS["prod-root"][0]),
        "NoSuchEntity",
        f"The Access Key with id {KEYS['prod-root'][0]} cannot be found.",
    )


# --- users -------------------------------------------------------------------------------------


def test_update_user_renames_keeping_keys_groups_and_policies(fresh, admin):
    made = admin.create_user(UserName="renamee")["User"]
    key = admin.create_access_key(UserName="renamee")["AccessKey"]
    admin.add_user_to_group(GroupName="developers", UserName="renamee")
    admin.put_user_policy(UserName="renamee", PolicyName="p", PolicyDocument=allow("s3:GetObject"))
    admin.update_user(UserName="renamee", NewUserName="renamed", NewPath="/moved/")

    got = admin.get_user(UserName="renamed")["User"]
    assert got["Arn"] == f"arn:aws:iam::{DEV}:user/moved/renamed"
    assert got["CreateDate"] == made["CreateDate"]
    assert identity(fresh, key)["Arn"] == got["Arn"]
    assert [g["GroupName"] for g in admin.list_groups_for_user(UserName="renamed")["Groups"]] == ["developers"]
    assert admin.list_user_policies(UserName="renamed")["PolicyNames"] == ["p"]
    expect_iam_error(
        lambda: admin.get_user(UserName="renamee"), "NoSuchEntity", "The user with name renamee cannot be found."
    )
    expect_iam_error(
        lambda: admin.update_user(UserName="renamed", NewUserName="ALICE"),
        "EntityAlreadyExists",
        "User with name ALICE already exists.",
    )


def test_tags_are_added_and_removed(admin):
    admin.create_user(UserName="tagged")
    admin.tag_user(UserName="tagged", Tags=[{"Key": "team", "Value": "web"}, {"Key": "env", "Value": "dev"}])
    admin.tag_user(UserName="tagged", Tags=[{"Key": "Team", "Value": "ops"}])
    tags = admin.list_user_tags(UserName="tagged")["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("Team", "ops"), ("env", "dev")]
    admin.untag_user(UserName="tagged", TagKeys=["team"])
    assert admin.list_user_tags(UserName="tagged")["Tags"] == [{"Key": "env", "Value": "dev"}]
    admin.tag_user(UserName="tagged", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(49)])
    expect_iam_error(
        lambda: admin.tag_user(UserName="tagged", Tags=[{"Key": "one-more", "Value": "v"}]),
        "LimitExceeded",
        "The number of tags has reached the maximum limit of 50.",
    )
    expect_iam_error(
        lambda: admin.tag_user(UserName="ghost", Tags=[{"Key": "a", "Value": "b"}]),
        "NoSuchEntity",
        "The user with name ghost cannot be found.",
    )


# --- groups ------------------------------------------------------------------------------------


def test_groups_are_created_renamed_with_members_and_deleted_when_empty(admin):
    group = admin.create_group(GroupName="builders", Path="/eng/")["Group"]
    assert group["Arn"] == f"arn:aws:iam::{DEV}:group/eng/builders"
    assert group["GroupId"].startswith("AGPA")
    assert group["Path"] == "/eng/"
    expect_iam_error(
        lambda: admin.create_group(GroupName="BUILDERS"),
        "EntityAlreadyExists",
        "Group with name BUILDERS already exists.",
    )
    admin.create_user(UserName="builder")
    admin.add_user_to_group(GroupName="builders", UserName="builder")
    admin.update_group(GroupName="builders", NewGroupName="makers")
    assert [g["GroupName"] for g in admin.list_groups_for_user(UserName="builder")["Groups"]] == ["makers"]
    got = admin.get_group(GroupName="makers")
    assert [u["UserName"] for u in got["Users"]] == ["builder"]
    assert got["Group"]["CreateDate"] == group["CreateDate"]

    expect_iam_error(
        lambda: admin.delete_group(GroupName="makers"),
        "DeleteConflict",
        "Cannot delete entity, must remove users from group first.",
    )
    succeeds_once(
        lambda: admin.remove_user_from_group(GroupName="makers", UserName="builder"),
        "NoSuchEntity",
        "User builder not in group makers",
    )
    admin.put_group_policy(GroupName="makers", PolicyName="p", PolicyDocument=allow("s3:GetObject"))
    expect_iam_error(
        lambda: admin.delete_group(GroupName="makers"),
        "DeleteConflict",
        "Cannot delete entity, must delete policies first.",
    )
    admin.delete_group_policy(GroupName="makers", PolicyName="p")
    admin.delete_group(GroupName="makers")
    expect_iam_error(
        lambda: admin.get_group(GroupName="makers"), "NoSuchEntity", "The group with name makers cannot be found."
    )


# --- inline policies ---------------------------------------------------------------------------


def test_a_user_policy_decides_the_very_next_request(fresh, admin):
    admin.create_user(UserName="reader")
    key = admin.create_access_key(UserName="reader")["AccessKey"]
    reader = client("iam", fresh.endpoint, (key["AccessKeyId"], key["SecretAccessKey"]))
    denied = not_authorized(user_arn("reader"), "iam:ListUsers", "*")
    expect_error(reader.list_users, "AccessDenied", denied, 403)

    admin.put_user_policy(UserName="reader", PolicyName="list", PolicyDocument=allow("iam:ListUsers"))
    assert any(u["UserName"] == "reader" for u in reader.list_users()["Users"])
    doc = admin.get_user_policy(UserName="reader", PolicyName="list")["PolicyDocument"]
    assert doc == json.loads(allow("iam:ListUsers"))

    succeeds_once(
        lambda: admin.delete_user_policy(UserName="reader", PolicyName="list"),
        "NoSuchEntity",
        "The user policy with name list cannot be found.",
    )
    expect_error(reader.list_users, "AccessDenied", denied, 403)


def test_simulation_sees_a_new_user_policy_at_once(admin):
    admin.create_user(UserName="simulated")

    def decision():
        out = admin.simulate_principal_policy(PolicySourceArn=user_arn("simulated"), ActionNames=["s3:GetObject"])
        return out["EvaluationResults"][0]["EvalDecision"]

    assert decision() == "implicitDeny"
    admin.put_user_policy(UserName="simulated", PolicyName="s3", PolicyDocument=allow("s3:GetObject"))
    assert decision() == "allowed"


def test_inline_policies_are_validated_and_limited(admin):
    admin.create_user(UserName="limited")
    expect_iam_error(
        lambda: admin.put_user_policy(UserName="limited", PolicyName="bad", PolicyDocument="{not json"),
        "MalformedPolicyDocument",
        "Syntax errors in policy.",
    )
    with_principal = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}],
        }
    )
    expect_iam_error(
        lambda: admin.put_user_policy(UserName="limited", PolicyName="bad", PolicyDocument=with_principal),
        "MalformedPolicyDocument",
        "Policy document should not specify a principal.",
    )
    many = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": f"s3:Get{i:04}", "Resource": "*"} for i in range(60)],
        }
    )
    expect_iam_error(
        lambda: admin.put_user_policy(UserName="limited", PolicyName="big", PolicyDocument=many),
        "LimitExceeded",
        "Maximum policy size of 2048 bytes exceeded for user limited",
    )
    admin.create_group(GroupName="limited-group")
    bigger = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": f"s3:Get{i:04}", "Resource": "*"} for i in range(120)],
        }
    )
    admin.put_group_policy(GroupName="limited-group", PolicyName="fits", PolicyDocument=many)
    expect_iam_error(
        lambda: admin.put_group_policy(GroupName="limited-group", PolicyName="big", PolicyDocument=bigger),
        "LimitExceeded",
        "Maximum policy size of 5120 bytes exceeded for group limited-group",
    )


# --- permissions boundaries --------------------------------------------------------------------


def test_a_user_boundary_limits_the_very_next_request(fresh, admin):
    admin.create_user(UserName="bounded")
    admin.put_user_policy(UserName="bounded", PolicyName="iam", PolicyDocument=allow("iam:*"))
    key = admin.create_access_key(UserName="bounded")["AccessKey"]
    bounded = client("iam", fresh.endpoint, (key["AccessKeyId"], key["SecretAccessKey"]))
    bounded.list_users()

    s3_only = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    admin.put_user_permissions_boundary(UserName="bounded", PermissionsBoundary=s3_only)
    assert admin.get_user(UserName="bounded")["User"]["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
        "PermissionsBoundaryArn": s3_only,
    }
    expect_error(bounded.list_users, "AccessDenied", None, 403)
    admin.delete_user_permissions_boundary(UserName="bounded")
    bounded.list_users()
    assert "PermissionsBoundary" not in admin.get_user(UserName="bounded")["User"]

    missing = f"arn:aws:iam::{DEV}:policy/Missing"
    expect_iam_error(
        lambda: admin.put_user_permissions_boundary(UserName="bounded", PermissionsBoundary=missing),
        "NoSuchEntity",
        f"Scope ARN: {missing} does not exist or is not attachable.",
    )
    expect_iam_error(
        lambda: admin.create_user(UserName="unbounded", PermissionsBoundary=missing),
        "NoSuchEntity",
        f"Scope ARN: {missing} does not exist or is not attachable.",
    )


# --- account aliases ---------------------------------------------------------------------------


def test_an_account_alias_is_unique_across_accounts_and_replaced(admin):
    expect_iam_error(
        lambda: admin.create_account_alias(AccountAlias="production"),
        "EntityAlreadyExists",
        "The account alias production already exists.",
    )
    expect_error(lambda: admin.create_account_alias(AccountAlias="Not_Valid"), "ValidationError", None, 400)
    admin.create_account_alias(AccountAlias="development-two")
    assert admin.list_account_aliases()["AccountAliases"] == ["development-two"]
    expect_iam_error(
        lambda: admin.delete_account_alias(AccountAlias="development"),
        "NoSuchEntity",
        "The account alias development cannot be found.",
    )
    admin.delete_account_alias(AccountAlias="development-two")
    assert admin.list_account_aliases()["AccountAliases"] == []
    admin.create_account_alias(AccountAlias="development")
    assert admin.list_account_aliases()["AccountAliases"] == ["development"]


# --- authorization -----------------------------------------------------------------------------


def test_a_user_without_iam_permissions_is_denied_naming_action_and_arn(fresh):
    bob = client("iam", fresh.endpoint, KEYS["bob"])
    me = user_arn("bob")
    developers = f"arn:aws:iam::{DEV}:group/developers"
    calls = [
        (lambda: bob.create_access_key(), "iam:CreateAccessKey", me),
        (lambda: bob.update_user(UserName="bob", NewUserName="robert"), "iam:UpdateUser", me),
        (lambda: bob.tag_user(UserName="bob", Tags=[{"Key": "a", "Value": "b"}]), "iam:TagUser", me),
        (
            lambda: bob.put_user_policy(UserName="bob", PolicyName="p", PolicyDocument=allow("*")),
            "iam:PutUserPolicy",
            me,
        ),
        (lambda: bob.create_group(GroupName="mine"), "iam:CreateGroup", f"arn:aws:iam::{DEV}:group/mine"),
        (lambda: bob.delete_group(GroupName="developers"), "iam:DeleteGroup", developers),
        (
            lambda: bob.remove_user_from_group(GroupName="developers", UserName="alice"),
            "iam:RemoveUserFromGroup",
            developers,
        ),
        (lambda: bob.create_account_alias(AccountAlias="bobs"), "iam:CreateAccountAlias", "*"),
    ]
    for call, action, resource in calls:
        expect_error(call, "AccessDenied", not_authorized(me, action, resource), 403)


def test_a_user_is_deleted_once_its_keys_policies_and_memberships_are_gone(fresh, admin):
    admin.create_user(UserName="leaver")
    key = admin.create_access_key(UserName="leaver")["AccessKey"]
    admin.create_group(GroupName="leavers")
    admin.add_user_to_group(GroupName="leavers", UserName="leaver")
    admin.put_user_policy(UserName="leaver", PolicyName="p", PolicyDocument=allow("s3:GetObject"))
    s3_only = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    admin.put_user_permissions_boundary(UserName="leaver", PermissionsBoundary=s3_only)
    steps = [
        (
            "Cannot delete entity, must delete access keys first.",
            lambda: admin.delete_access_key(UserName="leaver", AccessKeyId=key["AccessKeyId"]),
        ),
        (
            "Cannot delete entity, must delete policies first.",
            lambda: admin.delete_user_policy(UserName="leaver", PolicyName="p"),
        ),
        (
            "Cannot delete entity, must remove users from group first.",
            lambda: admin.remove_user_from_group(GroupName="leavers", UserName="leaver"),
        ),
    ]
    for text, fix in steps:
        expect_iam_error(lambda: admin.delete_user(UserName="leaver"), "DeleteConflict", text)
        fix()
    # A permissions boundary does not block the deletion (as AWS).
    admin.delete_user(UserName="leaver")
    refused(fresh, key)
    succeeds_once(
        lambda: admin.delete_group(GroupName="leavers"),
        "NoSuchEntity",
        "The group with name leavers cannot be found.",
    )
