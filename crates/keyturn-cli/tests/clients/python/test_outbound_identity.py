"""Outbound web identity federation through boto3 (issue 13): the account as an OIDC issuer.

IAM's EnableOutboundWebIdentityFederation / DisableOutboundWebIdentityFederation /
GetOutboundWebIdentityFederationInfo; STS's GetWebIdentityToken signing RS256 and ES384 JWTs that
PyJWT verifies from the issuer's discovery document alone; AWS's errors; and a Keyturn-to-Keyturn
round trip: a token issued by server A is accepted by AssumeRoleWithWebIdentity on server B, whose
OIDC plugin finds A's keys through discovery.
"""

from __future__ import annotations

import base64
import datetime
import json
import urllib.error
import urllib.parse
import urllib.request

import jwt
import pytest
import yaml

from keyturn_e2e import DEV, KEYS, PROD, KeyturnServer, client, expect_error, expect_iam_error, export_store
from test_federation import _plugin, _trust

AUDIENCE = "https://api.example.com"
DISABLED = (
    "The outbound web identity federation feature is not enabled for this account. To use this feature, "
    "you must first enable it through the Amazon Web Services Management Console or API."
)
ISSUER_A = "https://issuer-a.keyturn.test"
PROVIDER_KEY = f"issuer-a.keyturn.test/outbound/{DEV}"
PROVIDER_ARN = f"arn:aws:iam::{PROD}:oidc-provider/{PROVIDER_KEY}"
FROM_A_ROLE = f"arn:aws:iam::{PROD}:role/FromA"
THUMB = "6938FD4D98BAB03FAADB97B34396831E3780AEA1"


def _issuer_config() -> dict:
    root_id, root_secret = KEYS["root"]
    bob_id, bob_secret = KEYS["bob"]
    return {
        "store": {"memory": True},
        "accounts": [
            {
                "id": DEV,
                "root": {"access_keys": [{"id": root_id, "secret": root_secret}]},
                "users": [
                    {
                        "name": "bob",
                        "access_keys": [{"id": bob_id, "secret": bob_secret}],
                        "tags": {"dept": "eng"},
                        "inline_policies": {
                            "tokens": {
                                "Version": "2012-10-17",
                                "Statement": [
                                    {
                                        "Effect": "Allow",
                                        "Action": "sts:GetWebIdentityToken",
                                        "Resource": "*",
                                        "Condition": {
                                            "ForAllValues:StringEquals": {"sts:IdentityTokenAudience": AUDIENCE},
                                            "NumericLessThanEquals": {"sts:DurationSeconds": "900"},
                                        },
                                    },
                                    {"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"], "Resource": "*"},
                                ],
                            }
                        },
                    }
                ],
                "roles": [
                    {
                        "name": "Worker",
                        "trust_policy": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Principal": {"AWS": f"arn:aws:iam::{DEV}:root"},
                                    "Action": ["sts:AssumeRole", "sts:TagSession"],
                                }
                            ],
                        },
                        "inline_policies": {
                            "tokens": {
                                "Version": "2012-10-17",
                                "Statement": [{"Effect": "Allow", "Action": "sts:GetWebIdentityToken", "Resource": "*"}],
                            }
                        },
                        "tags": {"team": "data"},
                    }
                ],
            }
        ],
    }


@pytest.fixture(scope="module")
def issuer(tmp_path_factory):
    """Server A: issuer URLs under its own loopback address."""
    srv = KeyturnServer(tmp_path_factory.mktemp("keyturn-outbound"), _issuer_config())
    yield srv
    assert srv.stop() == 0, srv.output()


@pytest.fixture(scope="module")
def enabled(issuer):
    """A's development account with outbound federation enabled: its issuer URL."""
    iam = client("iam", issuer.endpoint, KEYS["root"])
    expect_iam_error(iam.get_outbound_web_identity_federation_info, "FeatureDisabled", None)
    expect_iam_error(iam.disable_outbound_web_identity_federation, "FeatureDisabled", None)
    sts = client("sts", issuer.endpoint, KEYS["root"])
    expect_error(
        sts.get_web_identity_token,
        "OutboundWebIdentityFederationDisabledException",
        DISABLED,
        403,
        Audience=[AUDIENCE],
        SigningAlgorithm="RS256",
    )
    url = iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
    assert url == f"{issuer.endpoint}/outbound/{DEV}"
    return url


def get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, {}


def claims_of(token: str) -> tuple[dict, dict]:
    header, payload, _ = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return json.loads(base64.urlsafe_b64decode(pad(header))), json.loads(base64.urlsafe_b64decode(pad(payload)))


def verify_from_discovery(token: str, issuer_url: str, audience: str) -> dict:
    """What a relying party does with nothing but the issuer URL: discovery, JWKS, verification."""
    status, doc = get_json(f"{issuer_url}/.well-known/openid-configuration")
    assert status == 200
    assert doc["issuer"] == issuer_url
    keys = jwt.PyJWKClient(doc["jwks_uri"], cache_keys=False)
    key = keys.get_signing_key_from_jwt(token)
    return jwt.decode(
        token,
        key.key,
        algorithms=doc["id_token_signing_alg_values_supported"],
        audience=audience,
        issuer=issuer_url,
        options={"require": ["iss", "sub", "aud", "exp", "iat", "jti"]},
    )


def test_enable_twice_and_info(issuer, enabled):
    iam = client("iam", issuer.endpoint, KEYS["root"])
    expect_iam_error(iam.enable_outbound_web_identity_federation, "FeatureEnabled", None)
    info = iam.get_outbound_web_identity_federation_info()
    assert info["IssuerIdentifier"] == enabled
    assert info["JwtVendingEnabled"] is True


@pytest.mark.parametrize("alg", ["RS256", "ES384"])
def test_token_verifies_from_discovery_alone(issuer, enabled, alg):
    sts = client("sts", issuer.endpoint, KEYS["root"])
    before = datetime.datetime.now(datetime.timezone.utc)
    r = sts.get_web_identity_token(
        Audience=[AUDIENCE],
        SigningAlgorithm=alg,
        DurationSeconds=600,
        Tags=[{"Key": "job", "Value": "nightly"}, {"Key": "tier", "Value": "gold"}],
    )
    token = r["WebIdentityToken"]
    header, _ = claims_of(token)
    assert header["alg"] == alg and header["typ"] == "JWT" and header["kid"]
    claims = verify_from_discovery(token, enabled, AUDIENCE)
    assert claims["iss"] == enabled
    assert claims["aud"] == AUDIENCE
    assert claims["sub"] == f"arn:aws:iam::{DEV}:root"
    assert claims["exp"] - claims["iat"] == 600
    assert abs(claims["iat"] - before.timestamp()) < 30
    assert int(r["Expiration"].timestamp()) == claims["exp"]
    aws = claims["https://sts.amazonaws.com/"]
    assert aws["aws_account"] == DEV
    assert aws["source_region"] == "us-east-1"
    assert aws["principal_id"] == f"arn:aws:iam::{DEV}:root"
    assert aws["request_tags"] == {"job": "nightly", "tier": "gold"}
    assert "principal_tags" not in aws  # the root user has no tags
    assert "scope" not in claims


def test_defaults_several_audiences_scope_and_unique_ids(issuer, enabled):
    sts = client("sts", issuer.endpoint, KEYS["root"])
    a = sts.get_web_identity_token(Audience=["aud-1", "aud-2"], SigningAlgorithm="ES384", Scope="read write")
    b = sts.get_web_identity_token(Audience=["aud-1"], SigningAlgorithm="ES384")
    ca = verify_from_discovery(a["WebIdentityToken"], enabled, "aud-2")
    cb = verify_from_discovery(b["WebIdentityToken"], enabled, "aud-1")
    assert ca["aud"] == ["aud-1", "aud-2"]
    assert ca["scope"] == "read write"
    assert ca["exp"] - ca["iat"] == 300
    assert ca["jti"] != cb["jti"]
    with pytest.raises(jwt.InvalidAudienceError):
        verify_from_discovery(b["WebIdentityToken"], enabled, "aud-2")


def test_role_session_token_and_session_duration_escalation(issuer, enabled):
    bob = client("sts", issuer.endpoint, KEYS["bob"])
    creds = bob.assume_role(
        RoleArn=f"arn:aws:iam::{DEV}:role/Worker",
        RoleSessionName="w1",
        DurationSeconds=900,
        Tags=[{"Key": "Team", "Value": "ops"}, {"Key": "shift", "Value": "night"}],
    )["Credentials"]
    worker = client("sts", issuer.endpoint, creds)
    token = worker.get_web_identity_token(Audience=["svc"], SigningAlgorithm="RS256", DurationSeconds=600)
    claims = verify_from_discovery(token["WebIdentityToken"], enabled, "svc")
    assert claims["sub"] == f"arn:aws:sts::{DEV}:assumed-role/Worker/w1"
    assert claims["https://sts.amazonaws.com/"]["principal_id"] == f"arn:aws:iam::{DEV}:role/Worker"
    # The role's tags, each overridden by a session tag of the same key (case-insensitively).
    assert claims["https://sts.amazonaws.com/"]["principal_tags"] == {"Team": "ops", "shift": "night"}
    expect_error(
        worker.get_web_identity_token,
        "SessionDurationEscalationException",
        None,
        403,
        Audience=["svc"],
        SigningAlgorithm="RS256",
        DurationSeconds=3600,
    )


def test_policy_condition_keys_decide(issuer, enabled):
    bob = client("sts", issuer.endpoint, KEYS["bob"])
    ok = bob.get_web_identity_token(Audience=[AUDIENCE], SigningAlgorithm="ES384", DurationSeconds=900)
    claims = verify_from_discovery(ok["WebIdentityToken"], enabled, AUDIENCE)
    assert claims["sub"] == f"arn:aws:iam::{DEV}:user/bob"
    assert claims["https://sts.amazonaws.com/"]["principal_tags"] == {"dept": "eng"}
    for kwargs in ({"Audience": ["https://other.example"]}, {"Audience": [AUDIENCE], "DurationSeconds": 901}):
        expect_error(
            bob.get_web_identity_token,
            "AccessDenied",
            f"User: arn:aws:iam::{DEV}:user/bob is not authorized to perform: sts:GetWebIdentityToken on resource: *",
            403,
            SigningAlgorithm="ES384",
            **kwargs,
        )


def raw_sts(endpoint: str, creds, params: dict) -> tuple[int, str]:
    """A Query request signed with SigV4 by botocore, for members this botocore does not model
    (`TokenType` arrived after the pinned version)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    body = urllib.parse.urlencode({"Version": "2011-06-15", **params})
    req = AWSRequest(method="POST", url=endpoint + "/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(*creds), "sts", "us-east-1").add_auth(req)
    prepared = req.prepare()
    http = urllib.request.Request(prepared.url, data=body.encode(), headers=dict(prepared.headers), method="POST")
    try:
        with urllib.request.urlopen(http, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_token_type_rules(issuer, enabled):
    def call(**params):
        return raw_sts(issuer.endpoint, KEYS["root"], {"Action": "GetWebIdentityToken", "SigningAlgorithm": "RS256", **params})

    status, text = call(**{"Audience.member.1": "a", "TokenType": "AWSIdentity", "SubjectMode": "AWSIdentity"})
    assert status == 400 and "<Code>ValidationError</Code>" in text
    assert "TokenType and SubjectMode are mutually exclusive." in text
    status, text = call(**{"Audience.member.1": "a", "TokenType": "AWSIdentity", "Scope": "read"})
    assert status == 400 and "TokenType and Scope are mutually exclusive." in text
    status, text = call(**{"Audience.member.1": "a", "Audience.member.2": "b", "TokenType": "JWT_SVID"})
    assert status == 400 and "A JWT_SVID token requires exactly one audience." in text
    # A JWT-SVID needs a session with a workload identity (test_workload_identity.py): root has none.
    status, text = call(**{"Audience.member.1": "a", "TokenType": "JWT_SVID"})
    assert status == 403 and "<Code>AccessDenied</Code>" in text
    assert "because the calling session doesn&apos;t have a workload identity" in text
    status, text = call(**{"Audience.member.1": "a", "TokenType": "Other"})
    assert status == 400 and "<Code>ValidationError</Code>" in text
    # TokenType=AWSIdentity alone is the default token.
    status, text = call(**{"Audience.member.1": "a", "TokenType": "AWSIdentity"})
    assert status == 200, text
    token = text.split("<WebIdentityToken>")[1].split("</WebIdentityToken>")[0]
    assert verify_from_discovery(token, enabled, "a")["sub"] == f"arn:aws:iam::{DEV}:root"


def test_validation_errors(issuer, enabled):
    sts = client("sts", issuer.endpoint, KEYS["root"])
    base = {"Audience": [AUDIENCE]}
    expect_error(sts.get_web_identity_token, "ValidationError", None, 400, SigningAlgorithm="HS256", **base)
    expect_error(
        sts.get_web_identity_token, "ValidationError", None, 400, SigningAlgorithm="RS256", DurationSeconds=59, **base
    )
    expect_error(
        sts.get_web_identity_token, "ValidationError", None, 400, SigningAlgorithm="RS256", DurationSeconds=3601, **base
    )
    expect_error(
        sts.get_web_identity_token,
        "ValidationError",
        None,
        400,
        SigningAlgorithm="RS256",
        SubjectMode="OriginIdentity",
        **base,
    )


def test_payload_too_large(issuer, enabled):
    sts = client("sts", issuer.endpoint, KEYS["root"])
    tags = [{"Key": f"k{i:03d}" + "x" * 120, "Value": "v" * 256} for i in range(50)]
    expect_error(
        sts.get_web_identity_token,
        "JWTPayloadSizeExceededException",
        "The requested token payload size exceeds the maximum allowed size.",
        400,
        Audience=[AUDIENCE],
        SigningAlgorithm="RS256",
        Tags=tags,
    )


def test_documents_only_while_enabled(tmp_path_factory):
    srv = KeyturnServer(tmp_path_factory.mktemp("keyturn-outbound-toggle"), _issuer_config())
    try:
        base = f"{srv.endpoint}/outbound/{DEV}/.well-known"
        assert get_json(f"{base}/openid-configuration")[0] == 404
        iam = client("iam", srv.endpoint, KEYS["root"])
        iam.enable_outbound_web_identity_federation()
        status, jwks = get_json(f"{base}/jwks.json")
        assert status == 200
        assert sorted(k["alg"] for k in jwks["keys"]) == ["ES384", "RS256"]
        assert {k["kty"] for k in jwks["keys"]} == {"RSA", "EC"}
        assert get_json(f"{srv.endpoint}/outbound/{PROD}/.well-known/jwks.json")[0] == 404
        iam.disable_outbound_web_identity_federation()
        assert get_json(f"{base}/jwks.json")[0] == 404
        expect_error(
            client("sts", srv.endpoint, KEYS["root"]).get_web_identity_token,
            "OutboundWebIdentityFederationDisabledException",
            DISABLED,
            403,
            Audience=[AUDIENCE],
            SigningAlgorithm="ES384",
        )
    finally:
        assert srv.stop() == 0, srv.output()


@pytest.fixture(scope="module")
def public_issuer(tmp_path_factory):
    """Server A': the same account, its issuer published as https://issuer-a.keyturn.test."""
    srv = KeyturnServer(
        tmp_path_factory.mktemp("keyturn-outbound-public"), _issuer_config(), server={"public_url": ISSUER_A}
    )
    yield srv
    assert srv.stop() == 0, srv.output()


@pytest.fixture(scope="module")
def relying(public_issuer, tmp_path_factory):
    """Server B: account PROD trusts A's issuer; its OIDC plugin discovers A's keys through A's
    loopback address (a mirror of the https issuer)."""
    prod_id, prod_secret = KEYS["prod-root"]
    mirror = f"{public_issuer.endpoint}/outbound/{DEV}"
    config = {
        "store": {"memory": True},
        "plugins": [
            {"path": _plugin("oidc"), "config": {"key_sets": {f"https://{PROVIDER_KEY}": {"discovery": mirror}}}}
        ],
        "accounts": [
            {
                "id": PROD,
                "root": {"access_keys": [{"id": prod_id, "secret": prod_secret}]},
                "roles": [
                    {
                        "name": "FromA",
                        "trust_policy": _trust(
                            PROVIDER_ARN,
                            "sts:AssumeRoleWithWebIdentity",
                            {"StringEquals": {f"{PROVIDER_KEY}:aud": "keyturn-b"}},
                        ),
                    }
                ],
            }
        ],
    }
    srv = KeyturnServer(tmp_path_factory.mktemp("keyturn-outbound-b"), config)
    yield srv
    assert srv.stop() == 0, srv.output()


@pytest.mark.parametrize("alg", ["RS256", "ES384"])
def test_keyturn_to_keyturn_round_trip(public_issuer, relying, alg):
    a_iam = client("iam", public_issuer.endpoint, KEYS["root"])
    try:
        issuer_url = a_iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
    except a_iam.exceptions.ClientError:
        issuer_url = a_iam.get_outbound_web_identity_federation_info()["IssuerIdentifier"]
    assert issuer_url == f"https://{PROVIDER_KEY}"
    b_iam = client("iam", relying.endpoint, KEYS["prod-root"])
    try:
        b_iam.create_open_id_connect_provider(Url=issuer_url, ClientIDList=["keyturn-b"], ThumbprintList=[THUMB])
    except b_iam.exceptions.EntityAlreadyExistsException:
        pass
    a_sts = client("sts", public_issuer.endpoint, KEYS["root"])
    b_sts = client("sts", relying.endpoint, KEYS["prod-root"])
    good = a_sts.get_web_identity_token(Audience=["keyturn-b"], SigningAlgorithm=alg)["WebIdentityToken"]
    r = b_sts.assume_role_with_web_identity(RoleArn=FROM_A_ROLE, RoleSessionName="from-a", WebIdentityToken=good)
    assert r["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{PROD}:assumed-role/FromA/from-a"
    assert r["SubjectFromWebIdentityToken"] == f"arn:aws:iam::{DEV}:root"
    # For an OIDC token, `Provider` is the token's `iss`.
    assert r["Provider"] == issuer_url
    assert r["Audience"] == "keyturn-b"
    wrong = a_sts.get_web_identity_token(Audience=["someone-else"], SigningAlgorithm=alg)["WebIdentityToken"]
    expect_error(
        b_sts.assume_role_with_web_identity,
        "InvalidIdentityToken",
        "Incorrect token audience",
        400,
        RoleArn=FROM_A_ROLE,
        RoleSessionName="from-a",
        WebIdentityToken=wrong,
    )


def test_the_flag_survives_a_restart_and_an_export(tmp_path_factory):
    config = _issuer_config()
    del config["store"]  # the server's SQLite file in its directory
    workdir = tmp_path_factory.mktemp("keyturn-outbound-sqlite")
    srv = KeyturnServer(workdir, config)
    client("iam", srv.endpoint, KEYS["root"]).enable_outbound_web_identity_federation()
    assert srv.stop() == 0, srv.output()
    out = workdir / "exported.yaml"
    done = export_store(srv.config_path, out)
    assert done.returncode == 0, done.stderr
    exported = yaml.safe_load(out.read_text())
    assert exported["accounts"][0]["outbound_web_identity_federation"] is True
    again = KeyturnServer(workdir, config)
    try:
        info = client("iam", again.endpoint, KEYS["root"]).get_outbound_web_identity_federation_info()
        assert info["JwtVendingEnabled"] is True
        assert info["IssuerIdentifier"] == f"{again.endpoint}/outbound/{DEV}"
    finally:
        assert again.stop() == 0, again.output()
