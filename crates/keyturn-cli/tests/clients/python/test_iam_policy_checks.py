"""IAM's checks of policy documents through boto3 (issue 12): the first error IAM reports for a
document with several faults, and documents IAM accepts although they look odd, kept as written.
The order and texts are IAM's (docs/policy.md, "Messages"); a fresh server of its own.
"""

from __future__ import annotations

import json

import pytest

from keyturn_e2e import expect_error

MALFORMED = "MalformedPolicyDocument"


def doc(*statements, version: str | None = "2012-10-17") -> str:
    body: dict = {"Statement": list(statements)}
    if version is not None:
        body["Version"] = version
    return json.dumps(body)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        # The version a managed policy needs comes before the legacy parser's effect check.
        (doc({"Effect": "deny", "Action": "ec2:Run", "Resource": "*"}, version=None),
         "Policy document must be version 2012-10-17 or greater."),
        # The legacy parser comes before the missing action.
        (doc({"Effect": "ALLOW", "Resource": "*"}), "The policy failed legacy parsing"),
        (doc({"Effect": "Allow", "Action": "ec2:Run", "Resource": "*",
              "Condition": {"DateLessThan": {"aws:CurrentTime": "2021-02-30"}}}),
         "The policy failed legacy parsing"),
        # Unique statement ids before the missing action.
        (doc({"Sid": "x", "Effect": "Allow", "Action": "ec2:Run", "Resource": "*"},
             {"Sid": "x", "Effect": "Allow", "Resource": "*"}),
         "Statement IDs (SID) in a single policy must be unique."),
        # A resource's format before the action's.
        (doc({"Effect": "Allow", "Action": "ec2:Run:Instances", "Resource": "arn:aws:iam:us-east-1::user/u"}),
         "IAM resource arn:aws:iam:us-east-1::user/u cannot contain region information."),
        (doc({"Effect": "Allow", "Action": "ec2:Run", "Resource": "x:moon:ec2"}),
         'Partition "moon" is not valid for resource "arn:moon:ec2:*:*:*".'),
        (doc({"Effect": "Allow", "Action": "ec2:Run:Instances", "Resource": "*"}),
         "Actions/Condition can contain only one colon."),
        # The missing resource is the last check.
        (doc({"Effect": "Allow", "Action": "RunInstances"}),
         "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
        (doc({"Effect": "Allow", "Action": "ec2:Run"}), "Policy statement must contain resources."),
        (doc({"Effect": "Allow", "Action": "ec2:Run", "Resource": "*",
              "Condition": {"StringEqualz": {"ec2:Region": "x"}}}),
         "Syntax errors in policy."),
    ],
)
def test_create_policy_reports_iams_first_error(admin, document, message):
    expect_error(
        lambda: admin.create_policy(PolicyName="Checked", PolicyDocument=document), MALFORMED, message, 400
    )


def test_documents_iam_accepts_are_kept_as_written(admin):
    accepted = doc(
        {"Sid": "", "Effect": "Allow", "Action": ["s3:*", None],
         "Resource": ["arn:aws:s3:eu-west-1:222222222222:accesspoint/ap/object/*", "arn:aws:s3", None]},
        {"Sid": "", "Effect": "Allow", "Action": "my.service:Do Something", "Resource": "*",
         "Condition": {"StringEquals": {"team": []}, "NoSuchOperator": {},
                       "DateGreaterThan": {"aws:CurrentTime": "2020-06-01t9:30:00.5+02"}}},
    )
    arn = admin.create_policy(PolicyName="Odd", PolicyDocument=accepted)["Policy"]["Arn"]
    version = admin.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
    assert version["Document"] == json.loads(accepted)


def test_inline_policy_with_an_encoded_short_arn_round_trips(admin):
    # An ARN of three parts (with URL-encoded colons) under the 2008-10-17 language, which inline
    # policies may still use: IAM accepts it and returns the document unchanged.
    admin.create_user(UserName="encoded")
    document = doc({"Effect": "Allow", "Action": ["apigateway:PUT"],
                    "Resource": ["arn:aws:test%3Aencoded%3Astring"]}, version=None)
    admin.put_user_policy(UserName="encoded", PolicyName="p", PolicyDocument=document)
    got = admin.get_user_policy(UserName="encoded", PolicyName="p")["PolicyDocument"]
    assert got == json.loads(document)
    expect_error(
        lambda: admin.create_policy(PolicyName="Encoded", PolicyDocument=document),
        MALFORMED,
        "Policy document must be version 2012-10-17 or greater.",
        400,
    )
