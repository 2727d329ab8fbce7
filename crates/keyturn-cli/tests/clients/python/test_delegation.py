"""The partner-delegation flow through boto3's IAM and STS clients against `keyturn serve`: the
partner (account 222222222222, its root key) creates a delegation request from a policy template
of its own, the customer (account 111111111111, a session of its role `Approver`) associates,
reviews, accepts and sends it; the trade-in token arrives in the file the server's configuration
names for the partner's topic, and the partner trades it with GetDelegatedAccessToken for
credentials of the `Approver` session, narrowed to the delegated policy. Refusals: a repeated
workflow id, an unconfigured channel, a state out of order, a tampered token.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from keyturn_e2e import DEV, KEYS, PROD, KeyturnServer, allowing, client, expect_error, load_config, policy

TOPIC = f"arn:aws:sns:us-east-1:{DEV}:partner-updates"
TEMPLATE_NAME = "ReadOneRole"
SESSION = f"arn:aws:sts::{PROD}:assumed-role/Approver/reviewer"
DELEGATION_ACTIONS = [
    "iam:AssociateDelegationRequest",
    "iam:AcceptDelegationRequest",
    "iam:RejectDelegationRequest",
    "iam:UpdateDelegationRequest",
    "iam:GetDelegationRequest",
    "iam:ListDelegationRequests",
    "iam:SendDelegationToken",
]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A server whose configuration maps the partner's topic to a file; the partner's template and
    the customer's role `Approver` (assumable by the customer's user `gatekeeper`)."""
    workdir = tmp_path_factory.mktemp("keyturn-delegation")
    sink = workdir / "partner-updates.jsonl"
    config = load_config("e2e.yaml")
    config["delegation"] = {"notification_channels": {TOPIC: {"file": str(sink)}}}
    srv = KeyturnServer(workdir, config)
    partner_iam = client("iam", srv.endpoint, KEYS["root"])
    template = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "iam:GetRole", "Resource": "arn:aws:iam::${Account}:role/${RoleName}"},
            {"Effect": "Allow", "Action": "iam:ListRoleTags", "Resource": "arn:aws:iam::${Account}:role/${RoleName}"},
        ],
    }
    arn = partner_iam.create_policy(PolicyName=TEMPLATE_NAME, PolicyDocument=json.dumps(template))["Policy"]["Arn"]
    customer_iam = client("iam", srv.endpoint, KEYS["prod-root"])
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{PROD}:root"}, "Action": "sts:AssumeRole"}],
    }
    customer_iam.create_role(RoleName="Approver", AssumeRolePolicyDocument=json.dumps(trust))
    customer_iam.put_role_policy(
        RoleName="Approver",
        PolicyName="approve",
        PolicyDocument=policy(allowing(DELEGATION_ACTIONS), allowing(["iam:GetRole", "iam:ListRoles", "iam:ListRoleTags"])),
    )
    # Root may not assume roles: the user `gatekeeper` does.
    customer_iam.create_user(UserName="gatekeeper")
    customer_iam.put_user_policy(
        UserName="gatekeeper",
        PolicyName="assume",
        PolicyDocument=policy(allowing("sts:AssumeRole")),
    )
    key = customer_iam.create_access_key(UserName="gatekeeper")["AccessKey"]
    srv.gatekeeper = (key["AccessKeyId"], key["SecretAccessKey"])
    yield srv, sink, arn
    srv.stop()


def reviewer(srv) -> dict:
    out = client("sts", srv.endpoint, srv.gatekeeper).assume_role(
        RoleArn=f"arn:aws:iam::{PROD}:role/Approver", RoleSessionName="reviewer"
    )
    return out["Credentials"]


def create(srv, arn: str, workflow: str, **extra) -> str:
    out = client("iam", srv.endpoint, KEYS["root"]).create_delegation_request(
        OwnerAccountId=PROD,
        Description="Read the Approver role",
        Permissions={
            "PolicyTemplateArn": arn,
            "Parameters": [
                {"Name": "Account", "Values": [PROD], "Type": "string"},
                {"Name": "RoleName", "Values": ["Approver"], "Type": "string"},
            ],
        },
        RequestorWorkflowId=workflow,
        NotificationChannel=extra.pop("NotificationChannel", TOPIC),
        SessionDuration=1800,
        **extra,
    )
    assert out["ConsoleDeepLink"].endswith(out["DelegationRequestId"])
    return out["DelegationRequestId"]


def messages(sink) -> list[dict]:
    if not sink.exists():
        return []
    return [json.loads(line) for line in sink.read_text().splitlines()]


def test_partner_to_customer_to_credentials(world):
    srv, sink, arn = world
    request_id = create(srv, arn, "workflow-0001", RedirectUrl="https://partner.example/return?step=2")
    partner_iam = client("iam", srv.endpoint, KEYS["root"])
    got = partner_iam.get_delegation_request(DelegationRequestId=request_id)["DelegationRequest"]
    assert got["State"] == "UNASSIGNED"
    assert got["RequestorId"] == DEV
    assert got["OwnerAccountId"] == PROD
    assert got["SessionDuration"] == 1800
    assert got["RedirectUrl"] == "https://partner.example/return?step=2"
    assert json.loads(got["PermissionPolicy"])["Statement"][0]["Resource"] == f"arn:aws:iam::{PROD}:role/Approver"

    customer = client("iam", srv.endpoint, reviewer(srv))
    customer.associate_delegation_request(DelegationRequestId=request_id)
    customer.update_delegation_request(DelegationRequestId=request_id, Notes="reviewed by security")
    check = customer.get_delegation_request(DelegationRequestId=request_id, DelegationPermissionCheck=True)
    assert check["DelegationRequest"]["State"] == "PENDING_APPROVAL"
    assert check["DelegationRequest"]["OwnerId"] == SESSION
    assert (check["PermissionCheckStatus"], check["PermissionCheckResult"]) == ("COMPLETED", "ALLOWED")
    listed = customer.list_delegation_requests()["DelegationRequests"]
    assert [r["DelegationRequestId"] for r in listed] == [request_id]

    customer.accept_delegation_request(DelegationRequestId=request_id)
    assert messages(sink) == []
    customer.send_delegation_token(DelegationRequestId=request_id)
    got = partner_iam.get_delegation_request(DelegationRequestId=request_id)["DelegationRequest"]
    assert got["State"] == "FINALIZED"
    assert got["ApproverId"] == SESSION

    [message] = messages(sink)
    assert message["DelegationRequestId"] == request_id
    assert message["RequestorWorkflowId"] == "workflow-0001"
    out = client("sts", srv.endpoint, KEYS["root"]).get_delegated_access_token(TradeInToken=message["TradeInToken"])
    assert out["AssumedPrincipal"] == SESSION
    assert "PackedPolicySize" not in out
    lifetime = out["Credentials"]["Expiration"] - datetime.now(timezone.utc)
    assert 1700 < lifetime.total_seconds() <= 1800

    delegated = out["Credentials"]
    assert client("sts", srv.endpoint, delegated).get_caller_identity()["Arn"] == SESSION
    delegated_iam = client("iam", srv.endpoint, delegated)
    assert delegated_iam.get_role(RoleName="Approver")["Role"]["RoleName"] == "Approver"
    # The role may list roles; the delegated policy does not allow it.
    expect_error(delegated_iam.list_roles, "AccessDenied", None, 403)


def test_refusals(world):
    srv, sink, arn = world
    create(srv, arn, "workflow-dup1")
    partner_iam = client("iam", srv.endpoint, KEYS["root"])
    expect_error(
        lambda: create(srv, arn, "workflow-dup1"),
        "EntityAlreadyExists",
        "A delegation request with RequestorWorkflowId workflow-dup1 already exists.",
        409,
    )
    expect_error(
        lambda: create(srv, arn, "workflow-chan", NotificationChannel=f"arn:aws:sns:us-east-1:{DEV}:elsewhere"),
        "InvalidInput",
        f"The notification channel arn:aws:sns:us-east-1:{DEV}:elsewhere is not configured for delegation requests.",
        400,
    )
    request_id = create(srv, arn, "workflow-order")
    customer = client("iam", srv.endpoint, reviewer(srv))
    customer.associate_delegation_request(DelegationRequestId=request_id)
    expect_error(
        customer.send_delegation_token,
        "InvalidInput",
        f"The delegation request {request_id} is in state ASSIGNED and cannot be sent.",
        400,
        DelegationRequestId=request_id,
    )
    customer.reject_delegation_request(DelegationRequestId=request_id, Notes="not now")
    got = partner_iam.get_delegation_request(DelegationRequestId=request_id)["DelegationRequest"]
    assert (got["State"], got["RejectionReason"]) == ("REJECTED", "not now")
    expect_error(
        client("iam", srv.endpoint, KEYS["auditor"]).get_delegation_request,
        "NoSuchEntity",
        "The delegation request with id dr-00000000000000000000000000000000 cannot be found.",
        404,
        DelegationRequestId="dr-00000000000000000000000000000000",
    )
    expect_error(
        client("sts", srv.endpoint, KEYS["root"]).get_delegated_access_token,
        "InvalidParameterValue",
        "The trade-in token provided in the request is invalid.",
        400,
        TradeInToken="AAAA" * 40,
    )
