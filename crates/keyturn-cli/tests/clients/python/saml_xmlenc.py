"""XML Encryption of a SAML assertion, written here from the W3C specifications with Python's
`cryptography` (independent of Keyturn's decryptor): `xenc:EncryptedData` with AES-CBC or AES-GCM,
the content key wrapped by RSA-OAEP (`rsa-oaep-mgf1p`, or xmlenc 1.1 `rsa-oaep` with its
`DigestMethod` and `MGF`) in an `xenc:EncryptedKey` placed inside the `KeyInfo`, beside the
`EncryptedData` (as SAML IdPs do) or referenced by a `RetrievalMethod`.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

XENC = "http://www.w3.org/2001/04/xmlenc#"
XENC11 = "http://www.w3.org/2009/xmlenc11#"
DSIG = "http://www.w3.org/2000/09/xmldsig#"

# Content algorithms: URI and key length in bytes.
CONTENT = {
    "aes128-cbc": (XENC + "aes128-cbc", 16),
    "aes192-cbc": (XENC + "aes192-cbc", 24),
    "aes256-cbc": (XENC + "aes256-cbc", 32),
    "aes128-gcm": (XENC11 + "aes128-gcm", 16),
    "aes192-gcm": (XENC11 + "aes192-gcm", 24),
    "aes256-gcm": (XENC11 + "aes256-gcm", 32),
}

# Digests: (DigestMethod URI, cryptography hash, xenc11 MGF URI).
DIGESTS = {
    "sha1": (DSIG + "sha1", hashes.SHA1, XENC11 + "mgf1sha1"),
    "sha256": (XENC + "sha256", hashes.SHA256, XENC11 + "mgf1sha256"),
    "sha384": ("http://www.w3.org/2001/04/xmldsig-more#sha384", hashes.SHA384, XENC11 + "mgf1sha384"),
    "sha512": (XENC + "sha512", hashes.SHA512, XENC11 + "mgf1sha512"),
}


def encrypt_content(algorithm: str, key: bytes, plaintext: bytes) -> bytes:
    """IV || ciphertext (|| tag for GCM), as XML Encryption lays them out."""
    if algorithm.endswith("gcm"):
        iv = os.urandom(12)
        return iv + AESGCM(key).encrypt(iv, plaintext, None)
    # XML Encryption's block padding: arbitrary bytes, the last one the padding length (1..16).
    pad = 16 - len(plaintext) % 16
    padded = plaintext + os.urandom(pad - 1) + bytes([pad])
    iv = os.urandom(16)
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv + encryptor.update(padded) + encryptor.finalize()


def encrypted_key(
    public_key, content_key: bytes, transport: str, digest: str, mgf: str, label: bytes | None, key_id: str | None
) -> str:
    digest_uri, digest_hash, _ = DIGESTS[digest]
    mgf_uri = DIGESTS[mgf][2]
    id_attr = f' Id="{key_id}"' if key_id else ""
    if transport == "rsa-1_5":
        # RSA PKCS#1 v1.5 (deprecated by XML Encryption 1.1), to check that it is refused.
        wrapped = public_key.encrypt(content_key, padding.PKCS1v15())
        return (
            f'<xenc:EncryptedKey xmlns:xenc="{XENC}"{id_attr}><xenc:EncryptionMethod Algorithm="{XENC}rsa-1_5"/>'
            f"<xenc:CipherData><xenc:CipherValue>{base64.b64encode(wrapped).decode()}</xenc:CipherValue>"
            "</xenc:CipherData></xenc:EncryptedKey>"
        )
    if transport == "rsa-oaep-mgf1p":
        if mgf != "sha1":
            raise ValueError("rsa-oaep-mgf1p is MGF1 with SHA-1")
        method_uri = XENC + "rsa-oaep-mgf1p"
        mgf_element = ""
    else:
        method_uri = XENC11 + "rsa-oaep"
        mgf_element = f'<xenc11:MGF xmlns:xenc11="{XENC11}" Algorithm="{mgf_uri}"/>'
    wrapped = public_key.encrypt(
        content_key,
        padding.OAEP(mgf=padding.MGF1(DIGESTS[mgf][1]()), algorithm=digest_hash(), label=label),
    )
    params = f"<xenc:OAEPparams>{base64.b64encode(label).decode()}</xenc:OAEPparams>" if label else ""
    return (
        f'<xenc:EncryptedKey xmlns:xenc="{XENC}"{id_attr}>'
        f'<xenc:EncryptionMethod Algorithm="{method_uri}">'
        f'<ds:DigestMethod xmlns:ds="{DSIG}" Algorithm="{digest_uri}"/>{mgf_element}{params}'
        "</xenc:EncryptionMethod>"
        f"<xenc:CipherData><xenc:CipherValue>{base64.b64encode(wrapped).decode()}</xenc:CipherValue></xenc:CipherData>"
        "</xenc:EncryptedKey>"
    )


def encrypt_assertion(
    response_xml: str,
    public_key,
    *,
    content: str = "aes256-gcm",
    transport: str = "rsa-oaep-mgf1p",
    digest: str = "sha1",
    mgf: str = "sha1",
    label: bytes | None = None,
    placement: str = "keyinfo",
    extra: str = "",
) -> str:
    """`response_xml` with its `saml:Assertion` (taken byte for byte, so a signature inside it
    stays valid, and followed by `extra`) replaced by a `saml:EncryptedAssertion` for `public_key`."""
    start = response_xml.index("<saml:Assertion ")
    end = response_xml.index("</saml:Assertion>") + len("</saml:Assertion>")
    assertion = (response_xml[start:end] + extra).encode()
    uri, length = CONTENT[content]
    content_key = os.urandom(length)
    cipher = base64.b64encode(encrypt_content(content, content_key, assertion)).decode()
    key_id = "_k1" if placement == "retrieval" else None
    wrapped = encrypted_key(public_key, content_key, transport, digest, mgf, label, key_id)
    if placement == "keyinfo":
        key_info, beside = f'<ds:KeyInfo xmlns:ds="{DSIG}">{wrapped}</ds:KeyInfo>', ""
    elif placement == "retrieval":
        key_info = (
            f'<ds:KeyInfo xmlns:ds="{DSIG}"><ds:RetrievalMethod URI="#_k1" '
            f'Type="{XENC}EncryptedKey"/></ds:KeyInfo>'
        )
        beside = wrapped
    else:
        key_info, beside = "", wrapped
    encrypted = (
        f'<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="{XENC}" Type="{XENC}Element">'
        f'<xenc:EncryptionMethod Algorithm="{uri}"/>{key_info}'
        f"<xenc:CipherData><xenc:CipherValue>{cipher}</xenc:CipherValue></xenc:CipherData>"
        f"</xenc:EncryptedData>{beside}</saml:EncryptedAssertion>"
    )
    return response_xml[:start] + encrypted + response_xml[end:]
