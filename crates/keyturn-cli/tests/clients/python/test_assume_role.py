"""AssumeRole's rules through boto3: authorization, ExternalId, tags, durations, chaining, source identity."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from botocore.exceptions import ClientError

from keyturn_e2e import DEV, PROD, expect_error, not_authorized, role_arn, user_arn

ALICE = user_arn("alice")


def lifetime(creds) -> float:
    return (creds["Expiration"] - datetime.now(timezone.utc)).total_seconds()


# --- authorization ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        "NoTrustRole",  # its trust policy does not name the caller
        "DoesNotExist",  # AWS answers a missing role with the same denial
    ],
)
def test_a_role_that_does_not_trust_the_caller_or_does_not_exist_denies(sts, role):
    arn = role_arn(role)
    expect_error(
        sts("alice").assume_role, "AccessDenied", not_authorized(ALICE, "sts:AssumeRole", arn), 403,
        RoleArn=arn, RoleSessionName="s1",
    )


def test_cross_account_needs_the_callers_own_policy_too(sts):
    # UpdateApp trusts account 222222222222, but bob's own policies allow nothing.
    arn = role_arn("UpdateApp")
    expect_error(
        sts("bob").assume_role, "AccessDenied", not_authorized(user_arn("bob"), "sts:AssumeRole", arn), 403,
        RoleArn=arn, RoleSessionName="s1",
    )


def test_root_cannot_assume_roles(sts):
    ident = sts("root").get_caller_identity()
    assert ident["Arn"] == f"arn:aws:iam::{DEV}:root"
    assert ident["UserId"] == DEV
    expect_error(
        sts("root").assume_role, "AccessDenied", "Roles may not be assumed by root accounts.", 403,
        RoleArn=role_arn("UpdateApp"), RoleSessionName="s1",
    )


def test_malformed_role_arn_is_a_validation_error(sts):
    expect_error(
        sts("alice").assume_role, "ValidationError", "not-an-arn-at-all-xxxx is invalid", 400,
        RoleArn="not-an-arn-at-all-xxxx", RoleSessionName="s1",
    )


def test_session_name_pattern_is_a_validation_error(sts):
    expect_error(
        sts("alice").assume_role, "ValidationError",
        "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        400,
        RoleArn=role_arn("UpdateApp"), RoleSessionName="Session1:2",
    )


# --- ExternalId ------------------------------------------------------------------------------


def test_external_id_missing_or_wrong_is_denied(sts):
    arn = role_arn("ExternalIdRole")
    denied = not_authorized(ALICE, "sts:AssumeRole", arn)
    expect_error(sts("alice").assume_role, "AccessDenied", denied, 403, RoleArn=arn, RoleSessionName="s1")
    expect_error(
        sts("alice").assume_role, "AccessDenied", denied, 403, RoleArn=arn, RoleSessionName="s1",
        ExternalId="e2e-external-0000",
    )


def test_external_id_right_is_allowed(sts):
    out = sts("alice").assume_role(
        RoleArn=role_arn("ExternalIdRole"), RoleSessionName="ext", ExternalId="e2e-external-4821"
    )
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{PROD}:assumed-role/ExternalIdRole/ext"


# --- session tags ----------------------------------------------------------------------------

TAG_ROLE = role_arn("TagRole", "/tagging/")


def test_tags_need_sts_tag_session_in_the_trust_policy(sts):
    arn = role_arn("NoTagRole")
    expect_error(
        sts("alice").assume_role, "AccessDenied", not_authorized(ALICE, "sts:TagSession", arn), 403,
        RoleArn=arn, RoleSessionName="s1", Tags=[{"Key": "project", "Value": "x"}],
    )


def test_tagged_session_and_role_path_dropped_from_the_session_arn(sts):
    out = sts("alice").assume_role(
        RoleArn=TAG_ROLE, RoleSessionName="tagged",
        Tags=[{"Key": "Project", "Value": "blue"}, {"Key": "cost-center", "Value": ""}],
        TransitiveTagKeys=["Project"],
    )
    # The role's path (/tagging/) does not appear in the assumed-role ARN.
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{PROD}:assumed-role/TagRole/tagged"
    assert isinstance(out["PackedPolicySize"], int) and 0 <= out["PackedPolicySize"] <= 100


def test_duplicate_tag_keys_ignoring_case(sts):
    expect_error(
        sts("alice").assume_role, "InvalidParameterValue",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.", 400,
        RoleArn=TAG_ROLE, RoleSessionName="s1",
        Tags=[{"Key": "Project", "Value": "a"}, {"Key": "project", "Value": "b"}],
    )


def test_transitive_key_must_be_among_the_tags(sts):
    expect_error(
        sts("alice").assume_role, "InvalidParameterValue",
        "The specified transitive tag key must be included in the requested tags.", 400,
        RoleArn=TAG_ROLE, RoleSessionName="s1",
        Tags=[{"Key": "Project", "Value": "a"}], TransitiveTagKeys=["Team"],
    )


def test_tag_keys_with_the_aws_prefix_are_refused(sts):
    response = expect_error(
        sts("alice").assume_role, "InvalidParameterValue", None, 400,
        RoleArn=TAG_ROLE, RoleSessionName="s1", Tags=[{"Key": "aws:team", "Value": "a"}],
    )
    assert "aws:" in response["Error"]["Message"], response["Error"]


def test_tag_keys_with_the_aws_prefix_in_any_case_are_refused(sts):
    response = expect_error(
        sts("alice").assume_role, "InvalidParameterValue", None, 400,
        RoleArn=TAG_ROLE, RoleSessionName="s1", Tags=[{"Key": "AWS:Team", "Value": "a"}],
    )
    assert "aws:" in response["Error"]["Message"].lower(), response["Error"]


def test_federation_token_tags_with_the_aws_prefix_are_refused(sts):
    response = expect_error(
        sts("fed").get_federation_token, "InvalidParameterValue", None, 400,
        Name="partner", Tags=[{"Key": "aws:team", "Value": "a"}],
    )
    assert "aws:" in response["Error"]["Message"], response["Error"]


def test_more_than_fifty_tags_is_a_validation_error(sts):
    response = expect_error(
        sts("alice").assume_role, "ValidationError", None, 400,
        RoleArn=TAG_ROLE, RoleSessionName="s1", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)],
    )
    # How the list's value is printed is not specified; the rest of AWS's text is.
    assert response["Error"]["Message"].startswith("1 validation error detected: Value ")
    assert "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50" in (
        response["Error"]["Message"]
    )


def test_transitive_tags_cannot_be_overridden_down_the_chain(sts):
    first = sts("alice").assume_role(
        RoleArn=TAG_ROLE, RoleSessionName="hop1",
        Tags=[{"Key": "Project", "Value": "blue"}], TransitiveTagKeys=["Project"],
    )["Credentials"]
    expect_error(
        sts(first).assume_role, "InvalidParameterValue",
        "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key "
        "from the calling session.",
        400,
        RoleArn=role_arn("ChainB"), RoleSessionName="hop2",
        Tags=[{"Key": "project", "Value": "red"}], TransitiveTagKeys=["project"],
    )


# --- durations and chaining ------------------------------------------------------------------


def test_duration_above_the_roles_maximum(sts):
    expect_error(
        sts("alice").assume_role, "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400,
        RoleArn=role_arn("UpdateApp"), RoleSessionName="s1", DurationSeconds=3601,
    )


def test_duration_below_the_minimum(sts):
    expect_error(
        sts("alice").assume_role, "ValidationError",
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: "
        "Member must have value greater than or equal to 900",
        400,
        RoleArn=role_arn("UpdateApp"), RoleSessionName="s1", DurationSeconds=899,
    )


def test_duration_up_to_the_roles_maximum(sts):
    creds = sts("alice").assume_role(RoleArn=TAG_ROLE, RoleSessionName="long", DurationSeconds=7200)["Credentials"]
    assert 7190 <= lifetime(creds) <= 7205


def test_role_chaining_is_capped_at_one_hour(sts):
    hop1 = sts("alice").assume_role(RoleArn=role_arn("ChainA"), RoleSessionName="hop1")["Credentials"]
    # ChainB allows 12 hours when assumed directly...
    direct = sts("alice").assume_role(RoleArn=role_arn("ChainB"), RoleSessionName="direct", DurationSeconds=7200)
    assert 7190 <= lifetime(direct["Credentials"]) <= 7205
    # ...but a chained session is capped at one hour.
    expect_error(
        sts(hop1).assume_role, "ValidationError",
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", 400,
        RoleArn=role_arn("ChainB"), RoleSessionName="hop2", DurationSeconds=7200,
    )
    hop2 = sts(hop1).assume_role(RoleArn=role_arn("ChainB"), RoleSessionName="hop2", DurationSeconds=3600)
    assert hop2["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{PROD}:assumed-role/ChainB/hop2"
    assert 3590 <= lifetime(hop2["Credentials"]) <= 3605
    assert sts(hop2["Credentials"]).get_caller_identity()["Arn"] == hop2["AssumedRoleUser"]["Arn"]


def test_chained_session_trusted_by_role_arn(sts):
    hop1 = sts("alice").assume_role(RoleArn=role_arn("ChainA"), RoleSessionName="hop1")["Credentials"]
    # ChainA's session may assume ChainB (named in its policy and in ChainB's trust) but not UpdateApp.
    arn = role_arn("UpdateApp")
    expect_error(
        sts(hop1).assume_role, "AccessDenied",
        not_authorized(f"arn:aws:sts::{PROD}:assumed-role/ChainA/hop1", "sts:AssumeRole", arn), 403,
        RoleArn=arn, RoleSessionName="hop2",
    )


# --- source identity -------------------------------------------------------------------------


def test_source_identity_is_returned_and_persists_along_the_chain(sts):
    hop1 = sts("alice").assume_role(RoleArn=role_arn("ChainA"), RoleSessionName="hop1", SourceIdentity="alice")
    assert hop1["SourceIdentity"] == "alice"
    # Not given again: the chained session keeps it.
    hop2 = sts(hop1["Credentials"]).assume_role(RoleArn=role_arn("ChainB"), RoleSessionName="hop2")
    assert hop2["SourceIdentity"] == "alice"
    # Given again with the same value: allowed.
    same = sts(hop1["Credentials"]).assume_role(
        RoleArn=role_arn("ChainB"), RoleSessionName="hop2b", SourceIdentity="alice"
    )
    assert same["SourceIdentity"] == "alice"


def test_source_identity_cannot_change_along_the_chain(sts):
    hop1 = sts("alice").assume_role(RoleArn=role_arn("ChainA"), RoleSessionName="hop1", SourceIdentity="alice")
    response = expect_error(
        sts(hop1["Credentials"]).assume_role, "AccessDenied", None, 403,
        RoleArn=role_arn("ChainB"), RoleSessionName="hop2", SourceIdentity="mallory",
    )
    assert response["Error"]["Message"], response


def test_source_identity_needs_set_source_identity_in_the_trust_policy(sts):
    arn = role_arn("UpdateApp")
    expect_error(
        sts("alice").assume_role, "AccessDenied", not_authorized(ALICE, "sts:SetSourceIdentity", arn), 403,
        RoleArn=arn, RoleSessionName="s1", SourceIdentity="alice",
    )


def test_source_identity_with_aws_prefix_is_refused(sts):
    with pytest.raises(ClientError) as info:
        sts("alice").assume_role(RoleArn=role_arn("ChainA"), RoleSessionName="s1", SourceIdentity="aws:alice")
    response = info.value.response
    assert response["Error"]["Code"] in {"ValidationError", "InvalidParameterValue"}, response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


# --- session policies ------------------------------------------------------------------------


def test_malformed_session_policy(sts):
    response = expect_error(
        sts("alice").assume_role, "MalformedPolicyDocument", None, 400,
        RoleArn=role_arn("UpdateApp"), RoleSessionName="s1", Policy="{not json",
    )
    assert response["Error"]["Message"], response


def test_session_policy_reports_its_packed_size(sts):
    policy = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",'
        '"Resource":"arn:aws:s3:::productionapp/*"}]}'
    )
    out = sts("alice").assume_role(RoleArn=role_arn("UpdateApp"), RoleSessionName="scoped", Policy=policy)
    assert isinstance(out["PackedPolicySize"], int) and 0 < out["PackedPolicySize"] <= 100, out
    assert sts(out["Credentials"]).get_caller_identity()["Arn"].endswith(":assumed-role/UpdateApp/scoped")
