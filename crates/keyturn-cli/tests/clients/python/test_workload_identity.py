"""Workload identity through boto3 against `keyturn serve`: the production account's root creates a
SPIFFE provider (trust domain example.org) with an X.509 signer and a template; the workload
platform (user `platform`) calls IssueWorkloadIdentityContext and AssumeRole with the context in
ProvidedContexts; the workload's session calls GetCallerIdentity, GetCertificate and
GetWebIdentityToken (JWT_SVID). Third-party proofs: Python's `cryptography` verifies the
X.509-SVID against the X.509 bundle of GetTrustBundles and reads the SPIFFE ID from its URI SAN;
PyJWT verifies the JWT-SVID against the JWT bundle. Every error of the three operations and of
ProvidedContexts.

An X.509 signer starts signing at least an hour after it is attached (SigningDelayInHours is 1 to
48): a first server whose clock runs two hours behind attaches it, on the store and keyring that
the server under test then opens, so the signer is active in the test's present.
"""

from __future__ import annotations

import base64
import json
from urllib.request import urlopen
from datetime import datetime, timedelta, timezone

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from keyturn_e2e import KEYS, PROD, KeyturnServer, allowing, client, expect_error, load_config, policy
from test_authentication import shift_signing_clock

DOMAIN = "example.org"
TEMPLATE_NAME = "eks"
PATTERN = "{aws:WorkloadAttestation/aws/eks/ClusterName}/ns/{aws:WorkloadAttestation/aws/eks/Namespace}"
DOC = json.dumps({"eks/ClusterName": "prod", "eks/Namespace": "pay"})
SUBJECT = f"spiffe://{DOMAIN}/k8s/prod/ns/pay"
PLATFORM = f"arn:aws:iam::{PROD}:user/platform"
ROLE = f"arn:aws:iam::{PROD}:role/Payments"


def csr_pem(key=None) -> str:
    key = key or ec.generate_private_key(ec.SECP256R1())
    req = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ignored.example")]))
        .sign(key, hashes.SHA256())
    )
    return req.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="module")
def spiffe(tmp_path_factory):
    """The provider, its signer and template, the platform user and role Payments; then the server
    under test on the same store and keyring."""
    workdir = tmp_path_factory.mktemp("keyturn-workload")
    config = load_config("e2e.yaml")
    prod = next(a for a in config["accounts"] if a["id"] == PROD)
    prod["private_certificate_authorities"] = [{"id": "ca-p256", "key_algorithm": "EC_prime256v1"}]
    past = KeyturnServer(workdir, config, env={"KEYTURN_TEST_CLOCK_OFFSET": "-7200"})
    # botocore signs in the past server's time while it sets up.
    with pytest.MonkeyPatch.context() as monkeypatch:
        shift_signing_clock(monkeypatch, -7200)
        setup = _setup(past)
    srv = KeyturnServer(workdir, config)
    for name, value in setup.items():
        setattr(srv, name, value)
    yield srv
    assert srv.stop() == 0, srv.output()


def _setup(past: KeyturnServer) -> dict:
    """Creates the provider, signer, template, users and roles through `past`, then stops it."""
    try:
        iam = client("iam", past.endpoint, KEYS["prod-root"])
        provider = iam.create_workload_identity_provider(
            ProviderName="prod", Scheme="SPIFFE", WorkloadIdentityDomain=DOMAIN
        )
        provider_arn, provider_id = provider["Arn"], provider["ProviderId"]
        # For GetWebIdentityToken's OriginIdentity tokens (a JWT-SVID does not need it).
        iam.enable_outbound_web_identity_federation()
        iam.create_workload_identity_provider_outbound_signer(
            WorkloadIdentityProviderArn=provider_arn,
            OutboundSigner={"X509": {"CertificateAuthorityId": "ca-p256", "AccountId": PROD}},
            SigningDelayInHours=1,
        )
        attestation = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": PLATFORM},
                    "Action": "sts:IssueWorkloadIdentityContext",
                    "Resource": "*",
                    "Condition": {"StringNotEquals": {"aws:WorkloadAttestation/aws/eks/Namespace": "forbidden"}},
                }
            ],
        }
        template = iam.create_workload_identity_template(
            Name=TEMPLATE_NAME,
            WorkloadIdentityProviderArn=provider_arn,
            PathPrefix="k8s",
            PathPattern=PATTERN,
            AttestationPolicy=json.dumps(attestation),
        )
        template_arn = template["Arn"]
        iam.create_user(UserName="platform")
        iam.put_user_policy(
            UserName="platform",
            PolicyName="issue",
            PolicyDocument=policy(
                allowing(["sts:IssueWorkloadIdentityContext", "sts:AssumeRole", "sts:SetContext", "sts:GetTrustBundles"])
            ),
        )
        key = iam.create_access_key(UserName="platform")["AccessKey"]
        # Another user the roles trust as well: it may not redeem the platform's contexts.
        iam.create_user(UserName="intruder")
        iam.put_user_policy(
            UserName="intruder",
            PolicyName="assume",
            PolicyDocument=policy(allowing(["sts:AssumeRole", "sts:SetContext"])),
        )
        intruder = iam.create_access_key(UserName="intruder")["AccessKey"]
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": [PLATFORM, f"arn:aws:iam::{PROD}:user/intruder"]},
                    "Action": ["sts:AssumeRole", "sts:SetContext"],
                }
            ],
        }
        for name in ("Payments", "Plain"):
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
            iam.put_role_policy(
                RoleName=name,
                PolicyName="work",
                PolicyDocument=policy(allowing(["sts:GetCertificate", "sts:GetWebIdentityToken", "sts:GetTrustBundles"])),
            )
    finally:
        assert past.stop() == 0, past.output()
    return {
        "provider_arn": provider_arn,
        "provider_id": provider_id,
        "template_arn": template_arn,
        "platform": (key["AccessKeyId"], key["SecretAccessKey"]),
        "intruder": (intruder["AccessKeyId"], intruder["SecretAccessKey"]),
    }


def platform_sts(spiffe):
    return client("sts", spiffe.endpoint, spiffe.platform)


def issue(spiffe, doc: str = DOC, role: str | None = ROLE, **kwargs) -> dict:
    args = {"WorkloadIdentityTemplateArn": spiffe.template_arn, "AttestationDocument": doc, **kwargs}
    if role:
        args["TargetRoleArn"] = role
    return platform_sts(spiffe).issue_workload_identity_context(**args)


def workload(spiffe, doc: str = DOC) -> dict:
    """The credentials of a Payments session for the workload `doc` attests."""
    ctx = issue(spiffe, doc)
    r = platform_sts(spiffe).assume_role(RoleArn=ROLE, RoleSessionName="workload", ProvidedContexts=[ctx["ProvidedContext"]])
    return r["Credentials"]


def bundle(spiffe, creds) -> dict:
    r = client("sts", spiffe.endpoint, creds).get_trust_bundles(ProviderArn=spiffe.provider_arn)
    [entry] = r["TrustBundles"]
    assert entry["TrustDomain"] == DOMAIN
    return json.loads(entry["Bundle"])


def test_the_full_flow_issues_an_svid_that_cryptography_verifies_against_the_bundle(spiffe):
    ctx = issue(spiffe, SessionDurationSeconds=900)
    assert ctx["Subject"] == SUBJECT
    assert ctx["Audience"] == PLATFORM
    assert ctx["ProvidedContext"]["ProviderArn"] == spiffe.provider_arn
    assert 4 <= len(ctx["ProvidedContext"]["ContextAssertion"]) <= 3072
    now = datetime.now(timezone.utc)
    assert timedelta(seconds=50) < ctx["Expiration"] - now <= timedelta(seconds=61)
    assert timedelta(seconds=890) < ctx["SessionExpiration"] - now <= timedelta(seconds=901)

    creds = platform_sts(spiffe).assume_role(
        RoleArn=ROLE, RoleSessionName="workload", ProvidedContexts=[ctx["ProvidedContext"]]
    )["Credentials"]
    assert creds["Expiration"] <= ctx["SessionExpiration"]
    session = client("sts", spiffe.endpoint, creds)
    assert session.get_caller_identity()["Arn"] == f"arn:aws:sts::{PROD}:assumed-role/Payments/workload"

    key = ec.generate_private_key(ec.SECP384R1())
    r = session.get_certificate(CertificateSigningRequest=csr_pem(key))
    assert r["Subject"] == SUBJECT
    cert = x509.load_pem_x509_certificate(r["Certificate"].encode())
    assert timedelta(minutes=4) < now - r["NotBefore"] < timedelta(minutes=6)
    assert timedelta(hours=11, minutes=59) < r["NotAfter"] - now <= timedelta(hours=12, seconds=1)
    assert cert.not_valid_before_utc == r["NotBefore"]
    assert cert.not_valid_after_utc == r["NotAfter"]
    # Empty subject, one URI SAN (the SPIFFE ID), the CSR's key, client and server auth, not a CA.
    assert len(cert.subject) == 0
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert san.critical
    assert san.value.get_values_for_type(x509.UniformResourceIdentifier) == [SUBJECT]
    assert len(list(san.value)) == 1
    assert cert.public_key().public_numbers() == key.public_key().public_numbers()
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usages = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert set(usages) == {ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH}

    # The trust anchor comes from GetTrustBundles only: the x509-svid key's x5c certificate.
    doc = bundle(spiffe, creds)
    assert doc["spiffe_refresh_hint"] > 0
    # The provider's BundleEndpointUrl serves the same document over plain HTTP (no signature),
    # as a SPIFFE bundle endpoint does.
    iam = client("iam", spiffe.endpoint, KEYS["prod-root"])
    url = iam.get_workload_identity_provider(WorkloadIdentityProviderArn=spiffe.provider_arn)["OutboundSigners"][
        "BundleEndpointUrl"
    ]
    with urlopen(url) as served:
        assert json.load(served) == doc
    anchors = [
        x509.load_der_x509_certificate(base64.b64decode(k["x5c"][0])) for k in doc["keys"] if k["use"] == "x509-svid"
    ]
    assert len(anchors) == 1
    store = x509.verification.Store(anchors)
    verifier = x509.verification.PolicyBuilder().store(store).build_client_verifier()
    verified = verifier.verify(cert, [])
    assert verified.subjects == [x509.UniformResourceIdentifier(SUBJECT)]
    # The chain GetCertificate returns ends at that anchor.
    chain = x509.load_pem_x509_certificates(r["CertificateChain"].encode())
    assert chain[-1] == anchors[0]
    # A certificate from another CA does not verify against the bundle.
    other_key = ec.generate_private_key(ec.SECP256R1())
    forged = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([]))
        .issuer_name(anchors[0].subject)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.UniformResourceIdentifier(SUBJECT)]), critical=True)
        .sign(other_key, hashes.SHA256())
    )
    with pytest.raises(x509.verification.VerificationError):
        verifier.verify(forged, [])


def test_a_jwt_svid_verifies_with_pyjwt_against_the_jwt_bundle(spiffe):
    creds = workload(spiffe)
    session = client("sts", spiffe.endpoint, creds)
    doc = bundle(spiffe, creds)
    jwt_keys = {k["kid"]: k for k in doc["keys"] if k["use"] == "jwt-svid"}
    assert len(jwt_keys) >= 2
    for alg in ("RS256", "ES384"):
        token = session.get_web_identity_token(
            Audience=["spiffe://example.org/db"], SigningAlgorithm=alg, TokenType="JWT_SVID", DurationSeconds=300
        )["WebIdentityToken"]
        header = jwt.get_unverified_header(token)
        assert header["alg"] == alg
        key = jwt.PyJWK(jwt_keys[header["kid"]], algorithm=alg)
        claims = jwt.decode(token, key, algorithms=[alg], audience="spiffe://example.org/db")
        assert claims["sub"] == SUBJECT
        assert set(claims) == {"sub", "aud", "iss", "iat", "exp", "jti"}
        assert claims["iss"] == f"{spiffe.endpoint}/workload-identity/{spiffe.provider_id}"
        # The issuer's JWKS (OIDC discovery) verifies it as well.
        discovery = json.loads(urlopen(claims["iss"] + "/.well-known/openid-configuration").read())
        assert discovery["issuer"] == claims["iss"]
        published = jwt.PyJWKClient(discovery["jwks_uri"]).get_signing_key_from_jwt(token)
        assert jwt.decode(token, published, algorithms=[alg], audience="spiffe://example.org/db")["sub"] == SUBJECT
        with pytest.raises(jwt.InvalidAudienceError):
            jwt.decode(token, key, algorithms=[alg], audience="spiffe://example.org/other")
    # OriginIdentity names the workload too, with a subject_mode claim.
    token = session.get_web_identity_token(
        Audience=["https://api.example.com"], SigningAlgorithm="RS256", SubjectMode="OriginIdentity"
    )
    claims = jwt.decode(token["WebIdentityToken"], options={"verify_signature": False})
    assert (claims["sub"], claims["subject_mode"]) == (SUBJECT, "OriginIdentity")


def test_issue_errors(spiffe):
    sts = platform_sts(spiffe)
    for doc, reason in [
        ("[1]", "cannotParse"),
        ("{}", "invalidValue"),
        (json.dumps({"ClusterName": "x"}), "invalidKey"),
        (json.dumps({"eks/Colour": "x"}), "unexpectedAttestation"),
        (json.dumps({"eks/Namespace": "a", "eks/namespace": "b"}), "duplicateKey"),
        (json.dumps({"eks/Namespace": "pay"}), "unresolvedTemplateVariable"),
    ]:
        r = expect_error(
            sts.issue_workload_identity_context,
            "InvalidAttestationDocument",
            None,
            400,
            WorkloadIdentityTemplateArn=spiffe.template_arn,
            AttestationDocument=doc,
        )
        assert f"reason: {reason}" in r["Error"]["Message"], r
        # The model's `reason` member, beside the message in <Error>.
        assert r["Error"]["reason"] == reason, r
    r = expect_error(
        sts.issue_workload_identity_context,
        "InvalidWorkloadIdentityConfiguration",
        None,
        400,
        WorkloadIdentityTemplateArn=spiffe.template_arn,
        AttestationDocument=json.dumps({"eks/ClusterName": "prod", "eks/Namespace": ".."}),
    )
    assert "unrenderableTemplate" in r["Error"]["Message"]
    assert r["Error"]["reason"] == "unrenderableTemplate", r
    forbidden = json.dumps({"eks/ClusterName": "prod", "eks/Namespace": "forbidden"})
    expect_error(
        sts.issue_workload_identity_context,
        "AccessDenied",
        f"User: {PLATFORM} is not authorized to perform: sts:IssueWorkloadIdentityContext on resource: {spiffe.template_arn}",
        403,
        WorkloadIdentityTemplateArn=spiffe.template_arn,
        AttestationDocument=forbidden,
    )
    missing = spiffe.template_arn.rsplit("/", 1)[0] + "/nope"
    expect_error(
        sts.issue_workload_identity_context, "AccessDenied", None, 403, WorkloadIdentityTemplateArn=missing, AttestationDocument=DOC
    )
    expect_error(sts.issue_workload_identity_context, "ValidationError", None, 400, AttestationDocument=DOC)
    expect_error(
        sts.issue_workload_identity_context,
        "AccessDenied",
        None,
        403,
        WorkloadIdentityTemplateArn=spiffe.template_arn,
        AttestationDocument=DOC,
        TargetRoleArn=f"arn:aws:iam::{PROD}:role/Nope",
    )
    # Without a target role: the identity alone.
    r = issue(spiffe, role=None)
    assert r["Subject"] == SUBJECT and "ContextAssertion" not in r["ProvidedContext"] and "Audience" not in r


def test_provided_context_errors(spiffe):
    sts = platform_sts(spiffe)
    ctx = issue(spiffe)["ProvidedContext"]
    message = "The context assertion that was provided is invalid. It is malformed, has expired, or does not match a trusted context provider."

    def refused(role=ROLE, contexts=None, who=sts):
        expect_error(
            who.assume_role,
            "InvalidContextAssertion",
            message,
            400,
            RoleArn=role,
            RoleSessionName="redeemer",
            ProvidedContexts=contexts or [ctx],
        )

    refused(role=f"arn:aws:iam::{PROD}:role/Plain")
    refused(contexts=[{**ctx, "ContextAssertion": ctx["ContextAssertion"][:-4] + "AAAA"}])
    refused(contexts=[{**ctx, "ProviderArn": spiffe.provider_arn + "x"}])
    refused(contexts=[ctx, ctx])
    # Another principal that the role trusts may not redeem the platform's context.
    refused(who=client("sts", spiffe.endpoint, spiffe.intruder))


def test_certificate_and_bundle_errors(spiffe):
    creds = workload(spiffe)
    session = client("sts", spiffe.endpoint, creds)
    for csr in ("junk", csr_pem(rsa.generate_private_key(65537, 1024))):
        expect_error(
            session.get_certificate,
            "MalformedCertificateSigningRequestException",
            "The certificate signing request (CSR) isn't valid. The CSR is blank, isn't a valid PEM-encoded PKCS #10 request, has a signature that doesn't verify, or uses a key type or key size that the signer doesn't support.",
            400,
            CertificateSigningRequest=csr,
        )
    # A session without a workload identity.
    plain = platform_sts(spiffe).assume_role(RoleArn=f"arn:aws:iam::{PROD}:role/Plain", RoleSessionName="plain")["Credentials"]
    expect_error(client("sts", spiffe.endpoint, plain).get_certificate, "AccessDenied", None, 403, CertificateSigningRequest=csr_pem())
    expect_error(
        client("sts", spiffe.endpoint, plain).get_web_identity_token,
        "AccessDenied",
        None,
        403,
        Audience=["a"],
        SigningAlgorithm="ES384",
        TokenType="JWT_SVID",
    )
    missing = spiffe.provider_arn.rsplit("/", 1)[0] + "/nope"
    r = expect_error(
        session.get_trust_bundles,
        "ResourceNotFoundException",
        "The specified resource doesn't exist, or you don't have access to it.",
        404,
        ProviderArn=missing,
    )
    # The model's members of the error: the ARN as given, and the kind of resource.
    assert (r["Error"]["ResourceId"], r["Error"]["ResourceType"]) == (missing, "WorkloadIdentityProvider"), r
    # Another account's caller (the development account's root) does not see the provider.
    expect_error(
        client("sts", spiffe.endpoint, KEYS["root"]).get_trust_bundles,
        "ResourceNotFoundException",
        None,
        404,
        ProviderArn=spiffe.provider_arn,
    )
    expect_error(session.get_trust_bundles, "ValidationError", None, 400, ProviderArn="arn:aws:iam::111111111111:role/Nope")
