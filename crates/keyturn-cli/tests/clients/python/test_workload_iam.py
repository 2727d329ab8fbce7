"""IAM workload identity through boto3's IAM client against `keyturn serve` (configs/organizations.yaml,
with Keyturn's stand-in certificate authorities declared for account 111111111111): every one of the 27
`*WorkloadIdentity*` operations, AWS's shapes, and each refusal the model documents (NoSuchEntity,
EntityAlreadyExists, LimitExceeded, DeleteConflict, InvalidInput, MalformedPolicyDocument), for account-
and organization-scoped providers and templates.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from keyturn_e2e import DEV, PROD, KeyturnServer, client, config_keys, expect_error, expect_iam_error, load_config

ORG = "o-aa11bb22cc"
ORG_KEYS = config_keys(load_config("organizations.yaml"), roots={DEV: "root-222"})
PATTERN = "{aws:WorkloadAttestation/aws/eks/ClusterName}/prod/{aws:WorkloadAttestation/aws/eks/Namespace}"
ATTESTATION = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "eks.amazonaws.com"},
                "Action": "sts:IssueWorkloadIdentityContext",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:WorkloadAttestation/aws/eks/ClusterName": "prod"}},
            }
        ],
    }
)
RESOURCE_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{DEV}:root"},
                "Action": "iam:AssociateWorkloadIdentityTemplate",
                "Resource": "*",
            }
        ],
    }
)


def ca(ca_id: str, account: str = PROD) -> dict:
    return {"X509": {"CertificateAuthorityId": ca_id, "AccountId": account}}


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    config = load_config("organizations.yaml")
    config["accounts"][0]["private_certificate_authorities"] = [
        {"id": "ca-p256", "key_algorithm": "EC_prime256v1"},
        {"id": "ca-p256-b", "key_algorithm": "EC_prime256v1"},
        {"id": "ca-p384", "key_algorithm": "EC_secp384r1"},
        {"id": "ca-off", "key_algorithm": "EC_prime256v1", "status": "DISABLED"},
    ]
    server = KeyturnServer(tmp_path_factory.mktemp("keyturn-workload-iam"), config)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def iam(srv):
    return client("iam", srv.endpoint, ORG_KEYS["admin"])


@pytest.fixture(scope="module")
def dev_iam(srv):
    return client("iam", srv.endpoint, ORG_KEYS["dev"])


@pytest.fixture(scope="module")
def outsider_iam(srv):
    return client("iam", srv.endpoint, ORG_KEYS["outsider"])


def create(iam, name: str, **extra) -> dict:
    return iam.create_workload_identity_provider(
        ProviderName=name, Scheme="SPIFFE", WorkloadIdentityDomain=f"{name.lower()}.example.org", **extra
    )


def x509(iam, arn: str) -> list[tuple[str, str]]:
    listed = iam.list_workload_identity_provider_outbound_signers(WorkloadIdentityProviderArn=arn)
    return [
        (s["Configuration"]["X509"]["CertificateAuthorityId"], s["Status"])
        for s in listed["OutboundSigners"]
        if s["SignerType"] == "X509"
    ]


def test_create_get_list_and_delete_a_provider(iam):
    created = create(iam, "Payments", Description="Payments fleet", Tags=[{"Key": "team", "Value": "payments"}])
    arn = f"arn:aws:iam::{PROD}:workload-identity-provider/Payments"
    assert created["Arn"] == arn
    assert created["ResourceScope"] == "ACCOUNT"
    assert created["ProviderId"].startswith("AWPA") and len(created["ProviderId"]) == 21
    assert created["Scheme"] == "SPIFFE" and created["WorkloadIdentityDomain"] == "payments.example.org"
    assert created["Tags"] == [{"Key": "team", "Value": "payments"}]
    assert isinstance(created["CreateDate"], datetime)
    signers = created["OutboundSigners"]
    assert signers.get("X509", []) == []
    assert [(j["SigningAlgorithm"], j["Configuration"]["KeyAlgorithm"]) for j in signers["Jwt"]] == [
        ("RS256", "RSA_2048"),
        ("ES384", "ECC_NIST_P384"),
    ]
    assert signers["OidcIssuerUri"].endswith(f"/workload-identity/{created['ProviderId']}")
    assert signers["BundleEndpointUrl"] == signers["OidcIssuerUri"] + "/bundle"

    got = iam.get_workload_identity_provider(WorkloadIdentityProviderArn=arn)
    assert {k: got[k] for k in ("Arn", "ProviderId", "Description")} == {
        "Arn": arn,
        "ProviderId": created["ProviderId"],
        "Description": "Payments fleet",
    }
    names = [p["ProviderName"] for p in iam.list_workload_identity_providers()["WorkloadIdentityProviders"]]
    assert "Payments" in names

    expect_iam_error(iam.create_workload_identity_provider, "EntityAlreadyExists", None,
                     ProviderName="Payments", Scheme="SPIFFE", WorkloadIdentityDomain="x.example.org")
    expect_iam_error(iam.create_workload_identity_provider, "InvalidInput",
                     "WorkloadIdentityDomain is required when Scheme is SPIFFE.", ProviderName="NoDomain", Scheme="SPIFFE")
    expect_iam_error(iam.create_workload_identity_provider, "InvalidInput",
                     "WorkloadIdentityDomain is not allowed when Scheme is NONE.",
                     ProviderName="Bare", Scheme="NONE", WorkloadIdentityDomain="x.example.org")
    bare = iam.create_workload_identity_provider(ProviderName="Bare", Scheme="NONE")
    assert "WorkloadIdentityDomain" not in bare and "Description" not in bare and "Tags" not in bare

    task = iam.delete_workload_identity_provider(WorkloadIdentityProviderArn=bare["Arn"])["DeletionTaskId"]
    status = iam.get_workload_identity_provider_deletion_status(DeletionTaskId=task)
    assert (status["WorkloadIdentityProviderArn"], status["Status"]) == (bare["Arn"], "SUCCEEDED")
    expect_iam_error(iam.get_workload_identity_provider, "NoSuchEntity",
                     f"The workload identity provider {bare['Arn']} does not exist.", WorkloadIdentityProviderArn=bare["Arn"])
    expect_iam_error(iam.delete_workload_identity_provider, "NoSuchEntity", None, WorkloadIdentityProviderArn=bare["Arn"])
    expect_iam_error(iam.get_workload_identity_provider_deletion_status, "NoSuchEntity", None, DeletionTaskId="task/none")
    expect_iam_error(iam.get_workload_identity_provider, "InvalidInput", None,
                     WorkloadIdentityProviderArn=f"arn:aws:iam::{PROD}:role/Payments")


def test_organization_scope(iam, dev_iam, outsider_iam):
    created = create(iam, "Fleet", ResourceScope="ORGANIZATION")
    assert created["Arn"] == f"arn:aws:iam::{ORG}:workload-identity-provider/Fleet"
    assert created["ProviderId"].startswith("AWPO") and created["ResourceScope"] == "ORGANIZATION"
    # The delegated administrator reads, lists and tags it; an account outside the organization cannot.
    assert dev_iam.get_workload_identity_provider(WorkloadIdentityProviderArn=created["Arn"])["ProviderName"] == "Fleet"
    listed = dev_iam.list_workload_identity_providers(ResourceScope="ORGANIZATION")["WorkloadIdentityProviders"]
    assert [p["Arn"] for p in listed] == [created["Arn"]]
    dev_iam.tag_workload_identity_provider(WorkloadIdentityProviderArn=created["Arn"], Tags=[{"Key": "by", "Value": "dev"}])
    # An account outside the organization: the organization's ARN is not its resource.
    expect_error(outsider_iam.create_workload_identity_provider, "AccessDenied", None, 403,
                 ProviderName="Mine", Scheme="NONE", ResourceScope="ORGANIZATION")
    expect_error(outsider_iam.get_workload_identity_provider, "AccessDenied", None, 403,
                 WorkloadIdentityProviderArn=created["Arn"])
    expect_iam_error(iam.create_workload_identity_provider, "EntityAlreadyExists", None,
                     ProviderName="Fleet", Scheme="NONE", ResourceScope="ORGANIZATION")


def test_tags_of_providers(iam):
    arn = create(iam, "Tagged")["Arn"]
    iam.tag_workload_identity_provider(WorkloadIdentityProviderArn=arn, Tags=[{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "core"}])
    expect_iam_error(iam.tag_workload_identity_provider, "InvalidInput", None,
                     WorkloadIdentityProviderArn=arn, Tags=[{"Key": "ENV", "Value": "x"}])
    expect_iam_error(iam.tag_workload_identity_provider, "InvalidInput", None,
                     WorkloadIdentityProviderArn=arn, Tags=[{"Key": "aws:reserved", "Value": "x"}])
    expect_iam_error(iam.tag_workload_identity_provider, "LimitExceeded", None,
                     WorkloadIdentityProviderArn=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(49)])
    iam.untag_workload_identity_provider(WorkloadIdentityProviderArn=arn, TagKeys=["env", "absent"])
    listed = iam.list_workload_identity_provider_tags(WorkloadIdentityProviderArn=arn)
    assert listed["Tags"] == [{"Key": "team", "Value": "core"}] and listed["IsTruncated"] is False
    expect_iam_error(iam.list_workload_identity_provider_tags, "NoSuchEntity", None,
                     WorkloadIdentityProviderArn=f"arn:aws:iam::{PROD}:workload-identity-provider/Absent")


def test_resource_policy(iam):
    arn = create(iam, "Policied")["Arn"]
    expect_iam_error(iam.get_workload_identity_provider_resource_policy, "NoSuchEntity", None, WorkloadIdentityProviderArn=arn)
    expect_iam_error(iam.put_workload_identity_provider_resource_policy, "MalformedPolicyDocument", None,
                     WorkloadIdentityProviderArn=arn, PolicyDocument="{not json")
    iam.put_workload_identity_provider_resource_policy(WorkloadIdentityProviderArn=arn, PolicyDocument=RESOURCE_POLICY)
    got = iam.get_workload_identity_provider_resource_policy(WorkloadIdentityProviderArn=arn)
    # botocore decodes policy documents into objects.
    assert (got["Arn"], got["PolicyDocument"]) == (arn, json.loads(RESOURCE_POLICY))
    iam.delete_workload_identity_provider_resource_policy(WorkloadIdentityProviderArn=arn)
    expect_iam_error(iam.delete_workload_identity_provider_resource_policy, "NoSuchEntity", None, WorkloadIdentityProviderArn=arn)


def test_outbound_signers(iam):
    arn = create(iam, "Signing")["Arn"]
    before = datetime.now(timezone.utc)
    iam.create_workload_identity_provider_outbound_signer(WorkloadIdentityProviderArn=arn, OutboundSigner=ca("ca-p256"), SigningDelayInHours=2)
    detail = iam.get_workload_identity_provider(WorkloadIdentityProviderArn=arn)["OutboundSigners"]["X509"]
    assert [(d["Configuration"]["CertificateAuthorityId"], d["Status"]) for d in detail] == [("ca-p256", "IN_TRANSITION")]
    start = detail[0]["StartSigningTime"]
    assert timedelta(hours=1, minutes=59) <= start - before <= timedelta(hours=2, minutes=1)
    assert "EndSigningTime" not in detail[0]
    expect_iam_error(iam.create_workload_identity_provider_outbound_signer, "EntityAlreadyExists", None,
                     WorkloadIdentityProviderArn=arn, OutboundSigner=ca("ca-p256-b"))
    expect_iam_error(iam.create_workload_identity_provider_outbound_signer, "InvalidInput",
                     "The certificate authority ca-none of account 111111111111 does not exist.",
                     WorkloadIdentityProviderArn=arn, OutboundSigner=ca("ca-none"))
    expect_iam_error(iam.create_workload_identity_provider_outbound_signer, "InvalidInput", None,
                     WorkloadIdentityProviderArn=arn, OutboundSigner=ca("ca-off"))
    expect_error(iam.create_workload_identity_provider_outbound_signer, "MissingParameter",
                 "The request must contain the parameter OutboundSigner", 400,
                 WorkloadIdentityProviderArn=arn, OutboundSigner={})
    iam.create_workload_identity_provider_outbound_signer(WorkloadIdentityProviderArn=arn, OutboundSigner=ca("ca-p384"))

    # A rotation in the P-256 slot: the incoming entry waits; naming the current CA cancels it.
    iam.update_workload_identity_provider_outbound_signer(WorkloadIdentityProviderArn=arn, OutboundSigner=ca("ca-p256-b"), SigningDelayInHours=3)
    assert x509(iam, arn) == [("ca-p256", "IN_TRANSITION"), ("ca-p384", "IN_TRANSITION"), ("ca-p256-b", "IN_TRANSITION")]
    expect_iam_error(iam.delete_workload_identity_provider_outbound_signer, "InvalidInput", None,
                     WorkloadIdentityProviderArn=arn, OutboundSigner=ca("ca-p256"))

    # Disable stops every X.509 entry (VALIDATING); then each may be deleted; JWT is refused.
    expect_iam_error(iam.disable_workload_identity_provider_outbound_signer, "InvalidInput", None,
                     WorkloadIdentityProviderArn=arn, SignerType="JWT")
    iam.disable_workload_identity_provider_outbound_signer(WorkloadIdentityProviderArn=arn, SignerType="X509")
    statuses = x509(iam, arn)
    assert {s for _, s in statuses} == {"VALIDATING"}, statuses
    iam.enable_workload_identity_provider_outbound_signer(WorkloadIdentityProviderArn=arn, SignerType="X509", SigningDelayInHours=1)
    assert [s for _, s in x509(iam, arn)].count("IN_TRANSITION") == 2
    expect_iam_error(iam.enable_workload_identity_provider_outbound_signer, "InvalidInput", None,
                     WorkloadIdentityProviderArn=arn, SignerType="JWT")
    iam.disable_workload_identity_provider_outbound_signer(WorkloadIdentityProviderArn=arn, SignerType="X509")
    deleted = iam.delete_workload_identity_provider_outbound_signer(WorkloadIdentityProviderArn=arn, OutboundSigner=ca("ca-p384"))
    assert (deleted["WorkloadIdentityProviderArn"], deleted["Status"]) == (arn, "SUCCEEDED")
    assert deleted["OutboundSigner"] == ca("ca-p384")
    expect_iam_error(iam.delete_workload_identity_provider_outbound_signer, "NoSuchEntity", None,
                     WorkloadIdentityProviderArn=arn, OutboundSigner=ca("ca-p384"))
    expect_iam_error(iam.update_workload_identity_provider_outbound_signer, "InvalidInput", None,
                     WorkloadIdentityProviderArn=arn, OutboundSigner=ca("ca-p384"))
    expect_iam_error(iam.delete_workload_identity_provider, "DeleteConflict", None, WorkloadIdentityProviderArn=arn)

    # The full list: JWT signers first, then X.509 entries; markers page through it.
    page = iam.list_workload_identity_provider_outbound_signers(WorkloadIdentityProviderArn=arn, MaxItems=2)
    assert [s["SignerType"] for s in page["OutboundSigners"]] == ["JWT", "JWT"] and page["IsTruncated"] is True
    rest = iam.list_workload_identity_provider_outbound_signers(WorkloadIdentityProviderArn=arn, Marker=page["Marker"])
    assert [s["SignerType"] for s in rest["OutboundSigners"]] == ["X509", "X509"] and rest["IsTruncated"] is False
    other = create(iam, "OtherList")["Arn"]
    expect_iam_error(iam.list_workload_identity_provider_outbound_signers, "InvalidInput", None,
                     WorkloadIdentityProviderArn=other, Marker=page["Marker"])


def test_templates(iam):
    provider = create(iam, "Templated")["Arn"]
    created = iam.create_workload_identity_template(
        Name="Fleet",
        WorkloadIdentityProviderArn=provider,
        PathPrefix="payments",
        PathPattern=PATTERN,
        AttestationPolicy=ATTESTATION,
        Description="EKS fleet",
        Tags=[{"Key": "team", "Value": "payments"}],
    )
    arn = f"arn:aws:iam::{PROD}:workload-identity-template/Fleet"
    assert created["Arn"] == arn and created["TemplateId"].startswith("AWTA")
    assert (created["ResourceScope"], created["PathPattern"]) == ("ACCOUNT", PATTERN)
    assert created["AttestationPolicy"] == json.loads(ATTESTATION)
    got = iam.get_workload_identity_template(WorkloadIdentityTemplateArn=arn)
    assert "AttestationPolicy" not in got and got["WorkloadIdentityProviderArn"] == provider
    policy = iam.get_workload_identity_template_attestation_policy(WorkloadIdentityTemplateArn=arn)
    assert (policy["WorkloadIdentityTemplateArn"], policy["AttestationPolicy"]) == (arn, json.loads(ATTESTATION))

    expect_iam_error(iam.create_workload_identity_template, "EntityAlreadyExists", None,
                     Name="Fleet", WorkloadIdentityProviderArn=provider, PathPattern=PATTERN)
    expect_iam_error(iam.create_workload_identity_template, "InvalidInput", None,
                     WorkloadIdentityProviderArn=provider, PathPattern=PATTERN)
    expect_iam_error(iam.create_workload_identity_template, "InvalidInput", None,
                     Name="Caller", WorkloadIdentityProviderArn=provider, PathPattern="{aws:PrincipalArn}/x")
    expect_iam_error(iam.create_workload_identity_template, "MalformedPolicyDocument", None,
                     Name="Bad", WorkloadIdentityProviderArn=provider, PathPattern=PATTERN, AttestationPolicy="{")
    expect_iam_error(iam.create_workload_identity_template, "NoSuchEntity", None,
                     TemplateDefinition={"TemplateDefinitionArn": "arn:aws:iam::aws:workload-identity-template-definition/eks",
                                         "ReplacementValues": {"Cluster": {"Values": ["prod"]}}})
    expect_iam_error(iam.create_workload_identity_template, "InvalidInput", None, Name="Mixed",
                     TemplateDefinition={"TemplateDefinitionArn": "arn:aws:iam::aws:workload-identity-template-definition/eks"})
    expect_iam_error(iam.create_workload_identity_template, "NoSuchEntity", None, Name="Orphan",
                     WorkloadIdentityProviderArn=f"arn:aws:iam::{PROD}:workload-identity-provider/Absent", PathPattern=PATTERN)

    off_pattern = ATTESTATION.replace("ClusterName", "Region")
    expect_iam_error(iam.put_workload_identity_template_attestation_policy, "InvalidInput", None,
                     WorkloadIdentityTemplateArn=arn, AttestationPolicy=off_pattern)
    iam.delete_workload_identity_template_attestation_policy(WorkloadIdentityTemplateArn=arn)
    expect_iam_error(iam.get_workload_identity_template_attestation_policy, "NoSuchEntity", None, WorkloadIdentityTemplateArn=arn)
    expect_iam_error(iam.delete_workload_identity_template_attestation_policy, "NoSuchEntity", None, WorkloadIdentityTemplateArn=arn)
    iam.put_workload_identity_template_attestation_policy(WorkloadIdentityTemplateArn=arn, AttestationPolicy=ATTESTATION)

    iam.create_workload_identity_template(Name="Bare", WorkloadIdentityProviderArn=provider, PathPattern=PATTERN)
    listed = iam.list_workload_identity_templates(WorkloadIdentityProviderArn=provider)
    assert [t["Name"] for t in listed["WorkloadIdentityTemplates"]] == ["Bare", "Fleet"] and listed["IsTruncated"] is False
    filtered = iam.list_workload_identity_templates(WorkloadIdentityProviderArn=provider, Filter='service_principal = "eks.amazonaws.com"')
    assert [t["Name"] for t in filtered["WorkloadIdentityTemplates"]] == ["Fleet"]
    expect_iam_error(iam.list_workload_identity_templates, "InvalidInput", None,
                     WorkloadIdentityProviderArn=provider, Filter='service_principal = "nobody"')

    iam.tag_workload_identity_template(WorkloadIdentityTemplateArn=arn, Tags=[{"Key": "env", "Value": "prod"}])
    iam.untag_workload_identity_template(WorkloadIdentityTemplateArn=arn, TagKeys=["team"])
    assert iam.list_workload_identity_template_tags(WorkloadIdentityTemplateArn=arn)["Tags"] == [{"Key": "env", "Value": "prod"}]
    expect_iam_error(iam.tag_workload_identity_template, "InvalidInput", None,
                     WorkloadIdentityTemplateArn=arn, Tags=[{"Key": "Env", "Value": "x"}])

    expect_iam_error(iam.delete_workload_identity_provider, "DeleteConflict", None, WorkloadIdentityProviderArn=provider)
    deleted = iam.delete_workload_identity_template(WorkloadIdentityTemplateArn=arn)
    assert (deleted["WorkloadIdentityTemplateArn"], deleted["Status"]) == (arn, "SUCCEEDED")
    expect_iam_error(iam.delete_workload_identity_template, "NoSuchEntity", None, WorkloadIdentityTemplateArn=arn)
    expect_iam_error(iam.get_workload_identity_template, "NoSuchEntity", None, WorkloadIdentityTemplateArn=arn)
