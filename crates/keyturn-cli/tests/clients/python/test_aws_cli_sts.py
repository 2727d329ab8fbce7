"""The AWS CLI v1 calls every STS operation against `keyturn serve` (configs/organizations.yaml).

awscli carries its own older botocore, whose STS model lacks the newest operations; botocore
looks for models in `AWS_DATA_PATH` first, so the CLI is pointed at the models of the botocore
that boto3 uses here (1.44.18, the release Keyturn is generated from). Each served operation is
called for real and its answer checked (GetDelegatedAccessToken after the partner-delegation
flow of test_delegation.py; the workload-identity operations on test_workload_identity.py's
provider and template).
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import botocore
import jwt
import pytest
from botocore.exceptions import ClientError

from keyturn_e2e import KEYS, REGION, KeyturnServer, client, load_config
from test_delegation import SESSION, create, messages, reviewer, world  # noqa: F401 (world: a fixture)
from test_federation import SAML_ARN, SAML_ROLE, WEB_ROLE, fed, idp  # noqa: F401 (fed, idp: fixtures)
from test_organizations import ORG_KEYS, SHARED, TASK
from test_workload_identity import DOC, ROLE, SUBJECT, csr_pem, spiffe  # noqa: F401 (spiffe: a fixture)

AWS = Path(sys.executable).parent / "aws"
MODELS = Path(botocore.__file__).parent / "data"


@pytest.fixture(scope="module")
def org(tmp_path_factory):
    srv = KeyturnServer(tmp_path_factory.mktemp("keyturn-cli-sts"), load_config("organizations.yaml"))
    yield srv
    assert srv.stop() == 0, srv.output()


class Cli:
    """Runs `aws` with the given credentials against the server; JSON out."""

    def __init__(self, endpoint: str, tmp: Path):
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.env.update(
            HOME=str(tmp),
            AWS_CONFIG_FILE=str(tmp / "none"),
            AWS_SHARED_CREDENTIALS_FILE=str(tmp / "none"),
            AWS_DATA_PATH=str(MODELS),
            AWS_ENDPOINT_URL=endpoint,
            AWS_DEFAULT_REGION=REGION,
            AWS_EC2_METADATA_DISABLED="true",
            AWS_MAX_ATTEMPTS="1",
            AWS_PAGER="",
        )

    def run(self, creds, *args: str) -> subprocess.CompletedProcess:
        env = dict(self.env)
        key = ORG_KEYS[creds] if isinstance(creds, str) else creds
        env.update(AWS_ACCESS_KEY_ID=key[0], AWS_SECRET_ACCESS_KEY=key[1])
        if len(key) > 2:
            env["AWS_SESSION_TOKEN"] = key[2]
        return subprocess.run(
            [str(AWS), *args, "--output", "json"], capture_output=True, text=True, env=env, timeout=120
        )

    def ok(self, creds, *args: str) -> dict:
        out = self.run(creds, *args)
        assert out.returncode == 0, f"aws {' '.join(args)}: {out.stderr}"
        return json.loads(out.stdout) if out.stdout.strip() else {}

    def error(self, creds, *args: str) -> str:
        out = self.run(creds, *args)
        assert out.returncode != 0, f"aws {' '.join(args)} succeeded: {out.stdout}"
        return out.stderr


@pytest.fixture(scope="module")
def cli(org, tmp_path_factory):
    return Cli(org.endpoint, tmp_path_factory.mktemp("aws-cli-home"))


def creds_of(answer: dict) -> tuple[str, str, str]:
    c = answer["Credentials"]
    return c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]


def seconds_left(answer: dict) -> float:
    expiration = datetime.datetime.fromisoformat(answer["Credentials"]["Expiration"].replace("Z", "+00:00"))
    return (expiration - datetime.datetime.now(datetime.timezone.utc)).total_seconds()


def test_the_cli_reads_botocore_1_44_18s_sts_model(cli):
    # The four operations its own model lacks are known once AWS_DATA_PATH points at the new one.
    for op in ("get-scoped-credentials", "get-certificate", "get-trust-bundles", "issue-workload-identity-context"):
        out = cli.run("admin", "sts", op, "--generate-cli-skeleton")
        assert out.returncode == 0, out.stderr


def test_identity_and_key_info(cli):
    me = cli.ok("dev", "sts", "get-caller-identity")
    assert (me["Account"], me["Arn"]) == ("222222222222", "arn:aws:iam::222222222222:user/dev")
    info = cli.ok("admin", "sts", "get-access-key-info", "--access-key-id", ORG_KEYS["sandbox"][0])
    assert info == {"Account": "333333333333"}


def test_session_token_then_scoped_credentials(cli):
    session = cli.ok("dev", "sts", "get-session-token", "--duration-seconds", "1800")
    assert 1700 < seconds_left(session) <= 1800
    policy = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}]}
    )
    scoped = cli.ok(creds_of(session), "sts", "get-scoped-credentials", "--policy", policy, "--duration-seconds", "900")
    assert scoped["Credentials"]["AccessKeyId"].startswith("ASIA")
    assert scoped["SessionTokenSize"] == len(scoped["Credentials"]["SessionToken"])
    assert 800 < seconds_left(scoped) <= 900
    me = cli.ok(creds_of(scoped), "sts", "get-caller-identity")
    assert me["Arn"] == "arn:aws:iam::222222222222:user/dev"
    # The scope-down policy allows nothing else: IAM is denied although the user may do anything.
    assert "AccessDenied" in cli.error(creds_of(scoped), "iam", "get-user")


def test_federation_token(cli):
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:*", "Resource": "*"}]})
    fed = cli.ok("dev", "sts", "get-federation-token", "--name", "cli-fed", "--policy", policy)
    assert fed["FederatedUser"]["Arn"] == "arn:aws:sts::222222222222:federated-user/cli-fed"
    assert fed["PackedPolicySize"] >= 0
    assert cli.ok(creds_of(fed), "sts", "get-caller-identity")["Arn"] == fed["FederatedUser"]["Arn"]


def test_assume_role_with_minimum_session_token_size(cli):
    role = cli.ok(
        "admin", "sts", "assume-role", "--role-arn", SHARED, "--role-session-name", "cli",
        "--minimum-session-token-size", "2048",
    )
    token = role["Credentials"]["SessionToken"]
    assert len(token) >= 2048
    assert role["SessionTokenSize"] == len(token)
    assert role["AssumedRoleUser"]["Arn"] == "arn:aws:sts::222222222222:assumed-role/Shared/cli"
    assert cli.ok(creds_of(role), "sts", "get-caller-identity")["Arn"] == role["AssumedRoleUser"]["Arn"]


def test_decode_a_message_from_a_denial(org, cli):
    # Shared's trust policy names neither sandbox nor its account. The CLI does not print the
    # error's extra elements, so boto3 reads the encoded message and the CLI decodes it.
    with pytest.raises(ClientError) as e:
        client("sts", org.endpoint, ORG_KEYS["sandbox"]).assume_role(RoleArn=SHARED, RoleSessionName="denied")
    encoded = e.value.response["Error"]["EncodedAuthorizationMessage"]
    decoded = cli.ok("sandbox", "sts", "decode-authorization-message", "--encoded-message", encoded)
    message = json.loads(decoded["DecodedMessage"])
    assert message["allowed"] is False
    assert message["context"]["action"] == "sts:AssumeRole"
    assert message["context"]["resource"] == SHARED


def test_assume_root(cli):
    root = cli.ok(
        "admin", "sts", "assume-root", "--target-principal", "222222222222",
        "--task-policy-arn", f"arn={TASK}IAMAuditRootUserCredentials", "--duration-seconds", "600",
    )
    assert 500 < seconds_left(root) <= 600
    me = cli.ok(creds_of(root), "sts", "get-caller-identity")
    assert me["Arn"] == "arn:aws:iam::222222222222:root"
    # Only the management account and the delegated administrator (222222222222) may ask.
    refused = cli.error(
        "sandbox", "sts", "assume-root", "--target-principal", "222222222222",
        "--task-policy-arn", f"arn={TASK}IAMAuditRootUserCredentials",
    )
    assert "AccessDenied" in refused and "sts:AssumeRoot" in refused


def test_outbound_federation_and_web_identity_token(org, cli):
    assert "FeatureDisabled" in cli.error("dev", "iam", "get-outbound-web-identity-federation-info")
    issuer = cli.ok("dev", "iam", "enable-outbound-web-identity-federation")["IssuerIdentifier"]
    assert cli.ok("dev", "iam", "get-outbound-web-identity-federation-info")["IssuerIdentifier"] == issuer
    answer = cli.ok(
        "dev", "sts", "get-web-identity-token", "--audience", "api.example.com",
        "--signing-algorithm", "ES384", "--duration-seconds", "120",
    )
    token = answer["WebIdentityToken"]
    discovery = json.loads(_get(f"{issuer}/.well-known/openid-configuration"))
    keys = jwt.PyJWKClient(discovery["jwks_uri"])
    claims = jwt.decode(
        token, keys.get_signing_key_from_jwt(token).key, algorithms=["ES384"], audience="api.example.com",
        issuer=issuer,
    )
    assert claims["sub"] == "arn:aws:iam::222222222222:user/dev"
    assert claims["exp"] - claims["iat"] == 120


def test_delegated_access_token(world, tmp_path):
    # The partner-delegation flow through boto3 (test_delegation.py); the partner trades the
    # token it received with the CLI.
    srv, sink, template = world
    request_id = create(srv, template, "workflow-cli-1")
    customer = client("iam", srv.endpoint, reviewer(srv))
    for step in ("associate_delegation_request", "accept_delegation_request", "send_delegation_token"):
        getattr(customer, step)(DelegationRequestId=request_id)
    [message] = [m for m in messages(sink) if m["DelegationRequestId"] == request_id]
    partner = Cli(srv.endpoint, tmp_path)
    out = partner.ok(KEYS["root"], "sts", "get-delegated-access-token", "--trade-in-token", message["TradeInToken"])
    assert out["AssumedPrincipal"] == SESSION
    assert 1700 < seconds_left(out) <= 1800
    assert partner.ok(creds_of(out), "sts", "get-caller-identity")["Arn"] == SESSION
    assert "InvalidParameterValue" in partner.error(
        KEYS["root"], "sts", "get-delegated-access-token", "--trade-in-token", message["TradeInToken"][:-4] + "AAAA"
    )


def test_federation_without_credentials(fed, idp, tmp_path):
    # The CLI sends these two unsigned (the model says no auth); the key given is not used.
    cli = Cli(fed.endpoint, tmp_path)
    web = cli.ok(
        ("AKIAIOSFODNN7EXAMPLE", "unused"), "sts", "assume-role-with-web-identity",
        "--role-arn", WEB_ROLE, "--role-session-name", "cli-web", "--web-identity-token", idp.id_token(),
    )
    assert web["AssumedRoleUser"]["Arn"].endswith(":assumed-role/WebRole/cli-web")
    assert web["SubjectFromWebIdentityToken"] == "user-42"
    assert cli.ok(creds_of(web), "sts", "get-caller-identity")["Arn"] == web["AssumedRoleUser"]["Arn"]
    saml = cli.ok(
        ("AKIAIOSFODNN7EXAMPLE", "unused"), "sts", "assume-role-with-saml",
        "--role-arn", SAML_ROLE, "--principal-arn", SAML_ARN, "--saml-assertion", idp.saml_response(),
    )
    assert saml["AssumedRoleUser"]["Arn"].endswith(":assumed-role/SamlRole/alice")
    assert saml["Subject"] == "alice"
    assert cli.ok(creds_of(saml), "sts", "get-caller-identity")["Arn"] == saml["AssumedRoleUser"]["Arn"]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode()


def test_workload_identity_operations(spiffe, tmp_path):
    # IssueWorkloadIdentityContext by the workload platform, AssumeRole with the context (boto3:
    # the CLI's shorthand for ProvidedContexts is a JSON list), then GetCertificate and
    # GetTrustBundles by the workload's session.
    cli = Cli(spiffe.endpoint, tmp_path)
    ctx = cli.ok(
        spiffe.platform, "sts", "issue-workload-identity-context",
        "--workload-identity-template-arn", spiffe.template_arn,
        "--attestation-document", DOC, "--target-role-arn", ROLE, "--duration-seconds", "120",
    )
    assert ctx["Subject"] == SUBJECT
    assert ctx["ProvidedContext"]["ProviderArn"] == spiffe.provider_arn
    session = cli.ok(
        spiffe.platform, "sts", "assume-role", "--role-arn", ROLE, "--role-session-name", "cli",
        "--provided-contexts", json.dumps([ctx["ProvidedContext"]]),
    )
    creds = creds_of(session)
    cert = cli.ok(creds, "sts", "get-certificate", "--certificate-signing-request", csr_pem(), "--max-duration-seconds", "3600")
    assert cert["Subject"] == SUBJECT
    assert cert["Certificate"].startswith("-----BEGIN CERTIFICATE-----")
    bundles = cli.ok(creds, "sts", "get-trust-bundles", "--provider-arn", spiffe.provider_arn)["TrustBundles"]
    assert [b["TrustDomain"] for b in bundles] == ["example.org"]
    assert any(k["use"] == "x509-svid" for k in json.loads(bundles[0]["Bundle"])["keys"])
    assert "MalformedCertificateSigningRequestException" in cli.error(
        creds, "sts", "get-certificate", "--certificate-signing-request", "x" * 20
    )
