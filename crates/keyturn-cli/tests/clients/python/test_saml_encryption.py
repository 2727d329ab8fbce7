"""Encrypted SAML assertions (issue 12) through boto3: a SAML provider created with
`AddPrivateKey` and `AssertionEncryptionMode`, then AssumeRoleWithSAML with assertions encrypted
for its keys, key rotation (add the second key, remove the first), every content and key-transport
algorithm, and the refusals.

The assertions are signed by Debian's `xmlsec1` (the `Idp` of test_federation.py) and encrypted by
saml_xmlenc.py with Python's `cryptography`, independently of Keyturn's decryptor.
"""

from __future__ import annotations

import base64
import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from keyturn_e2e import DEV, KEYS, KeyturnServer, client, expect_error
from saml_xmlenc import encrypt_assertion
from test_federation import Idp, _plugin
from test_iam_providers import anonymous, iam  # noqa: F401 (fixtures, over this module's `srv`)

ENC_ARN = f"arn:aws:iam::{DEV}:saml-provider/Enc"
ALGO_ARN = f"arn:aws:iam::{DEV}:saml-provider/Algo"
PLAIN_ARN = f"arn:aws:iam::{DEV}:saml-provider/Plain"
ROLE = f"arn:aws:iam::{DEV}:role/SamlRole"
REQUIRED = "Invalid SAML response: the SAML provider requires encrypted assertions"
NO_KEY = "Invalid SAML response: the SAML provider has no private key to decrypt the assertion"
UNDECRYPTABLE = "Invalid SAML response: the assertion cannot be decrypted with the SAML provider's private keys"
BAD_SIGNATURE = "Response signature invalid"
RESPONSE_SIGNATURE = (
    '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
    '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
    '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
    '<ds:Reference URI="#_r1"><ds:Transforms>'
    '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
    '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
    '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/>'
    "</ds:Reference></ds:SignedInfo><ds:SignatureValue/></ds:Signature>"
)


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    return Idp(tmp_path_factory.mktemp("idp-encryption"))


@pytest.fixture(scope="module")
def keys():
    """Two RSA key pairs of the service provider: the first as PKCS#8 PEM, the second as PKCS#1."""
    first = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    second = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    return [
        (first, first.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()),
        (
            second,
            second.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
            ).decode(),
        ),
    ]


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    root_id, root_secret = KEYS["root"]
    config = {
        "store": {"memory": True},
        "plugins": [{"path": _plugin("saml"), "config": {}}],
        "accounts": [
            {
                "id": DEV,
                "root": {"access_keys": [{"id": root_id, "secret": root_secret}]},
                "roles": [
                    {
                        "name": "SamlRole",
                        "trust_policy": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Principal": {"Federated": [ENC_ARN, ALGO_ARN, PLAIN_ARN]},
                                    "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession", "sts:SetSourceIdentity"],
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    server = KeyturnServer(tmp_path_factory.mktemp("keyturn-saml-encryption"), config)
    yield server
    output = server.output()
    assert server.stop() == 0, output
    # The private keys never reach the server's output.
    assert "PRIVATE KEY" not in output


def metadata(idp) -> str:
    return (idp.workdir / "metadata.xml").read_text()


def signed_xml(idp, provider: str) -> str:
    """A fresh response whose assertion is signed by the IdP (xmlsec1), as XML text."""
    return base64.b64decode(idp.saml_response(roles=(f"{provider},{ROLE}",))).decode()


def response_signed(idp, xml: str) -> str:
    """`xml` with the assertion's own signature removed and the whole Response signed instead."""
    unsigned = re.sub(r"<ds:Signature .*?</ds:Signature>", "", xml, count=1, flags=re.S)
    assert "<ds:Signature" not in unsigned
    first_issuer = unsigned.index("</saml:Issuer>") + len("</saml:Issuer>")
    template = unsigned[:first_issuer] + RESPONSE_SIGNATURE + unsigned[first_issuer:]
    return idp.xmlsec_sign(template, "urn:oasis:names:tc:SAML:2.0:protocol:Response").decode()


def assume(anonymous, provider: str, xml: str):
    return anonymous.assume_role_with_saml(
        RoleArn=ROLE, PrincipalArn=provider, SAMLAssertion=base64.b64encode(xml.encode()).decode()
    )


def refused(anonymous, provider: str, xml: str, message: str):
    expect_error(lambda: assume(anonymous, provider, xml), "InvalidIdentityToken", message, 400)


def key_ids(iam, arn: str) -> list[str]:
    return [k["KeyId"] for k in iam.get_saml_provider(SAMLProviderArn=arn).get("PrivateKeyList", [])]


def test_required_encryption_then_key_rotation(iam, anonymous, idp, keys):
    (first, first_pem), (second, second_pem) = keys
    iam.create_saml_provider(
        Name="Enc", SAMLMetadataDocument=metadata(idp), AssertionEncryptionMode="Required", AddPrivateKey=first_pem
    )
    got = iam.get_saml_provider(SAMLProviderArn=ENC_ARN)
    assert got["AssertionEncryptionMode"] == "Required"
    [first_id] = key_ids(iam, ENC_ARN)

    r = assume(anonymous, ENC_ARN, encrypt_assertion(signed_xml(idp, ENC_ARN), first.public_key()))
    assert r["Subject"] == "alice" and r["Issuer"] == "https://idp.e2e.example/saml"
    assert r["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{DEV}:assumed-role/SamlRole/alice"
    assert r["Credentials"]["AccessKeyId"].startswith("ASIA")

    # Required: a plain assertion is refused; one for a key the provider lacks cannot be read.
    refused(anonymous, ENC_ARN, signed_xml(idp, ENC_ARN), REQUIRED)
    for_second = encrypt_assertion(signed_xml(idp, ENC_ARN), second.public_key(), content="aes128-cbc")
    refused(anonymous, ENC_ARN, for_second, UNDECRYPTABLE)

    # Rotation: add the second key (both decrypt), then remove the first (only the second does).
    iam.update_saml_provider(SAMLProviderArn=ENC_ARN, AddPrivateKey=second_pem)
    assert len(key_ids(iam, ENC_ARN)) == 2
    assume(anonymous, ENC_ARN, encrypt_assertion(signed_xml(idp, ENC_ARN), first.public_key()))
    assume(anonymous, ENC_ARN, encrypt_assertion(signed_xml(idp, ENC_ARN), second.public_key()))
    iam.update_saml_provider(SAMLProviderArn=ENC_ARN, RemovePrivateKey=first_id)
    assert len(key_ids(iam, ENC_ARN)) == 1 and first_id not in key_ids(iam, ENC_ARN)
    refused(anonymous, ENC_ARN, encrypt_assertion(signed_xml(idp, ENC_ARN), first.public_key()), UNDECRYPTABLE)
    r = assume(anonymous, ENC_ARN, encrypt_assertion(signed_xml(idp, ENC_ARN), second.public_key()))
    assert r["Subject"] == "alice"

    # Allowed: plain and encrypted assertions are both accepted.
    iam.update_saml_provider(SAMLProviderArn=ENC_ARN, AssertionEncryptionMode="Allowed")
    assume(anonymous, ENC_ARN, signed_xml(idp, ENC_ARN))
    assume(anonymous, ENC_ARN, encrypt_assertion(signed_xml(idp, ENC_ARN), second.public_key()))
    got = iam.get_saml_provider(SAMLProviderArn=ENC_ARN)
    assert "PRIVATE KEY" not in str(got)
    iam.delete_saml_provider(SAMLProviderArn=ENC_ARN)


@pytest.fixture(scope="module")
def algo(srv, idp, keys):
    """A provider with the first key, encryption allowed."""
    iam = client("iam", srv.endpoint, KEYS["root"])
    arn = iam.create_saml_provider(
        Name="Algo", SAMLMetadataDocument=metadata(idp), AssertionEncryptionMode="Allowed", AddPrivateKey=keys[0][1]
    )["SAMLProviderArn"]
    return arn


@pytest.mark.parametrize("content", ["aes128-cbc", "aes192-cbc", "aes256-cbc", "aes128-gcm", "aes192-gcm", "aes256-gcm"])
def test_every_content_algorithm(anonymous, idp, keys, algo, content):
    xml = encrypt_assertion(signed_xml(idp, algo), keys[0][0].public_key(), content=content)
    assert assume(anonymous, algo, xml)["Subject"] == "alice"


@pytest.mark.parametrize(
    ("transport", "digest", "mgf", "label"),
    [
        ("rsa-oaep-mgf1p", "sha1", "sha1", None),
        ("rsa-oaep-mgf1p", "sha256", "sha1", None),
        ("rsa-oaep-mgf1p", "sha1", "sha1", b"oaep-label"),
        ("rsa-oaep", "sha1", "sha1", None),
        ("rsa-oaep", "sha256", "sha256", None),
        ("rsa-oaep", "sha512", "sha1", None),
        ("rsa-oaep", "sha256", "sha384", b"label"),
    ],
)
def test_every_key_transport(anonymous, idp, keys, algo, transport, digest, mgf, label):
    xml = encrypt_assertion(
        signed_xml(idp, algo), keys[0][0].public_key(), transport=transport, digest=digest, mgf=mgf, label=label
    )
    assert assume(anonymous, algo, xml)["Subject"] == "alice"


@pytest.mark.parametrize("placement", ["keyinfo", "sibling", "retrieval"])
def test_every_place_of_the_encrypted_key(anonymous, idp, keys, algo, placement):
    xml = encrypt_assertion(signed_xml(idp, algo), keys[0][0].public_key(), content="aes256-cbc", placement=placement)
    assert assume(anonymous, algo, xml)["Subject"] == "alice"


def test_rsa_1_5_key_transport_is_refused(anonymous, idp, keys, algo):
    xml = encrypt_assertion(signed_xml(idp, algo), keys[0][0].public_key(), transport="rsa-1_5")
    refused(
        anonymous, algo, xml,
        "Invalid SAML response: unsupported encryption algorithm http://www.w3.org/2001/04/xmlenc#rsa-1_5",
    )


def test_response_signature_covers_the_encrypted_assertion(anonymous, idp, keys, algo):
    public = keys[0][0].public_key()
    unsigned = re.sub(r"<ds:Signature .*?</ds:Signature>", "", signed_xml(idp, algo), count=1, flags=re.S)
    signed = response_signed(idp, encrypt_assertion(unsigned, public, content="aes128-gcm"))
    assert "<saml:EncryptedAssertion>" in signed
    assert assume(anonymous, algo, signed)["Subject"] == "alice"
    # Tampered after signing: one character of the ciphertext changed.
    value = re.search(r"<xenc:CipherValue>([^<]+)</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>", signed)
    at = value.start(1) + 40
    tampered = signed[:at] + ("A" if signed[at] != "A" else "B") + signed[at + 1 :]
    refused(anonymous, algo, tampered, BAD_SIGNATURE)
    # An unsigned assertion encrypted without a Response signature proves nothing.
    refused(anonymous, algo, encrypt_assertion(unsigned, public), "Response signature invalid")


@pytest.mark.parametrize("content", ["aes256-gcm", "aes256-cbc"])
def test_tampered_ciphertext_is_refused(anonymous, idp, keys, algo, content):
    xml = encrypt_assertion(signed_xml(idp, algo), keys[0][0].public_key(), content=content, placement="sibling")
    value = re.search(r"<xenc:CipherValue>([^<]+)</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>", xml)
    raw = bytearray(base64.b64decode(value.group(1)))
    raw[len(raw) // 2] ^= 0x01
    tampered = xml[: value.start(1)] + base64.b64encode(bytes(raw)).decode() + xml[value.end(1) :]
    # GCM's tag fails. CBC authenticates nothing: whatever the garbled plaintext does (not
    # parse, or parse and break the assertion's signature), the answer is a bad signature, so that
    # changed ciphertexts cannot be told apart by how they fail.
    refused(anonymous, algo, tampered, UNDECRYPTABLE if content.endswith("gcm") else BAD_SIGNATURE)


@pytest.mark.parametrize("extra", ["<saml:Issuer>https://idp.e2e.example/saml</saml:Issuer>", "<!-- x -->", "text"])
@pytest.mark.parametrize("content", ["aes128-gcm", "aes128-cbc"])
def test_plaintext_that_is_more_than_one_assertion_is_refused(anonymous, idp, keys, algo, extra, content):
    xml = encrypt_assertion(signed_xml(idp, algo), keys[0][0].public_key(), content=content, extra=extra)
    refused(anonymous, algo, xml, UNDECRYPTABLE if content.endswith("gcm") else BAD_SIGNATURE)
    # Under a Response signature the ciphertext is authenticated: the decryption failure is told.
    unsigned = re.sub(r"<ds:Signature .*?</ds:Signature>", "", signed_xml(idp, algo), count=1, flags=re.S)
    signed = response_signed(idp, encrypt_assertion(unsigned, keys[0][0].public_key(), content=content, extra=extra))
    refused(anonymous, algo, signed, UNDECRYPTABLE)


def test_encrypted_assertion_to_a_provider_without_keys(iam, anonymous, idp, keys):
    arn = iam.create_saml_provider(Name="Plain", SAMLMetadataDocument=metadata(idp))["SAMLProviderArn"]
    refused(anonymous, arn, encrypt_assertion(signed_xml(idp, arn), keys[0][0].public_key()), NO_KEY)
    assert assume(anonymous, arn, signed_xml(idp, arn))["Subject"] == "alice"
    iam.delete_saml_provider(SAMLProviderArn=arn)
