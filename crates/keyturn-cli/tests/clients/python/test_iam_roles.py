"""IAM's writes of roles, role policies, customer managed policies (with versions) and
attachments through boto3, on a fresh server per module (the shared server's world stays as
configs/e2e.yaml has it).

Roles are made in the production account (111111111111, `prod-root`) and trust alice of the
development account, whose group lets her assume production roles.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest

from keyturn_e2e import DEV, KEYS, PROD, client, expect_error, expect_iam_error, succeeds_once

READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"


# `admin` (conftest.py) acts as the production account's root.
ADMIN_KEY = "prod-root"


def trust(effect: str = "Allow", principal: str = f"arn:aws:iam::{DEV}:user/alice") -> str:
    statement = {"Effect": effect, "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def allow(action: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})


def wide(n: int) -> str:
    """An identity policy of about `n` characters."""
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "b" * n}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def assume_as_alice(fresh, name: str):
    sts = client("sts", fresh.endpoint, KEYS["alice"])
    return sts.assume_role(RoleArn=f"arn:aws:iam::{PROD}:role/{name}", RoleSessionName="wire")["Credentials"]


def test_a_created_role_is_assumable_at_once_and_its_attached_policy_applies(fresh, admin):
    role = admin.create_role(
        RoleName="Partner",
        Path="/ext/",
        AssumeRolePolicyDocument=trust(),
        Description="for alice",
        MaxSessionDuration=7200,
        Tags=[{"Key": "team", "Value": "x"}],
    )["Role"]
    assert role["Arn"] == f"arn:aws:iam::{PROD}:role/ext/Partner"
    assert role["RoleId"].startswith("AROA")
    assert role["Description"] == "for alice"
    assert role["MaxSessionDuration"] == 7200
    assert role["Tags"] == [{"Key": "team", "Value": "x"}]
    # boto3 decodes the URL-encoded document into a dict.
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Action"] == "sts:AssumeRole"
    policy = admin.create_policy(PolicyName="ListRoles", PolicyDocument=allow("iam:ListRoles"))["Policy"]
    admin.attach_role_policy(RoleName="Partner", PolicyArn=policy["Arn"])
    creds = client("sts", fresh.endpoint, KEYS["alice"]).assume_role(
        RoleArn=role["Arn"], RoleSessionName="wire", DurationSeconds=7200
    )["Credentials"]
    session = client("iam", fresh.endpoint, creds)
    names = [r["RoleName"] for r in session.list_roles()["Roles"]]
    assert "Partner" in names
    expect_error(lambda: session.list_users(), "AccessDenied", None, 403)


def test_create_role_errors(admin):
    admin.create_role(RoleName="Twin", AssumeRolePolicyDocument=trust())
    expect_iam_error(
        lambda: admin.create_role(RoleName="TWIN", AssumeRolePolicyDocument=trust()),
        "EntityAlreadyExists",
        "Role with name TWIN already exists.",
    )
    with_resource = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Resource": "*"}],
        }
    )
    expect_iam_error(
        lambda: admin.create_role(RoleName="Bad", AssumeRolePolicyDocument=with_resource),
        "MalformedPolicyDocument",
        "Has prohibited field Resource",
    )
    nobody = trust(principal=f"arn:aws:iam::{DEV}:user/nobody")
    expect_iam_error(
        lambda: admin.create_role(RoleName="Bad", AssumeRolePolicyDocument=nobody),
        "MalformedPolicyDocument",
        f'Invalid principal in policy: "AWS":"arn:aws:iam::{DEV}:user/nobody"',
    )
    expect_error(
        lambda: admin.create_role(RoleName="Bad", AssumeRolePolicyDocument=trust(), MaxSessionDuration=60),
        "ValidationError",
        None,
        400,
    )
    expect_iam_error(lambda: admin.get_role(RoleName="Bad"), "NoSuchEntity", "The role with name Bad cannot be found.")


def test_a_trust_policy_updated_to_deny_refuses_the_next_assume_role(fresh, admin):
    admin.create_role(RoleName="Flip", AssumeRolePolicyDocument=trust())
    creds = assume_as_alice(fresh, "Flip")
    admin.update_assume_role_policy(RoleName="Flip", PolicyDocument=trust("Deny"))
    expect_error(lambda: assume_as_alice(fresh, "Flip"), "AccessDenied", None, 403)
    # The session issued before stays valid.
    who = client("sts", fresh.endpoint, creds).get_caller_identity()
    assert who["Arn"] == f"arn:aws:sts::{PROD}:assumed-role/Flip/wire"


def test_put_role_policy_changes_what_an_issued_session_may_do(fresh, admin):
    admin.create_role(RoleName="Grow", AssumeRolePolicyDocument=trust())
    session = client("iam", fresh.endpoint, assume_as_alice(fresh, "Grow"))
    expect_error(lambda: session.list_roles(), "AccessDenied", None, 403)
    admin.put_role_policy(RoleName="Grow", PolicyName="list", PolicyDocument=allow("iam:ListRoles"))
    assert admin.list_role_policies(RoleName="Grow")["PolicyNames"] == ["list"]
    session.list_roles()
    succeeds_once(
        lambda: admin.delete_role_policy(RoleName="Grow", PolicyName="list"),
        "NoSuchEntity",
        "The role policy with name list cannot be found.",
    )
    expect_error(lambda: session.list_roles(), "AccessDenied", None, 403)
    big = wide(6000)
    admin.put_role_policy(RoleName="Grow", PolicyName="one", PolicyDocument=big)
    expect_iam_error(
        lambda: admin.put_role_policy(RoleName="Grow", PolicyName="two", PolicyDocument=big),
        "LimitExceeded",
        "Maximum policy size of 10240 bytes exceeded for role Grow",
    )


def test_update_role_description_boundary_and_tags(admin):
    admin.create_role(RoleName="Edit", AssumeRolePolicyDocument=trust())
    assert admin.update_role(RoleName="Edit", Description="first", MaxSessionDuration=43200)["ResponseMetadata"]
    role = admin.update_role_description(RoleName="Edit", Description="second")["Role"]
    assert role["Description"] == "second"
    assert role["MaxSessionDuration"] == 43200
    admin.put_role_permissions_boundary(RoleName="Edit", PermissionsBoundary=READ_ONLY)
    got = admin.get_role(RoleName="Edit")["Role"]
    assert got["PermissionsBoundary"]["PermissionsBoundaryArn"] == READ_ONLY
    admin.delete_role_permissions_boundary(RoleName="Edit")
    assert "PermissionsBoundary" not in admin.get_role(RoleName="Edit")["Role"]
    admin.tag_role(RoleName="Edit", Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    admin.untag_role(RoleName="Edit", TagKeys=["b"])
    assert admin.list_role_tags(RoleName="Edit")["Tags"] == [{"Key": "a", "Value": "1"}]
    expect_error(
        lambda: admin.put_role_permissions_boundary(
            RoleName="Edit", PermissionsBoundary=f"arn:aws:iam::{PROD}:policy/Nope"
        ),
        "NoSuchEntity",
        f"Scope ARN: arn:aws:iam::{PROD}:policy/Nope does not exist or is not attachable.",
        404,
    )


def test_delete_role_conflicts_until_policies_are_gone(admin):
    admin.create_role(RoleName="Busy", AssumeRolePolicyDocument=trust())
    admin.put_role_policy(RoleName="Busy", PolicyName="p", PolicyDocument=allow("s3:GetObject"))
    conflict = "Cannot delete entity, must {} first."
    expect_error(lambda: admin.delete_role(RoleName="Busy"), "DeleteConflict", conflict.format("delete policies"), 409)
    admin.attach_role_policy(RoleName="Busy", PolicyArn=READ_ONLY)
    expect_error(
        lambda: admin.delete_role(RoleName="Busy"), "DeleteConflict", conflict.format("detach all policies"), 409
    )
    admin.detach_role_policy(RoleName="Busy", PolicyArn=READ_ONLY)
    admin.delete_role_policy(RoleName="Busy", PolicyName="p")
    succeeds_once(
        lambda: admin.delete_role(RoleName="Busy"),
        "NoSuchEntity",
        "The role with name Busy cannot be found.",
    )


def test_create_policy_shape_and_errors(admin):
    made = admin.create_policy(
        PolicyName="Reader",
        Path="/team/",
        PolicyDocument=allow("s3:GetObject"),
        Description="reads",
        Tags=[{"Key": "k", "Value": "v"}],
    )["Policy"]
    assert made["Arn"] == f"arn:aws:iam::{PROD}:policy/team/Reader"
    assert made["PolicyId"].startswith("ANPA")
    assert made["DefaultVersionId"] == "v1"
    assert made["AttachmentCount"] == 0
    assert made["IsAttachable"] is True
    got = admin.get_policy(PolicyArn=made["Arn"])["Policy"]
    assert got["Description"] == "reads"
    assert got["Tags"] == [{"Key": "k", "Value": "v"}]
    for name, document, code, message in [
        (
            "Reader",
            allow("s3:GetObject"),
            "EntityAlreadyExists",
            "A policy called Reader already exists. Duplicate names are not allowed.",
        ),
        ("Huge", wide(6100), "LimitExceeded", "Cannot exceed quota for PolicySize: 6144"),
        ("Broken", "{nope", "MalformedPolicyDocument", "Syntax errors in policy."),
    ]:
        expect_iam_error(lambda: admin.create_policy(PolicyName=name, PolicyDocument=document), code, message)


def test_policy_version_lifecycle_with_the_five_version_limit(fresh, admin):
    arn = admin.create_policy(PolicyName="Moving", PolicyDocument=allow("iam:ListRoles"))["Policy"]["Arn"]
    admin.attach_user_policy(UserName="auditor", PolicyArn=arn)
    for n in range(2, 6):
        v = admin.create_policy_version(PolicyArn=arn, PolicyDocument=allow("iam:ListUsers"))["PolicyVersion"]
        assert v["VersionId"] == f"v{n}"
        assert v["IsDefaultVersion"] is False
        assert "Document" not in v
    expect_iam_error(
        lambda: admin.create_policy_version(PolicyArn=arn, PolicyDocument=allow("iam:ListUsers")),
        "LimitExceeded",
        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
    )
    expect_iam_error(
        lambda: admin.delete_policy_version(PolicyArn=arn, VersionId="v1"),
        "DeleteConflict",
        "Cannot delete the default version of a policy.",
    )
    admin.delete_policy_version(PolicyArn=arn, VersionId="v5")
    v6 = admin.create_policy_version(PolicyArn=arn, PolicyDocument=allow("s3:GetObject"), SetAsDefault=True)
    assert v6["PolicyVersion"]["VersionId"] == "v6"
    assert v6["PolicyVersion"]["IsDefaultVersion"] is True
    versions = admin.list_policy_versions(PolicyArn=arn)["Versions"]
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in versions] == [
        ("v6", True),
        ("v4", False),
        ("v3", False),
        ("v2", False),
        ("v1", False),
    ]
    doc = admin.get_policy_version(PolicyArn=arn, VersionId="v6")["PolicyVersion"]["Document"]
    if isinstance(doc, str):
        doc = json.loads(urllib.parse.unquote(doc))
    assert doc["Statement"][0]["Action"] == "s3:GetObject"
    admin.set_default_policy_version(PolicyArn=arn, VersionId="v2")
    assert admin.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v2"
    expect_iam_error(
        lambda: admin.set_default_policy_version(PolicyArn=arn, VersionId="v5"),
        "NoSuchEntity",
        f"Policy {arn} version v5 does not exist or is not attachable.",
    )
    expect_iam_error(
        lambda: admin.delete_policy(PolicyArn=arn),
        "DeleteConflict",
        "Cannot delete a policy attached to entities.",
    )
    admin.detach_user_policy(UserName="auditor", PolicyArn=arn)
    expect_error(
        lambda: admin.delete_policy(PolicyArn=arn),
        "DeleteConflict",
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. "
        "The default version is deleted with the policy.",
        409,
    )
    for v in ("v1", "v3", "v4", "v6"):
        admin.delete_policy_version(PolicyArn=arn, VersionId=v)
    admin.delete_policy(PolicyArn=arn)
    expect_iam_error(lambda: admin.get_policy(PolicyArn=arn), "NoSuchEntity", None)


def test_the_default_version_decides_the_next_request(fresh, admin):
    """The production auditor gets a policy whose default version moves between two documents."""
    auditor = client("iam", fresh.endpoint, KEYS["auditor"])
    sts_deny = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:ListRoles", "Resource": "*"}]}
    )
    arn = admin.create_policy(PolicyName="Gate", PolicyDocument=allow("s3:GetObject"))["Policy"]["Arn"]
    admin.attach_user_policy(UserName="auditor", PolicyArn=arn)
    auditor.list_roles()
    admin.create_policy_version(PolicyArn=arn, PolicyDocument=sts_deny, SetAsDefault=True)
    expect_error(lambda: auditor.list_roles(), "AccessDenied", None, 403)
    admin.set_default_policy_version(PolicyArn=arn, VersionId="v1")
    auditor.list_roles()
    admin.detach_user_policy(UserName="auditor", PolicyArn=arn)


def test_attachments_counts_entities_and_errors(admin):
    admin.create_role(RoleName="Holder", AssumeRolePolicyDocument=trust())
    arn = admin.create_policy(PolicyName="Shared", PolicyDocument=allow("s3:GetObject"))["Policy"]["Arn"]
    admin.attach_role_policy(RoleName="Holder", PolicyArn=arn)
    admin.attach_role_policy(RoleName="Holder", PolicyArn=arn)
    admin.attach_user_policy(UserName="auditor", PolicyArn=arn)
    assert admin.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 2
    entities = admin.list_entities_for_policy(PolicyArn=arn)
    assert [r["RoleName"] for r in entities["PolicyRoles"]] == ["Holder"]
    assert [u["UserName"] for u in entities["PolicyUsers"]] == ["auditor"]
    assert entities["PolicyGroups"] == []
    assert entities["PolicyRoles"][0]["RoleId"].startswith("AROA")
    only_users = admin.list_entities_for_policy(PolicyArn=arn, EntityFilter="User")
    assert only_users["PolicyRoles"] == [] and len(only_users["PolicyUsers"]) == 1
    succeeds_once(
        lambda: admin.detach_user_policy(UserName="auditor", PolicyArn=arn),
        "NoSuchEntity",
        f"Policy {arn} was not found.",
    )
    expect_iam_error(
        lambda: admin.attach_role_policy(RoleName="Holder", PolicyArn="arn:aws:iam::aws:policy/NoSuchThing"),
        "NoSuchEntity",
        "Policy arn:aws:iam::aws:policy/NoSuchThing does not exist or is not attachable.",
    )
    expect_iam_error(
        lambda: admin.attach_role_policy(RoleName="Ghost", PolicyArn=arn),
        "NoSuchEntity",
        "The role with name Ghost cannot be found.",
    )
    for i in range(9):
        other = admin.create_policy(PolicyName=f"Q{i}", PolicyDocument=allow("s3:GetObject"))["Policy"]["Arn"]
        admin.attach_role_policy(RoleName="Holder", PolicyArn=other)
    expect_iam_error(
        lambda: admin.attach_role_policy(RoleName="Holder", PolicyArn=READ_ONLY),
        "LimitExceeded",
        "Cannot exceed quota for PoliciesPerRole: 10",
    )


def test_policy_tags(admin):
    arn = admin.create_policy(PolicyName="Tagged", PolicyDocument=allow("s3:GetObject"))["Policy"]["Arn"]
    admin.tag_policy(PolicyArn=arn, Tags=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}])
    admin.untag_policy(PolicyArn=arn, TagKeys=["b"])
    assert admin.list_policy_tags(PolicyArn=arn)["Tags"] == [{"Key": "a", "Value": "1"}]
    expect_iam_error(
        lambda: admin.tag_policy(PolicyArn=f"arn:aws:iam::{PROD}:policy/Nope", Tags=[{"Key": "a", "Value": "1"}]),
        "NoSuchEntity",
        f"Policy arn:aws:iam::{PROD}:policy/Nope does not exist or is not attachable.",
    )


def test_a_caller_without_iam_permissions_is_denied(fresh):
    bob = client("iam", fresh.endpoint, KEYS["bob"])
    expect_error(lambda: bob.create_role(RoleName="x", AssumeRolePolicyDocument=trust()), "AccessDenied", None, 403)
    expect_error(lambda: bob.create_policy(PolicyName="x", PolicyDocument=allow("s3:*")), "AccessDenied", None, 403)
