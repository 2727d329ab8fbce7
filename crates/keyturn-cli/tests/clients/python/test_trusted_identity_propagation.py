"""Trusted identity propagation through boto3: a `ContextProvider` set on OIDC and SAML providers
with IAM's API (Create…, UpdateOpenIDConnectProvider, UpdateSAMLProvider, read back by Get…), and
the `TrustedIdentityPropagationContext` that AssumeRoleWithWebIdentity and AssumeRoleWithSAML
answer with, derived from a PyJWT-signed ID token and an xmlsec1-signed SAML response verified by
the OIDC and SAML plugins. Also IAM's refusals of bad context providers and of an Identity Center
instance, which Keyturn cannot serve.
"""

from __future__ import annotations

import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from keyturn_e2e import expect_iam_error
from test_federation import ATTR, SAML_ISSUER
from test_iam_providers import (  # noqa: F401  (fixtures)
    ISSUER,
    OIDC_ARN,
    SAML_ARN,
    SAML_ROLE,
    WEB_ROLE,
    anonymous,
    iam,
    idp,
    metadata,
    srv,
)

WEB_CONTEXT = {
    "SubjectSourceKey": "sub",
    "SubjectTypeValue": "user",
    "KeyDefinitionList": [
        {"SourceKey": "email", "TargetKey": "mail"},
        {"SourceKey": "aud"},
        {"SourceKey": "department", "TargetKey": "dept"},
    ],
}


@pytest.fixture
def oidc(iam):
    iam.create_open_id_connect_provider(Url=ISSUER, ClientIDList=["client-e2e"], ContextProvider=WEB_CONTEXT)
    yield OIDC_ARN
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=OIDC_ARN)


def test_an_oidc_context_provider_is_read_back_and_propagated(iam, anonymous, idp, oidc):
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=oidc)
    assert got["ContextProvider"] == WEB_CONTEXT
    assert "IdentityCenterInstanceArn" not in got
    token = idp.id_token(email="user-42@example.com")
    r = anonymous.assume_role_with_web_identity(RoleArn=WEB_ROLE, RoleSessionName="web", WebIdentityToken=token)
    assert r["TrustedIdentityPropagationContext"] == {
        "OriginIdentity": {
            "Subject": "user-42",
            "SubjectType": "user",
            "Issuer": "idp.e2e.example",
            "FederatedProviderArn": OIDC_ARN,
        },
        # `department` is not in the token: no key.
        "TransactionContext": {"IdentityProvider": {"mail": "user-42@example.com", "aud": "client-e2e"}},
    }

    # Replaced: the subject type now from a claim.
    iam.update_open_id_connect_provider(
        OpenIDConnectProviderArn=oidc, ContextProvider={"SubjectSourceKey": "email", "SubjectTypeSourceKey": "kind"}
    )
    r = anonymous.assume_role_with_web_identity(
        RoleArn=WEB_ROLE, RoleSessionName="web", WebIdentityToken=idp.id_token(email="a@example.com", kind="workload")
    )
    origin = r["TrustedIdentityPropagationContext"]["OriginIdentity"]
    assert (origin["Subject"], origin["SubjectType"]) == ("a@example.com", "workload")
    assert "TransactionContext" not in r["TrustedIdentityPropagationContext"]
    # A token without the subject's claim is refused.
    with pytest.raises(anonymous.exceptions.InvalidIdentityTokenException) as info:
        anonymous.assume_role_with_web_identity(RoleArn=WEB_ROLE, RoleSessionName="web", WebIdentityToken=idp.id_token())
    assert info.value.response["Error"]["Message"] == (
        "The claim email that the identity provider's context provider maps as the subject is missing."
    )

    # Removed: no context in Get or in the answer.
    iam.update_open_id_connect_provider(OpenIDConnectProviderArn=oidc, RemoveContextProvider=True)
    assert "ContextProvider" not in iam.get_open_id_connect_provider(OpenIDConnectProviderArn=oidc)
    r = anonymous.assume_role_with_web_identity(RoleArn=WEB_ROLE, RoleSessionName="web", WebIdentityToken=token)
    assert "TrustedIdentityPropagationContext" not in r


def test_bad_context_providers_and_identity_center_are_refused(iam, oidc):
    both = {"SubjectSourceKey": "sub", "SubjectTypeValue": "user", "SubjectTypeSourceKey": "kind"}
    expect_iam_error(
        lambda: iam.update_open_id_connect_provider(OpenIDConnectProviderArn=oidc, ContextProvider=both),
        "InvalidInput",
        "Specify either SubjectTypeValue or SubjectTypeSourceKey, not both.",
    )
    expect_iam_error(
        lambda: iam.update_open_id_connect_provider(
            OpenIDConnectProviderArn=oidc, ContextProvider=WEB_CONTEXT, RemoveContextProvider=True
        ),
        "InvalidInput",
        "Specify either ContextProvider or RemoveContextProvider, not both.",
    )
    expect_iam_error(
        lambda: iam.update_open_id_connect_provider(
            OpenIDConnectProviderArn=oidc, ContextProvider={"SubjectSourceKey": "sub*"}
        ),
        "InvalidInput",
        None,
    )
    expect_iam_error(
        lambda: iam.update_open_id_connect_provider(
            OpenIDConnectProviderArn=oidc, IdentityCenterInstanceArn="arn:aws:sso:::instance/ssoins-1234567890abcdef"
        ),
        "InvalidInput",
        "IdentityCenterInstanceArn is not supported: Keyturn has no IAM Identity Center instance to associate.",
    )
    # The refusals changed nothing.
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=oidc)["ContextProvider"] == WEB_CONTEXT


def test_a_saml_context_provider_maps_the_name_id_and_attributes(iam, anonymous, idp):
    context = {
        "SubjectSourceKey": "Subject/NameID",
        "SubjectTypeValue": "user",
        "KeyDefinitionList": [{"SourceKey": ATTR + "PrincipalTag:team", "TargetKey": "team"}],
    }
    iam.create_saml_provider(Name="Corp", SAMLMetadataDocument=metadata(idp), ContextProvider=context)
    try:
        assert iam.get_saml_provider(SAMLProviderArn=SAML_ARN)["ContextProvider"] == context
        r = anonymous.assume_role_with_saml(
            RoleArn=SAML_ROLE,
            PrincipalArn=SAML_ARN,
            SAMLAssertion=idp.saml_response(roles=(f"{SAML_ARN},{SAML_ROLE}",)),
        )
        # The Issuer is a hash of the key that signed the assertion: the SHA-256 of the IdP
        # certificate's SubjectPublicKeyInfo.
        cert = x509.load_pem_x509_certificate(idp.cert_pem.read_bytes())
        spki = cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        assert r["TrustedIdentityPropagationContext"] == {
            "OriginIdentity": {
                "Subject": "alice",
                "SubjectType": "user",
                "Issuer": hashlib.sha256(spki).hexdigest(),
                "FederatedProviderArn": SAML_ARN,
            },
            "TransactionContext": {"IdentityProvider": {"team": "blue"}},
        }
        # The response's own Issuer member keeps the assertion's Issuer element.
        assert (r["Subject"], r["Issuer"]) == ("alice", SAML_ISSUER)
        expect_iam_error(
            lambda: iam.update_saml_provider(
                SAMLProviderArn=SAML_ARN, SAMLMetadataDocument=metadata(idp), RemoveContextProvider=True
            ),
            "InvalidInput",
            "A single request can change either the context provider or the provider metadata, not both.",
        )
        iam.update_saml_provider(SAMLProviderArn=SAML_ARN, RemoveContextProvider=True)
        assert "ContextProvider" not in iam.get_saml_provider(SAMLProviderArn=SAML_ARN)
    finally:
        iam.delete_saml_provider(SAMLProviderArn=SAML_ARN)
