"""IAM server certificates, signing certificates, SSH public keys and the credential report through
boto3 (issue 12), on a fresh server per module; certificates and keys are made here with
`cryptography`, fingerprints checked against an MD5 computed here of the key's SSH wire form.

The development account (222222222222) has root keys (`root`) and the users alice and bob (see
configs/e2e.yaml).
"""

from __future__ import annotations

import base64
import csv
import datetime
import hashlib
import io
import json
import time

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from keyturn_e2e import (
    DEV,
    KEYS,
    KeyturnServer,
    client,
    expect_error,
    expect_iam_error,
    export_store,
    load_config,
    not_authorized,
    self_signed,
    succeeds_once,
)

MALFORMED = "Unable to parse certificate. Please ensure the certificate is in PEM format."


def new_key(bits: int = 2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def certificate(key, days: int = 365, cn: str = "www.example.com", start_days_ago: int = 1) -> str:
    return self_signed(key, cn, start_days_ago, days).public_bytes(serialization.Encoding.PEM).decode()


def private_pem(key, fmt=serialization.PrivateFormat.TraditionalOpenSSL) -> str:
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode()


def not_after(pem: str) -> datetime.datetime:
    return x509.load_pem_x509_certificate(pem.encode()).not_valid_after_utc


# --- server certificates -----------------------------------------------------------------------


def audit_event(srv, request_id: str) -> dict:
    """The audit log's event of `request_id` (the log is written asynchronously)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = srv.audit_path.read_text().splitlines() if srv.audit_path.exists() else []
        found = [e for e in (json.loads(line) for line in lines if line.strip()) if e.get("requestID") == request_id]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no audit event for {request_id}")


def test_a_server_certificate_round_trips_without_its_private_key(fresh, admin):
    key = new_key()
    body, chain = certificate(key), certificate(new_key(), cn="Test CA")
    made = admin.upload_server_certificate(
        Path="/cloudfront/",
        ServerCertificateName="web",
        CertificateBody=body,
        PrivateKey=private_pem(key, serialization.PrivateFormat.PKCS8),
        CertificateChain=chain,
        Tags=[{"Key": "env", "Value": "prod"}],
    )
    meta = made["ServerCertificateMetadata"]
    assert meta["Arn"] == f"arn:aws:iam::{DEV}:server-certificate/cloudfront/web"
    assert meta["ServerCertificateId"].startswith("ASCA")
    assert meta["Expiration"] == not_after(body).replace(microsecond=0)
    assert made["Tags"] == [{"Key": "env", "Value": "prod"}]
    # Audited, with the private key redacted (a sensitive member in IAM's model).
    event = audit_event(fresh, made["ResponseMetadata"]["RequestId"])
    assert event["eventName"] == "UploadServerCertificate"
    assert "PRIVATE KEY" not in fresh.audit_path.read_text()

    got = admin.get_server_certificate(ServerCertificateName="web")["ServerCertificate"]
    assert got["CertificateBody"] == body
    assert got["CertificateChain"] == chain
    assert got["ServerCertificateMetadata"] == meta
    assert "PrivateKey" not in got and "PRIVATE KEY" not in str(got)

    listed = admin.list_server_certificates(PathPrefix="/cloudfront/")["ServerCertificateMetadataList"]
    assert [m["ServerCertificateName"] for m in listed] == ["web"]
    assert admin.list_server_certificates(PathPrefix="/elsewhere/")["ServerCertificateMetadataList"] == []

    admin.update_server_certificate(ServerCertificateName="web", NewServerCertificateName="web2", NewPath="/")
    again = admin.get_server_certificate(ServerCertificateName="web2")["ServerCertificate"]["ServerCertificateMetadata"]
    assert again["ServerCertificateId"] == meta["ServerCertificateId"]
    assert again["Arn"] == f"arn:aws:iam::{DEV}:server-certificate/web2"
    admin.tag_server_certificate(ServerCertificateName="web2", Tags=[{"Key": "team", "Value": "edge"}])
    admin.untag_server_certificate(ServerCertificateName="web2", TagKeys=["ENV"])
    assert admin.list_server_certificate_tags(ServerCertificateName="web2")["Tags"] == [
        {"Key": "team", "Value": "edge"}
    ]
    admin.delete_server_certificate(ServerCertificateName="web2")
    expect_iam_error(
        lambda: admin.get_server_certificate(ServerCertificateName="web2"),
        "NoSuchEntity",
        "The Server Certificate with name web2 cannot be found.",
    )


def test_server_certificate_uploads_iam_refuses(admin):
    key = new_key()
    good = {"ServerCertificateName": "refused", "CertificateBody": certificate(key), "PrivateKey": private_pem(key)}
    expect_iam_error(
        lambda: admin.upload_server_certificate(**{**good, "CertificateBody": "certbody"}),
        "MalformedCertificate",
        MALFORMED,
    )
    expect_iam_error(
        lambda: admin.upload_server_certificate(**{**good, "CertificateBody": certificate(key, days=-1, start_days_ago=30)}),
        "MalformedCertificate",
        "Certificate is no longer valid. The 'Not After' date restriction on the certificate has passed.",
    )
    expect_iam_error(
        lambda: admin.upload_server_certificate(**{**good, "PrivateKey": private_pem(new_key())}),
        "KeyPairMismatch",
        "Public key certificate and private key doesn't match.",
    )
    response = expect_error(
        lambda: admin.upload_server_certificate(**{**good, "PrivateKey": "privatekey"}),
        "MalformedCertificate",
        None,
        400,
    )
    assert "privatekey" not in response["Error"]["Message"]
    expect_iam_error(
        lambda: admin.upload_server_certificate(**{**good, "CertificateChain": "certchain"}),
        "MalformedCertificate",
        None,
    )
    admin.upload_server_certificate(**good)
    expect_iam_error(
        lambda: admin.upload_server_certificate(**{**good, "ServerCertificateName": "REFUSED"}),
        "EntityAlreadyExists",
        "The Server Certificate with name REFUSED already exists.",
    )
    admin.delete_server_certificate(ServerCertificateName="refused")


def test_server_certificates_are_authorized_on_their_path_arn(fresh, admin):
    admin.put_user_policy(
        UserName="bob",
        PolicyName="certs",
        PolicyDocument=(
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:UploadServerCertificate",'
            f'"Resource":"arn:aws:iam::{DEV}:server-certificate/web/*"}}]}}'
        ),
    )
    try:
        bob = client("iam", fresh.endpoint, KEYS["bob"])
        key = new_key()
        args = {"CertificateBody": certificate(key), "PrivateKey": private_pem(key)}
        bob.upload_server_certificate(Path="/web/", ServerCertificateName="bobs", **args)
        expect_error(
            lambda: bob.upload_server_certificate(ServerCertificateName="rootpath", **args),
            "AccessDenied",
            not_authorized(
                f"arn:aws:iam::{DEV}:user/bob",
                "iam:UploadServerCertificate",
                f"arn:aws:iam::{DEV}:server-certificate/rootpath",
            ),
            403,
        )
    finally:
        admin.delete_user_policy(UserName="bob", PolicyName="certs")
        admin.delete_server_certificate(ServerCertificateName="bobs")


# --- signing certificates ----------------------------------------------------------------------


def test_signing_certificates_of_a_user(admin):
    admin.create_user(UserName="signer")
    first = admin.upload_signing_certificate(UserName="signer", CertificateBody=certificate(new_key()))["Certificate"]
    assert first["UserName"] == "signer" and first["Status"] == "Active"
    assert len(first["CertificateId"]) == 32
    expect_iam_error(
        lambda: admin.upload_signing_certificate(UserName="alice", CertificateBody=first["CertificateBody"]),
        "DuplicateCertificate",
        None,
    )
    succeeds_once(
        lambda: admin.upload_signing_certificate(UserName="signer", CertificateBody=certificate(new_key())),
        "LimitExceeded",
        "Cannot exceed quota for CertificatesPerUser: 2",
    )
    expect_iam_error(
        lambda: admin.upload_signing_certificate(UserName="signer", CertificateBody="notacert"),
        "MalformedCertificate",
        MALFORMED,
    )
    admin.update_signing_certificate(UserName="signer", CertificateId=first["CertificateId"], Status="Inactive")
    listed = admin.list_signing_certificates(UserName="signer")["Certificates"]
    assert [(c["CertificateId"] == first["CertificateId"], c["Status"]) for c in listed] == [
        (True, "Inactive"),
        (False, "Active"),
    ]
    expect_iam_error(
        lambda: admin.delete_user(UserName="signer"),
        "DeleteConflict",
        "Cannot delete entity, must delete signing certificates first.",
    )
    for c in listed:
        admin.delete_signing_certificate(UserName="signer", CertificateId=c["CertificateId"])
    fake = "X" * 32
    expect_iam_error(
        lambda: admin.update_signing_certificate(UserName="signer", CertificateId=fake, Status="Active"),
        "NoSuchEntity",
        f"The Certificate with id {fake} cannot be found.",
    )
    admin.delete_user(UserName="signer")
    expect_iam_error(
        lambda: admin.list_signing_certificates(UserName="signer"),
        "NoSuchEntity",
        "The user with name signer cannot be found.",
    )


# --- SSH public keys ---------------------------------------------------------------------------


def openssh(key) -> str:
    return key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


def md5_of(openssh_text: str) -> str:
    digest = hashlib.md5(base64.b64decode(openssh_text.split()[1])).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, 32, 2))


def test_ssh_public_keys_of_a_user(admin):
    admin.create_user(UserName="coder")
    key = new_key()
    body = openssh(key) + " coder@example.com"
    made = admin.upload_ssh_public_key(UserName="coder", SSHPublicKeyBody=body)["SSHPublicKey"]
    assert made["SSHPublicKeyId"].startswith("APKA") and len(made["SSHPublicKeyId"]) == 20
    assert made["Fingerprint"] == md5_of(body)
    assert made["Status"] == "Active" and made["SSHPublicKeyBody"] == body

    got = admin.get_ssh_public_key(UserName="coder", SSHPublicKeyId=made["SSHPublicKeyId"], Encoding="SSH")
    assert got["SSHPublicKey"]["SSHPublicKeyBody"] == body
    pem = admin.get_ssh_public_key(UserName="coder", SSHPublicKeyId=made["SSHPublicKeyId"], Encoding="PEM")[
        "SSHPublicKey"
    ]["SSHPublicKeyBody"]
    assert pem.startswith("---- BEGIN SSH2 PUBLIC KEY ----")
    # The same key in PEM encodings is the same key.
    spki = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    for text in (pem, spki.decode()):
        expect_iam_error(
            lambda t=text: admin.upload_ssh_public_key(UserName="coder", SSHPublicKeyBody=t),
            "DuplicateSSHPublicKey",
            None,
        )
    expect_iam_error(
        lambda: admin.upload_ssh_public_key(UserName="coder", SSHPublicKeyBody=openssh(new_key(1024))),
        "InvalidPublicKey",
        None,
    )
    expect_iam_error(
        lambda: admin.upload_ssh_public_key(UserName="coder", SSHPublicKeyBody=certificate(key)),
        "UnrecognizedPublicKeyEncoding",
        None,
    )
    admin.update_ssh_public_key(UserName="coder", SSHPublicKeyId=made["SSHPublicKeyId"], Status="Inactive")
    listed = admin.list_ssh_public_keys(UserName="coder")["SSHPublicKeys"]
    assert [(k["SSHPublicKeyId"], k["Status"]) for k in listed] == [(made["SSHPublicKeyId"], "Inactive")]
    expect_iam_error(
        lambda: admin.delete_user(UserName="coder"),
        "DeleteConflict",
        "Cannot delete entity, must delete SSH public keys first.",
    )
    succeeds_once(
        lambda: admin.delete_ssh_public_key(UserName="coder", SSHPublicKeyId=made["SSHPublicKeyId"]),
        "NoSuchEntity",
        f"The Public Key with id {made['SSHPublicKeyId']} cannot be found.",
    )
    assert admin.list_ssh_public_keys(UserName="coder")["SSHPublicKeys"] == []
    admin.delete_user(UserName="coder")


# --- the credential report ---------------------------------------------------------------------

HEADER = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
    "cert_2_active,cert_2_last_rotated"
)


def test_the_credential_report(tmp_path):
    # A server of its own: the report is made once per four hours.
    srv = KeyturnServer(tmp_path / "report", load_config("e2e.yaml"))
    try:
        iam = client("iam", srv.endpoint, KEYS["root"])
        expect_iam_error(iam.get_credential_report, "ReportNotPresent", None)
        # alice signs a request: her key's last use is in the report.
        client("sts", srv.endpoint, KEYS["alice"]).get_caller_identity()
        iam.upload_signing_certificate(UserName="bob", CertificateBody=certificate(new_key()))
        assert iam.generate_credential_report()["State"] == "STARTED"
        assert iam.generate_credential_report()["State"] == "COMPLETE"
        got = iam.get_credential_report()
        assert got["ReportFormat"] == "text/csv"
        text = got["Content"].decode()
        assert text.split("\n")[0] == HEADER
        rows = {r["user"]: r for r in csv.DictReader(io.StringIO(text))}
        assert rows["<root_account>"]["arn"] == f"arn:aws:iam::{DEV}:root"
        assert rows["<root_account>"]["password_enabled"] == "not_supported"
        alice = rows["alice"]
        assert (alice["password_enabled"], alice["password_last_used"]) == ("false", "N/A")
        assert alice["access_key_1_active"] == "true"
        assert alice["access_key_1_last_used_date"] != "N/A"
        assert (alice["access_key_1_last_used_service"], alice["access_key_1_last_used_region"]) == (
            "sts",
            "us-east-1",
        )
        bob = rows["bob"]
        assert (bob["cert_1_active"], bob["cert_2_active"], bob["cert_2_last_rotated"]) == ("true", "false", "N/A")
    finally:
        assert srv.stop() == 0, srv.output()


# --- persistence -------------------------------------------------------------------------------


def test_certificates_and_keys_survive_an_export(tmp_path):
    src = KeyturnServer(tmp_path / "src", load_config("e2e.yaml"))
    try:
        iam = client("iam", src.endpoint, KEYS["root"])
        key = new_key()
        iam.upload_server_certificate(
            ServerCertificateName="kept", CertificateBody=certificate(key), PrivateKey=private_pem(key)
        )
        iam.upload_signing_certificate(UserName="bob", CertificateBody=certificate(new_key()))
        iam.upload_ssh_public_key(UserName="bob", SSHPublicKeyBody=openssh(new_key()))
        iam.generate_credential_report()
        before = (
            iam.get_server_certificate(ServerCertificateName="kept")["ServerCertificate"],
            iam.list_signing_certificates(UserName="bob")["Certificates"],
            iam.list_ssh_public_keys(UserName="bob")["SSHPublicKeys"],
        )
        out = tmp_path / "exported.yaml"
        done = export_store(src.config_path, out)
        assert done.returncode == 0, done.stderr
        assert "PRIVATE KEY" not in done.stdout + done.stderr
    finally:
        assert src.stop() == 0, src.output()
    exported = yaml.safe_load(out.read_text())
    assert "credential_report" not in exported["accounts"][1] and "credential_report" not in exported["accounts"][0]
    copy = KeyturnServer(tmp_path / "copy", exported)
    try:
        again = client("iam", copy.endpoint, KEYS["root"])
        after = (
            again.get_server_certificate(ServerCertificateName="kept")["ServerCertificate"],
            again.list_signing_certificates(UserName="bob")["Certificates"],
            again.list_ssh_public_keys(UserName="bob")["SSHPublicKeys"],
        )
        assert after == before
        expect_iam_error(again.get_credential_report, "ReportNotPresent", None)
    finally:
        assert copy.stop() == 0, copy.output()
