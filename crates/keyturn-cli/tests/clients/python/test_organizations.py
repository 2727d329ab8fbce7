"""AWS Organizations through boto3: SCPs and RCPs in real requests, SimulatePrincipalPolicy's
OrganizationsDecisionDetail, and AssumeRoot end to end (configs/organizations.yaml)."""

from __future__ import annotations

import datetime

import pytest
from botocore.exceptions import ClientError

from keyturn_e2e import DEV, KeyturnServer, client, config_keys, load_config, not_authorized

ORG_KEYS = config_keys(load_config("organizations.yaml"), roots={DEV: "root-222"})
SHARED = "arn:aws:iam::222222222222:role/Shared"
TASK = "arn:aws:iam::aws:policy/root-task/"


@pytest.fixture(scope="module")
def org(tmp_path_factory):
    srv = KeyturnServer(tmp_path_factory.mktemp("keyturn-org"), load_config("organizations.yaml"))
    yield srv
    assert srv.stop() == 0, srv.output()


def sts(org, who, region="us-east-1"):
    creds = ORG_KEYS[who] if isinstance(who, str) else who
    return client("sts", org.endpoint, creds, region=region)


def iam(org, who):
    creds = ORG_KEYS[who] if isinstance(who, str) else who
    return client("iam", org.endpoint, creds)


def code(e: ClientError) -> str:
    return e.response["Error"]["Code"]


def test_an_scp_at_the_ou_denies_what_identity_policies_allow(org):
    with pytest.raises(ClientError) as e:
        iam(org, "dev").create_user(UserName="new")
    assert code(e.value) == "AccessDenied"
    assert e.value.response["Error"]["Message"].startswith(
        not_authorized("arn:aws:iam::222222222222:user/dev", "iam:CreateUser", "arn:aws:iam::222222222222:user/new")
    )
    # Other IAM actions pass every level.
    assert iam(org, "dev").get_user()["User"]["UserName"] == "dev"
    # The management account is not limited by SCPs.
    iam(org, "admin").create_user(UserName="made-by-admin")


def test_a_level_where_no_scp_allows_denies_and_the_root_scp_reaches_every_account(org):
    with pytest.raises(ClientError) as e:
        iam(org, "sandbox").get_user()
    assert code(e.value) == "AccessDenied"
    assert sts(org, "sandbox").get_caller_identity()["Account"] == "333333333333"
    # The root's SCP denies requests for other regions to every member account: an authorized
    # action passes in eu-west-1 (to fail on its input) and is denied in us-west-2.
    with pytest.raises(ClientError) as e:
        sts(org, "dev", region="eu-west-1").decode_authorization_message(EncodedMessage="not-a-message")
    assert code(e.value) == "InvalidAuthorizationMessageException"
    with pytest.raises(ClientError) as e:
        sts(org, "dev", region="us-west-2").decode_authorization_message(EncodedMessage="not-a-message")
    assert code(e.value) == "AccessDenied"
    # The management account is not limited.
    with pytest.raises(ClientError) as e:
        sts(org, "admin", region="us-west-2").decode_authorization_message(EncodedMessage="not-a-message")
    assert code(e.value) == "InvalidAuthorizationMessageException"


def test_an_rcp_denies_assuming_a_member_role_from_outside(org):
    with pytest.raises(ClientError) as e:
        sts(org, "outsider").assume_role(RoleArn=SHARED, RoleSessionName="out")
    assert code(e.value) == "AccessDenied"
    assert e.value.response["Error"]["Message"].startswith(
        not_authorized("arn:aws:iam::444444444444:user/outsider", "sts:AssumeRole", SHARED)
    )
    r = sts(org, "admin").assume_role(RoleArn=SHARED, RoleSessionName="in")
    assert r["AssumedRoleUser"]["Arn"] == "arn:aws:sts::222222222222:assumed-role/Shared/in"


def test_simulation_reports_allowed_by_organizations(org):
    def simulate(**extra):
        out = iam(org, "dev").simulate_principal_policy(
            PolicySourceArn="arn:aws:iam::222222222222:user/dev",
            ActionNames=["iam:GetUser", "iam:CreateUser"],
            **extra,
        )
        return {
            r["EvalActionName"]: (r["EvalDecision"], r["OrganizationsDecisionDetail"]["AllowedByOrganizations"])
            for r in out["EvaluationResults"]
        }

    region = [{"ContextKeyName": "aws:RequestedRegion", "ContextKeyValues": ["us-east-1"], "ContextKeyType": "string"}]
    assert simulate(ContextEntries=region) == {
        "iam:GetUser": ("allowed", True),
        "iam:CreateUser": ("explicitDeny", False),
    }
    # Without aws:RequestedRegion the root's StringNotEquals deny matches (a missing key satisfies a
    # negated operator), so the organization denies everything.
    assert simulate() == {"iam:GetUser": ("explicitDeny", False), "iam:CreateUser": ("explicitDeny", False)}
    # The management account's users are not in the SCPs' scope: no detail at all.
    out = iam(org, "admin").simulate_principal_policy(
        PolicySourceArn="arn:aws:iam::111111111111:user/admin", ActionNames=["iam:CreateUser"]
    )
    result = out["EvaluationResults"][0]
    assert result["EvalDecision"] == "allowed"
    assert "OrganizationsDecisionDetail" not in result


def test_assume_root_deletes_a_member_root_key_and_nothing_else(org):
    r = sts(org, "admin").assume_root(
        TargetPrincipal="222222222222", TaskPolicyArn={"arn": TASK + "IAMDeleteRootUserCredentials"}
    )
    c = r["Credentials"]
    assert c["AccessKeyId"].startswith("ASIA")
    remaining = (c["Expiration"] - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    assert 800 < remaining <= 900
    assert r["SessionTokenSize"] == len(c["SessionToken"])
    root = (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    me = sts(org, root).get_caller_identity()
    assert (me["Arn"], me["UserId"], me["Account"]) == (
        "arn:aws:iam::222222222222:root",
        "222222222222",
        "222222222222",
    )
    # The task allows these on the root user only.
    keys = iam(org, root).list_access_keys()["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in keys] == [ORG_KEYS["root-222"][0]]
    with pytest.raises(ClientError) as e:
        iam(org, root).list_access_keys(UserName="dev")
    assert code(e.value) == "AccessDenied"
    with pytest.raises(ClientError) as e:
        iam(org, root).create_user(UserName="by-root")
    assert code(e.value) == "AccessDenied"
    # The root's long-term key works until the session deletes it.
    assert sts(org, "root-222").get_caller_identity()["Arn"] == "arn:aws:iam::222222222222:root"
    iam(org, root).delete_access_key(AccessKeyId=ORG_KEYS["root-222"][0])
    with pytest.raises(ClientError) as e:
        sts(org, "root-222").get_caller_identity()
    assert code(e.value) == "InvalidClientTokenId"


def test_assume_root_refusals(org):
    audit = {"arn": TASK + "IAMAuditRootUserCredentials"}
    # Only the management account and the delegated administrator may ask.
    with pytest.raises(ClientError) as e:
        sts(org, "sandbox").assume_root(TargetPrincipal="222222222222", TaskPolicyArn=audit)
    assert code(e.value) == "AccessDenied"
    assert e.value.response["Error"]["Message"] == not_authorized(
        "arn:aws:iam::333333333333:user/sandbox", "sts:AssumeRoot", "arn:aws:iam::222222222222:root"
    )
    r = sts(org, "dev").assume_root(TargetPrincipal="arn:aws:iam::333333333333:root", TaskPolicyArn=audit, DurationSeconds=60)
    assert r["Credentials"]["AccessKeyId"].startswith("ASIA")
    # Not a member account, not a root-task policy, too long.
    for target in ("111111111111", "444444444444"):
        with pytest.raises(ClientError) as e:
            sts(org, "admin").assume_root(TargetPrincipal=target, TaskPolicyArn=audit)
        assert code(e.value) == "AccessDenied", target
    with pytest.raises(ClientError) as e:
        sts(org, "admin").assume_root(
            TargetPrincipal="222222222222", TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}
        )
    assert code(e.value) == "ValidationError"
    with pytest.raises(ClientError) as e:
        sts(org, "admin").assume_root(TargetPrincipal="222222222222", TaskPolicyArn=audit, DurationSeconds=901)
    assert code(e.value) == "ValidationError"
