"""IAM's identity-provider writes through boto3 (issue 12), on a fresh server per module with the
OIDC and SAML plugins loaded: providers created through the API are what AssumeRoleWithWebIdentity
and AssumeRoleWithSAML verify against on the very next request, and deleted ones are refused.

The account starts with no provider. The OIDC plugin's configuration names the issuer's key set
(`key_sets`), as AWS would fetch it from the issuer; ID tokens are signed by PyJWT and SAML
responses by Debian's `xmlsec1` (the `Idp` of test_federation.py).
"""

from __future__ import annotations

import datetime

import boto3
import pytest

from keyturn_e2e import DEV, KEYS, REGION, KeyturnServer, client, expect_error, expect_iam_error
from test_federation import Idp, _plugin, _trust

ISSUER = "https://idp.e2e.example"
OIDC_ARN = f"arn:aws:iam::{DEV}:oidc-provider/idp.e2e.example"
SAML_ARN = f"arn:aws:iam::{DEV}:saml-provider/Corp"
WEB_ROLE = f"arn:aws:iam::{DEV}:role/WebRole"
SAML_ROLE = f"arn:aws:iam::{DEV}:role/SamlRole"
THUMB = "6938FD4D98BAB03FAADB97B34396831E3780AEA1"
NO_OIDC = f"No OpenIDConnect provider found in your account for {ISSUER}"
NO_SAML = f"SAML Provider {SAML_ARN} does not exist or is not authorized for this role"


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    return Idp(tmp_path_factory.mktemp("idp-providers"))


@pytest.fixture(scope="module")
def srv(idp, tmp_path_factory):
    root_id, root_secret = KEYS["root"]
    bob_id, bob_secret = KEYS["bob"]
    config = {
        "store": {"memory": True},
        "plugins": [
            {"path": _plugin("oidc"), "config": {"key_sets": {ISSUER: {"jwks_file": str(idp.workdir / "jwks.json")}}}},
            {"path": _plugin("saml"), "config": {}},
        ],
        "accounts": [
            {
                "id": DEV,
                "root": {"access_keys": [{"id": root_id, "secret": root_secret}]},
                "users": [{"name": "bob", "access_keys": [{"id": bob_id, "secret": bob_secret}]}],
                "roles": [
                    {
                        "name": "WebRole",
                        "trust_policy": _trust(
                            OIDC_ARN, "sts:AssumeRoleWithWebIdentity", {"StringEquals": {"idp.e2e.example:aud": "client-e2e"}}
                        ),
                    },
                    {
                        "name": "SamlRole",
                        "trust_policy": _trust(
                            SAML_ARN, "sts:AssumeRoleWithSAML", {"StringEquals": {"saml:aud": "https://signin.aws.amazon.com/saml"}}
                        ),
                    },
                ],
            }
        ],
    }
    server = KeyturnServer(tmp_path_factory.mktemp("keyturn-providers"), config)
    yield server
    assert server.stop() == 0, server.output()


@pytest.fixture
def iam(srv):
    return client("iam", srv.endpoint, KEYS["root"])


@pytest.fixture
def anonymous(srv):
    from botocore import UNSIGNED
    from botocore.config import Config

    return boto3.session.Session().client(
        "sts", endpoint_url=srv.endpoint, region_name=REGION, config=Config(signature_version=UNSIGNED)
    )


def metadata(idp, valid_until: str | None = None) -> str:
    text = (idp.workdir / "metadata.xml").read_text()
    if valid_until:
        text = text.replace("<md:EntityDescriptor ", f'<md:EntityDescriptor validUntil="{valid_until}" ', 1)
    return text


def web_identity(anonymous, idp):
    return anonymous.assume_role_with_web_identity(
        RoleArn=WEB_ROLE, RoleSessionName="web", WebIdentityToken=idp.id_token()
    )


def saml(anonymous, idp):
    return anonymous.assume_role_with_saml(
        RoleArn=SAML_ROLE, PrincipalArn=SAML_ARN, SAMLAssertion=idp.saml_response(roles=(f"{SAML_ARN},{SAML_ROLE}",))
    )


def refused_and_gone(federate, refusal: str, get, missing: str) -> None:
    """After a delete: federation refuses the provider and IAM no longer has it."""
    expect_error(federate, "InvalidIdentityToken", refusal, 400)
    expect_iam_error(get, "NoSuchEntity", missing)


def test_oidc_provider_created_then_trusted_at_once_then_refused_once_deleted(iam, anonymous, idp):
    expect_error(lambda: web_identity(anonymous, idp), "InvalidIdentityToken", NO_OIDC, 400)
    made = iam.create_open_id_connect_provider(
        Url=ISSUER, ClientIDList=["client-e2e"], ThumbprintList=[THUMB], Tags=[{"Key": "team", "Value": "web"}]
    )
    assert made["OpenIDConnectProviderArn"] == OIDC_ARN
    assert made["Tags"] == [{"Key": "team", "Value": "web"}]
    r = web_identity(anonymous, idp)
    assert r["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{DEV}:assumed-role/WebRole/web"
    assert r["Audience"] == "client-e2e"

    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=OIDC_ARN, ClientID="client-e2e")
    expect_error(lambda: web_identity(anonymous, idp), "InvalidIdentityToken", "Incorrect token audience", 400)
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=OIDC_ARN, ClientID="client-e2e")
    web_identity(anonymous, idp)

    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=OIDC_ARN)
    refused_and_gone(
        lambda: web_identity(anonymous, idp),
        NO_OIDC,
        lambda: iam.get_open_id_connect_provider(OpenIDConnectProviderArn=OIDC_ARN),
        f"OpenIDConnect Provider not found for arn {OIDC_ARN}",
    )


def test_oidc_provider_reads_updates_and_tags(iam):
    url = "https://tokens.example.org/tenant"
    arn = f"arn:aws:iam::{DEV}:oidc-provider/tokens.example.org/tenant"
    iam.create_open_id_connect_provider(Url=url, ClientIDList=["a"])
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["Url"] == "tokens.example.org/tenant"
    assert got["ClientIDList"] == ["a"]
    assert got["ThumbprintList"] == []
    assert isinstance(got["CreateDate"], datetime.datetime)
    assert "Tags" not in got
    listed = [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]]
    assert arn in listed

    iam.update_open_id_connect_provider_thumbprint(OpenIDConnectProviderArn=arn, ThumbprintList=[THUMB])
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ThumbprintList"] == [THUMB.lower()]
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="a")
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="b")
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["a", "b"]

    iam.tag_open_id_connect_provider(
        OpenIDConnectProviderArn=arn, Tags=[{"Key": "env", "Value": "prod"}, {"Key": "cost", "Value": "7"}]
    )
    page = iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn, MaxItems=1)
    assert page["Tags"] == [{"Key": "cost", "Value": "7"}]
    assert page["IsTruncated"] is True
    rest = iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=arn, Marker=page["Marker"])
    assert rest["Tags"] == [{"Key": "env", "Value": "prod"}]
    assert rest["IsTruncated"] is False
    iam.untag_open_id_connect_provider(OpenIDConnectProviderArn=arn, TagKeys=["COST"])
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["Tags"] == [{"Key": "env", "Value": "prod"}]

    expect_iam_error(
        lambda: iam.create_open_id_connect_provider(Url=url),
        "EntityAlreadyExists",
        f"Provider with url {url} already exists.",
    )
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    # Idempotent, as IAM documents it: deleting it again succeeds, and it stays gone.
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    expect_iam_error(
        lambda: iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn),
        "NoSuchEntity",
        f"OpenIDConnect Provider not found for arn {arn}",
    )


@pytest.mark.parametrize(
    ("url", "code", "message"),
    [
        ("example.com", "ValidationError", "Invalid Open ID Connect Provider URL"),
        ("http://example.com", "InvalidInput", "Invalid Open ID Connect Provider URL. The URL must begin with https://."),
        ("https://example.com:8443", "InvalidInput", "Invalid Open ID Connect Provider URL."),
        ("https://example.com?a=1", "InvalidInput", "Invalid Open ID Connect Provider URL."),
    ],
)
def test_create_oidc_provider_refuses_bad_urls(iam, url, code, message):
    expect_error(lambda: iam.create_open_id_connect_provider(Url=url), code, message, 400)


def test_create_oidc_provider_refuses_bad_lists(iam):
    expect_iam_error(
        lambda: iam.create_open_id_connect_provider(Url="https://many.example.org", ThumbprintList=["a" * 40] * 6),
        "InvalidInput",
        "Thumbprint list must contain fewer than 5 entries.",
    )
    expect_error(
        lambda: iam.create_open_id_connect_provider(
            Url="https://many.example.org", ClientIDList=[f"c{i}" for i in range(101)]
        ),
        "LimitExceeded",
        "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100",
        409,
    )
    expect_error(
        lambda: iam.create_open_id_connect_provider(Url="https://many.example.org", ThumbprintList=["a" * 39]),
        "ValidationError",
        None,
        400,
    )
    expect_iam_error(
        lambda: iam.get_open_id_connect_provider(OpenIDConnectProviderArn=f"arn:aws:iam::{DEV}:oidc-provider/many.example.org"),
        "NoSuchEntity",
        None,
    )


def test_saml_provider_created_then_trusted_at_once_then_refused_once_deleted(iam, anonymous, idp):
    expect_error(lambda: saml(anonymous, idp), "InvalidIdentityToken", NO_SAML, 400)
    made = iam.create_saml_provider(
        Name="Corp", SAMLMetadataDocument=metadata(idp), Tags=[{"Key": "team", "Value": "sso"}]
    )
    assert made["SAMLProviderArn"] == SAML_ARN
    assert made["Tags"] == [{"Key": "team", "Value": "sso"}]
    r = saml(anonymous, idp)
    assert r["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{DEV}:assumed-role/SamlRole/alice"
    assert r["Issuer"] == "https://idp.e2e.example/saml"

    got = iam.get_saml_provider(SAMLProviderArn=SAML_ARN)
    assert got["SAMLMetadataDocument"] == metadata(idp)
    assert got["Tags"] == [{"Key": "team", "Value": "sso"}]
    assert got["ValidUntil"].year == got["CreateDate"].year + 100
    assert len(got["SAMLProviderUUID"]) >= 22
    listed = iam.list_saml_providers()["SAMLProviderList"]
    assert [(p["Arn"], p["ValidUntil"]) for p in listed] == [(SAML_ARN, got["ValidUntil"])]

    iam.delete_saml_provider(SAMLProviderArn=SAML_ARN)
    refused_and_gone(
        lambda: saml(anonymous, idp),
        NO_SAML,
        lambda: iam.get_saml_provider(SAMLProviderArn=SAML_ARN),
        f"Manifest not found for arn {SAML_ARN}",
    )


def test_update_saml_provider_metadata_keys_and_tags(iam, idp, tmp_path):
    arn = f"arn:aws:iam::{DEV}:saml-provider/Other"
    iam.create_saml_provider(Name="Other", SAMLMetadataDocument=metadata(idp))
    expect_iam_error(
        lambda: iam.create_saml_provider(Name="OTHER", SAMLMetadataDocument=metadata(idp)),
        "EntityAlreadyExists",
        "SAMLProvider with name OTHER already exists.",
    )
    updated = iam.update_saml_provider(SAMLProviderArn=arn, SAMLMetadataDocument=metadata(idp, "2040-06-01T00:00:00Z"))
    assert updated["SAMLProviderArn"] == arn
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    assert got["ValidUntil"] == datetime.datetime(2040, 6, 1, tzinfo=datetime.timezone.utc)

    key = idp.key_pem.read_text()
    iam.update_saml_provider(SAMLProviderArn=arn, AddPrivateKey=key, AssertionEncryptionMode="Allowed")
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    assert got["AssertionEncryptionMode"] == "Allowed"
    [entry] = got["PrivateKeyList"]
    assert entry["KeyId"].isalnum() and entry["KeyId"].isupper()
    assert key not in str(got)
    iam.update_saml_provider(SAMLProviderArn=arn, RemovePrivateKey=entry["KeyId"])
    assert "PrivateKeyList" not in iam.get_saml_provider(SAMLProviderArn=arn)
    expect_iam_error(
        lambda: iam.update_saml_provider(SAMLProviderArn=arn, AssertionEncryptionMode="Required"),
        "InvalidInput",
        None,
    )
    expect_error(
        lambda: iam.update_saml_provider(SAMLProviderArn=arn, AssertionEncryptionMode="Sometimes"),
        "ValidationError",
        None,
        400,
    )

    iam.tag_saml_provider(SAMLProviderArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    iam.untag_saml_provider(SAMLProviderArn=arn, TagKeys=["a"])
    tags = iam.list_saml_provider_tags(SAMLProviderArn=arn)
    assert tags["Tags"] == [{"Key": "b", "Value": "2"}]
    assert tags["IsTruncated"] is False
    iam.delete_saml_provider(SAMLProviderArn=arn)
    expect_iam_error(
        lambda: iam.list_saml_provider_tags(SAMLProviderArn=arn),
        "NoSuchEntity",
        f"Manifest not found for arn {arn}",
    )


def test_saml_metadata_that_is_not_idp_metadata_is_refused(iam, idp):
    not_idp = metadata(idp).replace("IDPSSODescriptor", "SPSSODescriptor")
    for document in [not_idp, "<" + "x" * 1200 + ">"]:
        expect_iam_error(
            lambda: iam.create_saml_provider(Name="Bad", SAMLMetadataDocument=document),
            "InvalidInput",
            "Could not parse metadata",
        )
    expect_error(
        lambda: iam.create_saml_provider(Name="Short", SAMLMetadataDocument="<md/>"),
        "ValidationError",
        None,
        400,
    )
    expect_iam_error(
        lambda: iam.get_saml_provider(SAMLProviderArn=f"arn:aws:iam::{DEV}:saml-provider/Bad"),
        "NoSuchEntity",
        None,
    )


def test_provider_writes_need_permission(srv, idp):
    bob = client("iam", srv.endpoint, KEYS["bob"])
    expect_error(lambda: bob.create_open_id_connect_provider(Url="https://bob.example.org"), "AccessDenied", None, 403)
    expect_error(
        lambda: bob.create_saml_provider(Name="Bob", SAMLMetadataDocument=metadata(idp)), "AccessDenied", None, 403
    )
    expect_error(
        lambda: bob.delete_saml_provider(SAMLProviderArn=SAML_ARN), "AccessDenied", None, 403
    )

