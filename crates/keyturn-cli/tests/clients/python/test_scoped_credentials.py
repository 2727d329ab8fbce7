"""GetScopedCredentials through boto3 (botocore 1.44 knows it): the caller's own session narrowed
by up to three scope-down policies, its lifetime at most the caller's, the same identity; the
refusals (long-term keys, nothing to scope, a fourth policy, a too long duration, a malformed or
too large policy), on a fresh server per module.

The role `Scoped` is made in the production account (111111111111, `prod-root`); alice of the
development account assumes it (her group lets her assume production roles).
"""

from __future__ import annotations

import json
import math
from datetime import timedelta

import pytest

from keyturn_e2e import DEV, KEYS, PROD, client, expect_error, not_authorized, role_arn, user_arn

ADMIN_KEY = "prod-root"
SESSION = f"arn:aws:sts::{PROD}:assumed-role/Scoped/agent"
TOKEN_BUDGET = 16_384
LONG_TERM_TEXT = (
    "GetScopedCredentials can only be called with temporary security credentials. To scope down IAM user "
    "or root user credentials, call GetSessionToken first and call GetScopedCredentials with those credentials."
)
NOTHING_TO_SCOPE_TEXT = "A request must provide at least one of Policy or DurationSeconds."
TOO_MANY_LAYERS_TEXT = (
    "The calling session already has the maximum of 3 scope down policies: "
    "GetScopedCredentials cannot append another."
)


def allow(*actions: str) -> str:
    statement = {"Effect": "Allow", "Action": list(actions), "Resource": "*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.fixture(scope="module")
def scoped_role(fresh):
    """The role `Scoped`: alice's account may assume it (and set a source identity); it may read
    and list roles, scope itself down and assume roles."""
    iam = client("iam", fresh.endpoint, KEYS["prod-root"])
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{DEV}:root"},
                "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
            }
        ],
    }
    iam.create_role(RoleName="Scoped", AssumeRolePolicyDocument=json.dumps(trust), MaxSessionDuration=7200)
    iam.put_role_policy(
        RoleName="Scoped",
        PolicyName="work",
        PolicyDocument=allow("iam:GetRole", "iam:ListRoles", "sts:GetScopedCredentials", "sts:AssumeRole"),
    )
    return role_arn("Scoped")


def agent(fresh, scoped_role, duration: int = 3600) -> dict:
    """A session `agent` of the role, with source identity `alice-si`."""
    out = client("sts", fresh.endpoint, KEYS["alice"]).assume_role(
        RoleArn=scoped_role, RoleSessionName="agent", SourceIdentity="alice-si", DurationSeconds=duration
    )
    return out["Credentials"]


def sts(fresh, creds):
    return client("sts", fresh.endpoint, creds)


def test_the_response_shape_and_the_same_identity(fresh, scoped_role):
    caller = agent(fresh, scoped_role)
    before = sts(fresh, caller).get_caller_identity()
    out = sts(fresh, caller).get_scoped_credentials(
        Policy=allow("iam:ListRoles", "sts:GetScopedCredentials"), ScopedSessionDescription="listing agent"
    )
    assert out["SessionInfo"] == {"ScopedSessionId": before["UserId"], "Arn": SESSION}
    assert out["ScopedPoliciesCount"] == 1
    assert out["SourceIdentity"] == "alice-si"
    token = out["Credentials"]["SessionToken"]
    assert out["SessionTokenSize"] == len(token)
    assert out["SessionTokenUtilization"] == min(100, math.ceil(len(token) * 100 / TOKEN_BUDGET))
    assert out["Credentials"]["AccessKeyId"].startswith("ASIA")
    assert out["Credentials"]["AccessKeyId"] != caller["AccessKeyId"]
    # Omitted DurationSeconds: the caller's expiry.
    assert out["Credentials"]["Expiration"] == caller["Expiration"]
    after = sts(fresh, out["Credentials"]).get_caller_identity()
    assert (after["Arn"], after["UserId"], after["Account"]) == (SESSION, before["UserId"], PROD)


def test_a_scope_down_policy_narrows_what_the_role_allows(fresh, scoped_role):
    caller = agent(fresh, scoped_role)
    out = sts(fresh, caller).get_scoped_credentials(Policy=allow("iam:ListRoles"))
    narrowed = client("iam", fresh.endpoint, out["Credentials"])
    # Both allow it: it works.
    assert any(r["RoleName"] == "Scoped" for r in narrowed.list_roles()["Roles"])
    # The role allows it, the scope-down policy does not: AWS's AccessDenied naming the session.
    expect_error(
        narrowed.get_role, "AccessDenied", not_authorized(SESSION, "iam:GetRole", scoped_role), 403, RoleName="Scoped"
    )
    # The calling session keeps its own permissions.
    assert client("iam", fresh.endpoint, caller).get_role(RoleName="Scoped")["Role"]["Arn"] == scoped_role
    # Without sts:GetScopedCredentials in the scope-down policy, the session cannot scope itself again.
    expect_error(
        sts(fresh, out["Credentials"]).get_scoped_credentials,
        "AccessDenied",
        not_authorized(SESSION, "sts:GetScopedCredentials", SESSION),
        403,
        DurationSeconds=60,
    )
    # An explicit deny in a scope-down policy denies what the rest allows.
    deny = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
                {"Effect": "Deny", "Action": "iam:ListRoles", "Resource": "*"},
            ],
        }
    )
    denied = client("iam", fresh.endpoint, sts(fresh, caller).get_scoped_credentials(Policy=deny)["Credentials"])
    assert denied.get_role(RoleName="Scoped")["Role"]["RoleName"] == "Scoped"
    response = expect_error(denied.list_roles, "AccessDenied", None, 403)
    assert response["Error"]["Message"].startswith(f"User: {SESSION} is not authorized to perform: iam:ListRoles")


def test_three_layers_stack_and_a_fourth_is_refused(fresh, scoped_role):
    g = "sts:GetScopedCredentials"
    creds = agent(fresh, scoped_role)
    layers = [allow(g, "iam:GetRole", "iam:ListRoles"), allow(g, "iam:GetRole", "iam:ListRoles"), allow(g, "iam:GetRole")]
    for n, layer in enumerate(layers, start=1):
        out = sts(fresh, creds).get_scoped_credentials(Policy=layer)
        assert out["ScopedPoliciesCount"] == n
        creds = out["Credentials"]
        assert sts(fresh, creds).get_caller_identity()["Arn"] == SESSION
    third = client("iam", fresh.endpoint, creds)
    assert third.get_role(RoleName="Scoped")["Role"]["Arn"] == scoped_role
    response = expect_error(third.list_roles, "AccessDenied", None, 403)
    assert response["Error"]["Message"].startswith(f"User: {SESSION} is not authorized to perform: iam:ListRoles")
    expect_error(
        sts(fresh, creds).get_scoped_credentials, "AccessDenied", TOO_MANY_LAYERS_TEXT, 403, Policy=allow(g)
    )
    # A duration alone adds no policy.
    out = sts(fresh, creds).get_scoped_credentials(DurationSeconds=300)
    assert out["ScopedPoliciesCount"] == 3


def test_lifetime_rules(fresh, scoped_role):
    caller = agent(fresh, scoped_role, duration=900)
    out = sts(fresh, caller).get_scoped_credentials(DurationSeconds=60)
    lifetime = out["Credentials"]["Expiration"] - caller["Expiration"]
    # 60 seconds from now: at least 839 seconds before the caller's expiry (a second of slack).
    assert timedelta(seconds=-841) <= lifetime <= timedelta(seconds=-838), lifetime
    response = expect_error(
        sts(fresh, caller).get_scoped_credentials, "InsufficientSessionLifetime", None, 400, DurationSeconds=1000
    )
    message = response["Error"]["Message"]
    assert message.startswith("The requested DurationSeconds (1000) exceeds the remaining lifetime of the calling session (")
    # The model's range.
    expect_error(
        sts(fresh, caller).get_scoped_credentials,
        "ValidationError",
        "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: "
        "Member must have value less than or equal to 129600",
        400,
        DurationSeconds=129_601,
    )


def test_long_term_keys_are_refused_and_a_session_token_session_works(fresh, scoped_role):
    alice = client("sts", fresh.endpoint, KEYS["alice"])
    expect_error(alice.get_scoped_credentials, "InvalidSubjectCredentials", LONG_TERM_TEXT, 400, DurationSeconds=60)
    root = client("sts", fresh.endpoint, KEYS["prod-root"])
    expect_error(root.get_scoped_credentials, "InvalidSubjectCredentials", LONG_TERM_TEXT, 400, DurationSeconds=60)
    # Through GetSessionToken first, as AWS documents (root's identity allows everything).
    session = root.get_session_token(DurationSeconds=900)["Credentials"]
    out = sts(fresh, session).get_scoped_credentials(Policy=allow("sts:GetCallerIdentity"))
    assert out["SessionInfo"]["Arn"] == f"arn:aws:iam::{PROD}:root"
    assert "SourceIdentity" not in out
    assert sts(fresh, out["Credentials"]).get_caller_identity()["Arn"] == f"arn:aws:iam::{PROD}:root"
    # A user's session needs sts:GetScopedCredentials from her policies, which alice's do not give.
    session = alice.get_session_token(DurationSeconds=900)["Credentials"]
    expect_error(
        sts(fresh, session).get_scoped_credentials,
        "AccessDenied",
        not_authorized(user_arn("alice"), "sts:GetScopedCredentials", user_arn("alice")),
        403,
        DurationSeconds=120,
    )


def test_malformed_missing_and_too_large_policies(fresh, scoped_role):
    caller = agent(fresh, scoped_role)
    expect_error(sts(fresh, caller).get_scoped_credentials, "ValidationError", NOTHING_TO_SCOPE_TEXT, 400)
    response = expect_error(
        sts(fresh, caller).get_scoped_credentials, "MalformedPolicyDocument", None, 400, Policy="{not json"
    )
    assert response["Error"]["Message"]
    no_resource = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]})
    expect_error(sts(fresh, caller).get_scoped_credentials, "MalformedPolicyDocument", None, 400, Policy=no_resource)

    def big(n: int) -> str:
        resources = [f"arn:aws:s3:::bucket-{n}-{i:02}-{'x' * 70}/*" for i in range(18)] + ["*"]
        statement = {"Effect": "Allow", "Action": ["s3:*", "sts:GetScopedCredentials"], "Resource": resources}
        return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, separators=(",", ":"))

    assert 1900 < len(big(1)) <= 2048
    creds = caller
    for n in (1, 2):
        creds = sts(fresh, creds).get_scoped_credentials(Policy=big(n))["Credentials"]
    response = expect_error(
        sts(fresh, creds).get_scoped_credentials, "PackedPolicyTooLarge", None, 400, Policy=big(3)
    )
    message = response["Error"]["Message"]
    assert message.startswith("Packed policy consumes ") and message.endswith(
        "% of allotted space, please use smaller policy for this request."
    ), message


def test_assume_role_from_a_scoped_session(fresh, scoped_role):
    caller = agent(fresh, scoped_role)
    # The scope-down policy does not allow sts:AssumeRole: AWS's AccessDenied for AssumeRole.
    out = sts(fresh, caller).get_scoped_credentials(Policy=allow("iam:GetRole"))
    response = expect_error(
        sts(fresh, out["Credentials"]).assume_role,
        "AccessDenied",
        None,
        403,
        RoleArn=scoped_role,
        RoleSessionName="again",
    )
    assert response["Error"]["Message"].startswith(not_authorized(SESSION, "sts:AssumeRole", scoped_role))
