"""Federation end to end: AssumeRoleWithWebIdentity and AssumeRoleWithSAML from boto3 against
`keyturn serve` with the OIDC and SAML identity-provider plugins loaded from its configuration.

Tokens are made here by independent tools: ID tokens by PyJWT, SAML responses signed by Debian's
`xmlsec1`. Both are fresh, so the server runs on the real clock.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import subprocess
import time

import boto3
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from keyturn_e2e import REGION, KeyturnServer, client, expect_error, keyturn_bin, self_signed

ACCOUNT = "123456789012"
ISSUER = "https://idp.e2e.example"
OIDC_ARN = f"arn:aws:iam::{ACCOUNT}:oidc-provider/idp.e2e.example"
SAML_ISSUER = "https://idp.e2e.example/saml"
SAML_ARN = f"arn:aws:iam::{ACCOUNT}:saml-provider/Corp"
WEB_ROLE = f"arn:aws:iam::{ACCOUNT}:role/WebRole"
SAML_ROLE = f"arn:aws:iam::{ACCOUNT}:role/SamlRole"
OTHER_ROLE = f"arn:aws:iam::{ACCOUNT}:role/OtherRole"
ATTR = "https://aws.amazon.com/SAML/Attributes/"


def _plugin(name: str) -> str:
    path = keyturn_bin().parent / f"libkeyturn_{name}.so"
    if not path.is_file():
        pytest.exit(f"plugin {path} not built (cargo build -p keyturn-{name})", returncode=3)
    return str(path)


def _trust(provider: str, action: str, condition: dict) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": provider},
                "Action": [action, "sts:TagSession", "sts:SetSourceIdentity"],
                "Condition": condition,
            }
        ],
    }


class Idp:
    """An OpenID provider and a SAML identity provider with fresh keys."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.jwt_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self.jwt_key.public_key()))
        jwk["kid"] = "e2e"
        (workdir / "jwks.json").write_text(json.dumps({"keys": [jwk]}))
        saml_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = self_signed(saml_key, "e2e-idp", 1, 30)
        self.key_pem = workdir / "idp.key"
        self.cert_pem = workdir / "idp.crt"
        self.key_pem.write_bytes(
            saml_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        self.cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        der = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
        (workdir / "metadata.xml").write_text(
            '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
            f'entityID="{SAML_ISSUER}"><md:IDPSSODescriptor '
            'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
            '<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
            f"<ds:X509Data><ds:X509Certificate>{der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
            "</md:KeyDescriptor></md:IDPSSODescriptor></md:EntityDescriptor>"
        )

    def id_token(self, **overrides) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": "user-42",
            "aud": "client-e2e",
            "iat": now,
            "exp": now + 600,
            "https://aws.amazon.com/tags": {"principal_tags": {"team": ["blue"]}, "transitive_tag_keys": ["team"]},
        }
        claims.update(overrides)
        return jwt.encode(claims, self.jwt_key, algorithm="RS256", headers={"kid": "e2e"})

    def saml_response(self, roles=(f"{SAML_ARN},{SAML_ROLE}",), not_on_or_after=300, signer="xmlsec1") -> str:
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)

        def at(seconds: int) -> str:
            return (now + datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")

        def attr(name: str, *values: str) -> str:
            inner = "".join(f"<saml:AttributeValue>{v}</saml:AttributeValue>" for v in values)
            return f'<saml:Attribute Name="{name}">{inner}</saml:Attribute>'

        attrs = (
            attr(ATTR + "Role", *roles)
            + attr(ATTR + "RoleSessionName", "alice")
            + attr(ATTR + "PrincipalTag:team", "blue")
            + attr(ATTR + "SourceIdentity", "alice")
        )
        signature = (
            '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="placeholder"/>'
            if signer == "signxml"
            else '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
            '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
            '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
            '<ds:Reference URI="#_a1"><ds:Transforms>'
            '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
            '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
            '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/>'
            "</ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo>"
            "</ds:Signature>"
        )
        xml = (
            '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" '
            f'IssueInstant="{at(0)}" Destination="https://signin.aws.amazon.com/saml">'
            f"<saml:Issuer>{SAML_ISSUER}</saml:Issuer><samlp:Status><samlp:StatusCode "
            'Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
            f'<saml:Assertion ID="_a1" Version="2.0" IssueInstant="{at(0)}">'
            f"<saml:Issuer>{SAML_ISSUER}</saml:Issuer>{signature}<saml:Subject>"
            '<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">alice</saml:NameID>'
            '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml:SubjectConfirmationData NotOnOrAfter="{at(not_on_or_after)}" '
            'Recipient="https://signin.aws.amazon.com/saml"/></saml:SubjectConfirmation></saml:Subject>'
            f'<saml:Conditions NotBefore="{at(-60)}" NotOnOrAfter="{at(not_on_or_after)}">'
            "<saml:AudienceRestriction><saml:Audience>urn:amazon:webservices</saml:Audience>"
            "</saml:AudienceRestriction></saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{at(0)}" SessionIndex="_s"><saml:AuthnContext>'
            "<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
            f"<saml:AttributeStatement>{attrs}</saml:AttributeStatement></saml:Assertion></samlp:Response>"
        )
        if signer == "signxml":
            return base64.b64encode(self._sign_with_signxml(xml)).decode()
        return base64.b64encode(self.xmlsec_sign(xml, "urn:oasis:names:tc:SAML:2.0:assertion:Assertion")).decode()

    def xmlsec_sign(self, xml: str, id_element: str) -> bytes:
        """`xml` with its signature template signed by xmlsec1 with the IdP's key (`ID` is the ID
        attribute of `id_element`, `namespace:Name`)."""
        unsigned = self.workdir / "response.xml"
        signed = self.workdir / "signed.xml"
        unsigned.write_text(xml)
        subprocess.run(
            [
                "xmlsec1", "--sign", "--privkey-pem", f"{self.key_pem},{self.cert_pem}",
                "--id-attr:ID", id_element, "--output", str(signed), str(unsigned),
            ],
            check=True,
            capture_output=True,
        )
        return signed.read_bytes()


    def _sign_with_signxml(self, xml: str) -> bytes:
        """Signs the assertion with Python's signxml (exclusive c14n, RSA-SHA256), in place."""
        from lxml import etree
        from signxml import XMLSigner, methods

        response = etree.fromstring(xml.encode())
        ns = {"saml": "urn:oasis:names:tc:SAML:2.0:assertion"}
        assertion = response.find("saml:Assertion", ns)
        signer = XMLSigner(
            method=methods.enveloped,
            signature_algorithm="rsa-sha256",
            digest_algorithm="sha256",
            c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
        )
        signed = signer.sign(
            assertion, key=self.key_pem.read_bytes(), cert=self.cert_pem.read_text(), reference_uri="_a1"
        )
        response.replace(assertion, signed)
        return etree.tostring(response)


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    return Idp(tmp_path_factory.mktemp("idp"))


@pytest.fixture(scope="module")
def fed(idp, tmp_path_factory):
    config = {
        "store": {"memory": True},
        "plugins": [
            {"path": _plugin("oidc"), "config": {}},
            {"path": _plugin("saml"), "config": {}},
        ],
        "accounts": [
            {
                "id": ACCOUNT,
                "oidc_providers": [
                    {"url": ISSUER, "client_ids": ["client-e2e"], "jwks_file": str(idp.workdir / "jwks.json")}
                ],
                "saml_providers": [{"name": "Corp", "metadata_file": str(idp.workdir / "metadata.xml")}],
                "roles": [
                    {
                        "name": "WebRole",
                        "trust_policy": _trust(
                            OIDC_ARN,
                            "sts:AssumeRoleWithWebIdentity",
                            {"StringEquals": {"idp.e2e.example:aud": "client-e2e", "idp.e2e.example:sub": "user-42"}},
                        ),
                    },
                    {
                        "name": "SamlRole",
                        "trust_policy": _trust(
                            SAML_ARN,
                            "sts:AssumeRoleWithSAML",
                            {"StringEquals": {"saml:aud": "https://signin.aws.amazon.com/saml"}},
                        ),
                    },
                    {
                        "name": "OtherRole",
                        "trust_policy": _trust(OIDC_ARN, "sts:AssumeRoleWithWebIdentity", {}),
                    },
                ],
            }
        ],
    }
    srv = KeyturnServer(tmp_path_factory.mktemp("keyturn-fed"), config)
    yield srv
    assert srv.stop() == 0, srv.output()


@pytest.fixture
def anonymous(fed):
    """An STS client that signs nothing, as the SDKs call the two federation actions."""
    from botocore import UNSIGNED
    from botocore.config import Config

    return boto3.session.Session().client(
        "sts", endpoint_url=fed.endpoint, region_name=REGION, config=Config(signature_version=UNSIGNED)
    )


def test_web_identity_then_get_caller_identity(fed, idp, anonymous):
    r = anonymous.assume_role_with_web_identity(
        RoleArn=WEB_ROLE, RoleSessionName="s1", WebIdentityToken=idp.id_token(), MinimumSessionTokenSize=2000
    )
    assert r["SessionTokenSize"] == len(r["Credentials"]["SessionToken"]) >= 2000
    assert r["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/WebRole/s1"
    assert r["AssumedRoleUser"]["AssumedRoleId"].startswith("AROA")
    assert r["AssumedRoleUser"]["AssumedRoleId"].endswith(":s1")
    assert r["SubjectFromWebIdentityToken"] == "user-42"
    assert r["Audience"] == "client-e2e"
    assert r["Provider"] in (ISSUER, OIDC_ARN, "idp.e2e.example")
    assert r["Credentials"]["AccessKeyId"].startswith("ASIA")
    me = client("sts", fed.endpoint, r["Credentials"]).get_caller_identity()
    assert me["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/WebRole/s1"
    assert me["Account"] == ACCOUNT


def test_boto3_web_identity_credential_provider(fed, idp, tmp_path, monkeypatch):
    """boto3's own provider: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ENDPOINT_URL_STS."""
    token_file = tmp_path / "token.jwt"
    token_file.write_text(idp.id_token())
    monkeypatch.setenv("AWS_ROLE_ARN", WEB_ROLE)
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token_file))
    monkeypatch.setenv("AWS_ROLE_SESSION_NAME", "from-boto3")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", fed.endpoint)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    session = boto3.session.Session()
    creds = session.get_credentials().get_frozen_credentials()
    assert creds.access_key.startswith("ASIA")
    me = session.client("sts").get_caller_identity()
    assert me["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/WebRole/from-boto3"


def test_web_identity_rejections(idp, anonymous):
    good = idp.id_token()
    head, payload, sig = good.split(".")
    tampered = ".".join([head, payload, ("A" if sig[0] != "A" else "B") + sig[1:]])
    expect_error(
        anonymous.assume_role_with_web_identity, "InvalidIdentityToken", None, 400,
        RoleArn=WEB_ROLE, RoleSessionName="s1", WebIdentityToken=tampered,
    )
    expect_error(
        anonymous.assume_role_with_web_identity, "InvalidIdentityToken", None, 400,
        RoleArn=WEB_ROLE, RoleSessionName="s1",
        WebIdentityToken=jwt.encode({"iss": ISSUER, "sub": "x", "aud": "client-e2e"}, None, algorithm="none"),
    )
    now = int(time.time())
    expect_error(
        anonymous.assume_role_with_web_identity, "ExpiredTokenException", None, 400,
        RoleArn=WEB_ROLE, RoleSessionName="s1", WebIdentityToken=idp.id_token(iat=now - 7200, exp=now - 3600),
    )
    # Signed by the trusted provider with an expiry no timestamp holds: the sender's malformed
    # token, not a 500 (issue 16).
    for exp in (2**63, 1e308):
        expect_error(
            anonymous.assume_role_with_web_identity, "InvalidIdentityToken", None, 400,
            RoleArn=WEB_ROLE, RoleSessionName="s1", WebIdentityToken=idp.id_token(exp=exp),
        )
    # AWS's answer to a token for another client: InvalidIdentityToken, "Incorrect token audience".
    expect_error(
        anonymous.assume_role_with_web_identity, "InvalidIdentityToken", "Incorrect token audience", 400,
        RoleArn=WEB_ROLE, RoleSessionName="s1", WebIdentityToken=idp.id_token(aud="someone-else"),
    )
    # A valid token whose subject the trust policy does not accept.
    expect_error(
        anonymous.assume_role_with_web_identity, "AccessDenied", None, 403,
        RoleArn=WEB_ROLE, RoleSessionName="s1", WebIdentityToken=idp.id_token(sub="user-43"),
    )


def test_saml_then_get_caller_identity(fed, idp, anonymous):
    r = anonymous.assume_role_with_saml(
        RoleArn=SAML_ROLE, PrincipalArn=SAML_ARN, SAMLAssertion=idp.saml_response(), MinimumSessionTokenSize=3000
    )
    assert r["SessionTokenSize"] == len(r["Credentials"]["SessionToken"]) >= 3000
    assert r["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/SamlRole/alice"
    assert r["Subject"] == "alice"
    assert r["SubjectType"] == "persistent"
    assert r["Issuer"] == SAML_ISSUER
    assert r["Audience"] == "https://signin.aws.amazon.com/saml"
    expected_qualifier = base64.b64encode(hashlib.sha1(f"{SAML_ISSUER}{ACCOUNT}/Corp".encode()).digest()).decode()
    assert r["NameQualifier"] == expected_qualifier
    assert r["SourceIdentity"] == "alice"
    me = client("sts", fed.endpoint, r["Credentials"]).get_caller_identity()
    assert me["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/SamlRole/alice"


def test_saml_signed_by_signxml(fed, idp, anonymous):
    """A second, independent XML-DSig implementation: Python's signxml."""
    r = anonymous.assume_role_with_saml(
        RoleArn=SAML_ROLE, PrincipalArn=SAML_ARN, SAMLAssertion=idp.saml_response(signer="signxml")
    )
    assert r["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/SamlRole/alice"
    assert r["Subject"] == "alice"
    # Tampering after signxml signed it is caught too.
    raw = base64.b64decode(idp.saml_response(signer="signxml")).decode()
    tampered = base64.b64encode(raw.replace(">alice</saml:NameID>", ">mallory</saml:NameID>").encode()).decode()
    expect_error(
        anonymous.assume_role_with_saml, "InvalidIdentityToken", None, 400,
        RoleArn=SAML_ROLE, PrincipalArn=SAML_ARN, SAMLAssertion=tampered,
    )


def test_saml_rejections(idp, anonymous):
    assertion = idp.saml_response()
    raw = base64.b64decode(assertion).decode()
    tampered = base64.b64encode(raw.replace(">alice</saml:NameID>", ">mallory</saml:NameID>").encode()).decode()
    expect_error(
        anonymous.assume_role_with_saml, "InvalidIdentityToken", None, 400,
        RoleArn=SAML_ROLE, PrincipalArn=SAML_ARN, SAMLAssertion=tampered,
    )
    # The role asked for is not among the assertion's Role attribute pairs.
    expect_error(
        anonymous.assume_role_with_saml, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", 403,
        RoleArn=OTHER_ROLE, PrincipalArn=SAML_ARN, SAMLAssertion=assertion,
    )
    expect_error(
        anonymous.assume_role_with_saml, "InvalidIdentityToken", None, 400,
        RoleArn=SAML_ROLE, PrincipalArn=f"arn:aws:iam::{ACCOUNT}:saml-provider/Unknown", SAMLAssertion=assertion,
    )
