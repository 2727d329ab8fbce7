"""IAM's write operations through boto3, on a fresh server per module (the shared server's world
stays as configs/e2e.yaml has it).

The development account (222222222222) has root keys (`root`) and a group `developers`.
"""

from __future__ import annotations

import pytest

from keyturn_e2e import DEV, KEYS, client, expect_error, expect_iam_error


def test_create_user_answers_with_the_user_and_it_is_readable_at_once(admin):
    made = admin.create_user(UserName="newbie", Path="/team/", Tags=[{"Key": "k", "Value": "v"}])["User"]
    assert made["Arn"] == f"arn:aws:iam::{DEV}:user/team/newbie"
    assert made["UserId"].startswith("AIDA")
    assert made["Tags"] == [{"Key": "k", "Value": "v"}]
    got = admin.get_user(UserName="newbie")["User"]
    assert got["UserId"] == made["UserId"]
    assert got["CreateDate"] == made["CreateDate"]


def test_a_second_user_of_the_same_name_ignoring_case_is_refused(admin):
    admin.create_user(UserName="twin")
    expect_iam_error(
        lambda: admin.create_user(UserName="TWIN"), "EntityAlreadyExists", "User with name TWIN already exists."
    )


def test_add_user_to_group_then_delete_conflicts_until_removed(admin):
    admin.create_user(UserName="member")
    admin.add_user_to_group(GroupName="developers", UserName="member")
    groups = admin.list_groups_for_user(UserName="member")["Groups"]
    assert [g["GroupName"] for g in groups] == ["developers"]
    expect_iam_error(
        lambda: admin.delete_user(UserName="member"),
        "DeleteConflict",
        "Cannot delete entity, must remove users from group first.",
    )


def test_delete_user_of_an_unknown_user_is_no_such_entity(admin):
    expect_iam_error(
        lambda: admin.delete_user(UserName="ghost"), "NoSuchEntity", "The user with name ghost cannot be found."
    )
    admin.create_user(UserName="short-lived")
    admin.delete_user(UserName="short-lived")
    expect_iam_error(lambda: admin.get_user(UserName="short-lived"), "NoSuchEntity", None)


def test_a_user_without_iam_permissions_is_denied(fresh):
    bob = client("iam", fresh.endpoint, KEYS["bob"])
    expect_error(lambda: bob.create_user(UserName="x"), "AccessDenied", None, 403)
