"""`server.tls` (issue 14 §2): HTTPS served with rustls to boto3 and the AWS CLI, `aws:SecureTransport`
true over TLS and false on the plain loopback listener, the issuer URLs in `https`, and certificates
that must not be accepted."""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import botocore.exceptions
import pytest
import yaml

from keyturn_e2e import REGION, KeyturnServer, client, expect_error, keyturn_bin, not_authorized
from ops_support import CONFIG, USER_ARN, USER_KEY, make_pki, tls_server_section

AWS = Path(sys.executable).parent / "aws"


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    """A node serving HTTPS on its port, plain HTTP on a loopback port beside it."""
    workdir = tmp_path_factory.mktemp("keyturn-tls")
    pki = make_pki(workdir / "pki")
    section, http_port, _ = tls_server_section(pki, metrics=False)
    srv = KeyturnServer(workdir, CONFIG, server=section)
    srv.https = f"https://127.0.0.1:{srv.port}"
    srv.http = f"http://127.0.0.1:{http_port}"
    srv.pki = pki
    yield srv
    assert srv.stop() == 0, srv.output()


def iam(endpoint: str, verify) -> "boto3.client":
    from botocore.config import Config

    c = client("iam", endpoint, USER_KEY)
    if verify is not None:
        # boto3 reads `verify` at client creation: make a client of its own with it.
        import boto3

        c = boto3.session.Session().client(
            "iam",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=USER_KEY[0],
            aws_secret_access_key=USER_KEY[1],
            verify=verify,
            config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
        )
    return c


def test_boto3_over_https_is_served_and_secure_transport_is_true(node):
    user = iam(node.https, str(node.pki["ca"])).get_user()["User"]
    assert user["Arn"] == USER_ARN
    assert user["UserName"] == "tls-user"


def test_the_same_request_over_plain_http_is_denied_by_the_secure_transport_condition(node):
    c = iam(node.http, None)
    # The same user and call succeed over HTTPS (above): only the Deny on SecureTransport differs.
    expect_error(c.get_user, "AccessDenied", not_authorized(USER_ARN, "iam:GetUser", USER_ARN), 403)


def test_sts_over_https_answers_with_the_callers_identity(node):
    import boto3

    sts = boto3.session.Session().client(
        "sts",
        endpoint_url=node.https,
        region_name=REGION,
        aws_access_key_id=USER_KEY[0],
        aws_secret_access_key=USER_KEY[1],
        verify=str(node.pki["ca"]),
    )
    who = sts.get_caller_identity()
    assert who["Arn"] == USER_ARN
    assert who["Account"] == "111111111111"


def test_a_client_that_does_not_trust_the_ca_refuses_the_certificate(node, tmp_path):
    # The system bundle (certifi) does not hold the test CA.
    with pytest.raises(botocore.exceptions.SSLError):
        iam(node.https, True).get_user()
    # Nor does another CA's bundle.
    other = make_pki(tmp_path / "other", cn="Another CA")
    with pytest.raises(botocore.exceptions.SSLError):
        iam(node.https, str(other["ca"])).get_user()


def test_a_plain_http_request_to_the_tls_port_gets_no_answer(node):
    with socket.create_connection(("127.0.0.1", node.port), timeout=5) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        s.settimeout(5)
        try:
            data = s.recv(4096)
        except ConnectionResetError:
            data = b""
    assert not data.startswith(b"HTTP/1.1 200"), data


def test_the_aws_cli_with_ca_bundle(node, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=USER_KEY[0],
        AWS_SECRET_ACCESS_KEY=USER_KEY[1],
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    base = [str(AWS), "--endpoint-url", node.https, "--output", "json"]
    done = subprocess.run(
        base + ["--ca-bundle", str(node.pki["ca"]), "sts", "get-caller-identity"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Arn"] == USER_ARN
    # Without the bundle the CLI refuses the certificate.
    refused = subprocess.run(
        base + ["sts", "get-caller-identity"], env=env, capture_output=True, text=True, timeout=60
    )
    assert refused.returncode != 0
    assert "SSL" in refused.stderr or "certificate" in refused.stderr, refused.stderr


def test_health_over_https_with_the_ca(node):
    context = ssl.create_default_context(cafile=str(node.pki["ca"]))
    with urllib.request.urlopen(f"{node.https}/healthz", context=context, timeout=10) as r:
        assert r.status == 200
        assert json.loads(r.read()) == {"status": "alive"}


def test_the_issuer_urls_say_https(tmp_path):
    """Outbound web identity federation's discovery document names the issuer with `https` when
    the node serves TLS (no `server.public_url`)."""
    config = json.loads(json.dumps(CONFIG))
    config["accounts"][0]["root"] = {"access_keys": [{"id": "AKIARTXV5AHDSVIWE4YE", "secret": "OpsTlsRootSecret/000000000000000000000"}]}
    pki = make_pki(tmp_path / "pki")
    section, _, _ = tls_server_section(pki, metrics=False)
    srv = KeyturnServer(tmp_path, config, server=section)
    try:
        import boto3

        root = boto3.session.Session().client(
            "iam",
            endpoint_url=f"https://127.0.0.1:{srv.port}",
            region_name=REGION,
            aws_access_key_id="AKIARTXV5AHDSVIWE4YE",
            aws_secret_access_key="OpsTlsRootSecret/000000000000000000000",
            verify=str(pki["ca"]),
        )
        issuer = root.enable_outbound_web_identity_federation()["IssuerIdentifier"]
        assert issuer.startswith(f"https://127.0.0.1:{srv.port}/"), issuer
        context = ssl.create_default_context(cafile=str(pki["ca"]))
        with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", context=context, timeout=10) as r:
            doc = json.loads(r.read())
        assert doc["issuer"] == issuer
        assert doc["jwks_uri"].startswith("https://"), doc
    finally:
        assert srv.stop() == 0, srv.output()


def test_a_key_that_does_not_match_the_certificate_stops_the_server_at_start(tmp_path):
    pki = make_pki(tmp_path / "a")
    other = make_pki(tmp_path / "b")
    config = dict(CONFIG, store={"memory": True}, keyring=str(tmp_path / "keyring.json"))
    config["server"] = {"listen": "127.0.0.1:0", "tls": {"cert": str(pki["cert"]), "key": str(other["key"])}}
    path = tmp_path / "k.yaml"
    path.write_text(yaml.safe_dump(config))
    done = subprocess.run([str(keyturn_bin()), "serve", "--config", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done
    assert "TLS: the certificate and key cannot serve TLS" in done.stderr, done.stderr


def test_a_missing_certificate_file_is_named(tmp_path):
    config = dict(CONFIG, store={"memory": True}, keyring=str(tmp_path / "keyring.json"))
    config["server"] = {"listen": "127.0.0.1:0", "tls": {"cert": str(tmp_path / "none.pem"), "key": str(tmp_path / "none.key")}}
    path = tmp_path / "k.yaml"
    path.write_text(yaml.safe_dump(config))
    done = subprocess.run([str(keyturn_bin()), "serve", "--config", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done
    assert f"{tmp_path / 'none.pem'}: a certificate:" in done.stderr, done.stderr


def test_plain_http_beside_tls_must_be_loopback(tmp_path):
    config = dict(CONFIG, store={"memory": True})
    config["server"] = {"tls": {"cert": "c.pem", "key": "k.pem", "http_listen": "0.0.0.0:8080"}}
    path = tmp_path / "k.yaml"
    path.write_text(yaml.safe_dump(config))
    done = subprocess.run([str(keyturn_bin()), "serve", "--config", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done
    assert "server.tls.http_listen: `0.0.0.0:8080` is not a loopback address" in done.stderr, done.stderr
