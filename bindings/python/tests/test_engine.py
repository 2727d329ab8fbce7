"""keyturn.Engine: every method, in-process, against the test model (configs/team.yaml)."""

from __future__ import annotations

import datetime
import json
import os

import pytest

import keyturn
from conftest import MFA_SEED, MFA_SERIAL, TEAM, UPDATE_APP, UPDATE_APP_MFA

UTC = datetime.timezone.utc


# --- construction ---------------------------------------------------------------------------


def test_engine_from_every_kind_of_config() -> None:
    text = TEAM.read_text()
    import yaml

    as_dict = yaml.safe_load(text)
    engines = [
        keyturn.Engine(TEAM, ephemeral=True),
        keyturn.Engine(text, ephemeral=True),
        keyturn.Engine(as_dict, ephemeral=True),
        keyturn.Engine.from_file(str(TEAM), ephemeral=True),
        keyturn.Engine.from_yaml(text, ephemeral=True),
        keyturn.Engine.from_yaml(json.dumps(as_dict), ephemeral=True),
        keyturn.Engine.from_dict(as_dict, ephemeral=True),
    ]
    for e in engines:
        assert e.region == "eu-west-3"
        assert e.users == [
            "111111111111/auditor",
            "222222222222/alice",
            "222222222222/bob",
        ]
        assert e.credentials("alice").access_key_id == "AKIATHPL2AOHFJCVQTKQ"


def test_engine_persistent_mode_writes_the_configured_keyring(tmp_path) -> None:
    config = f"keyring: {tmp_path}/k/keyring.json\nstore: {{memory: true}}\n"
    keyturn.Engine(config)
    assert (tmp_path / "k" / "keyring.json").exists()
    assert oct((tmp_path / "k" / "keyring.json").stat().st_mode & 0o777) == "0o600"


def test_config_errors_are_typed() -> None:
    with pytest.raises(keyturn.ConfigError) as e:
        keyturn.Engine({"accounts": [{"id": "1", "userz": []}]}, ephemeral=True)
    assert e.value.code == "ConfigError"
    assert "userz" in e.value.message
    with pytest.raises(keyturn.ConfigError):
        keyturn.Engine.from_file("/nonexistent/keyturn.yaml")
    with pytest.raises(TypeError):
        keyturn.Engine(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        keyturn.Engine.from_dict("accounts: []")  # type: ignore[arg-type]


# --- credentials and STS operations ---------------------------------------------------------


def test_credentials_are_typed(engine: keyturn.Engine, deploy: keyturn.Credentials) -> None:
    alice = engine.credentials("222222222222/alice")
    assert alice.session_token is None and alice.expiration is None
    assert deploy.access_key_id.startswith("ASIA")
    assert deploy.session_token
    assert isinstance(deploy.expiration, datetime.datetime)
    assert deploy.expiration.tzinfo is not None
    left = deploy.expiration - datetime.datetime.now(UTC)
    assert datetime.timedelta(minutes=59) < left <= datetime.timedelta(hours=1)
    assert "***" in repr(deploy) and deploy.secret_access_key not in repr(deploy)
    assert deploy.boto3_kwargs() == {
        "aws_access_key_id": deploy.access_key_id,
        "aws_secret_access_key": deploy.secret_access_key,
        "aws_session_token": deploy.session_token,
    }
    with pytest.raises(keyturn.NoSuchEntity):
        engine.credentials("nobody")


def test_assume_role_and_caller_identity(engine: keyturn.Engine, alice: keyturn.Credentials) -> None:
    me = engine.get_caller_identity(alice)
    assert me.arn == "arn:aws:iam::222222222222:user/alice"
    assert me.account == "222222222222" and me.user_id.startswith("AIDA")
    creds = engine.assume_role(
        alice,
        UPDATE_APP,
        "deploy",
        duration_seconds=900,
        tags={"team": "web"},
        policy={"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]},
    )
    who = engine.get_caller_identity(creds)
    assert who.arn == "arn:aws:sts::111111111111:assumed-role/UpdateApp/deploy"
    assert who.account == "111111111111"
    assert who.user_id.endswith(":deploy")
    assert creds.expiration - datetime.datetime.now(UTC) <= datetime.timedelta(seconds=900)
    # The session policy narrows the role: GetObject stays allowed, PutObject does not.
    assert engine.authorize(creds, "s3:GetObject", "arn:aws:s3:::productionapp/a")
    assert not engine.authorize(creds, "s3:PutObject", "arn:aws:s3:::productionapp/a")


def test_assume_role_denied_carries_an_encoded_message(
    engine: keyturn.Engine, auditor: keyturn.Credentials
) -> None:
    bob = engine.credentials("bob")
    with pytest.raises(keyturn.AccessDenied) as e:
        engine.assume_role(bob, UPDATE_APP, "xy")
    assert e.value.code == "AccessDenied"
    assert e.value.message == (
        "User: arn:aws:iam::222222222222:user/bob is not authorized to perform: "
        "sts:AssumeRole on resource: arn:aws:iam::111111111111:role/UpdateApp"
    )
    decoded = json.loads(engine.decode_authorization_message(auditor, e.value.encoded_authorization_message))
    assert decoded["allowed"] is False
    assert decoded["context"]["action"] == "sts:AssumeRole"
    assert decoded["context"]["principal"]["arn"] == "arn:aws:iam::222222222222:user/bob"


def test_validation_and_policy_errors(engine: keyturn.Engine, alice: keyturn.Credentials) -> None:
    with pytest.raises(keyturn.ValidationError) as e:
        engine.assume_role(alice, UPDATE_APP, "x")
    assert e.value.message.startswith("1 validation error detected: Value 'x' at 'roleSessionName'")
    with pytest.raises(keyturn.MalformedPolicyDocument):
        engine.assume_role(alice, UPDATE_APP, "deploy", policy="{not json")
    with pytest.raises(keyturn.ValidationError):
        engine.get_session_token(alice, duration_seconds=1)


def test_get_session_token_and_its_restrictions(engine: keyturn.Engine, alice: keyturn.Credentials) -> None:
    session = engine.get_session_token(alice, duration_seconds=900)
    assert session.access_key_id.startswith("ASIA")
    assert engine.get_caller_identity(session).arn == "arn:aws:iam::222222222222:user/alice"
    with pytest.raises(keyturn.AccessDenied) as e:
        engine.get_federation_token(session, "fed")
    assert e.value.message == "Cannot call GetFederationToken with session credentials"
    # GetSessionToken credentials may assume roles.
    role = engine.assume_role(session, UPDATE_APP, "chained")
    assert engine.get_caller_identity(role).arn.endswith("assumed-role/UpdateApp/chained")


def test_get_federation_token(engine: keyturn.Engine, auditor: keyturn.Credentials) -> None:
    fed = engine.get_federation_token(
        auditor,
        "reporter",
        policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
        duration_seconds=900,
    )
    assert engine.get_caller_identity(fed).arn == "arn:aws:sts::111111111111:federated-user/reporter"
    assert engine.authorize(fed, "s3:GetObject", "arn:aws:s3:::productionapp/r")
    # The auditor may get, the session policy may not list: the intersection denies.
    assert not engine.authorize(fed, "s3:GetBucketPolicy", "arn:aws:s3:::productionapp")


def test_get_access_key_info(engine: keyturn.Engine, alice: keyturn.Credentials, deploy: keyturn.Credentials) -> None:
    assert engine.get_access_key_info(alice, deploy.access_key_id) == "111111111111"
    assert engine.get_access_key_info(alice, "AKIATHPL2AOHFJCVQTKQ") == "222222222222"


def test_decode_authorization_message(
    engine: keyturn.Engine, auditor: keyturn.Credentials, deploy: keyturn.Credentials
) -> None:
    denied = engine.authorize(deploy, "s3:DeleteBucket", "arn:aws:s3:::productionapp")
    text = engine.decode_authorization_message(auditor, denied.encoded_message)
    doc = json.loads(text)
    assert doc["context"]["action"] == "s3:DeleteBucket"
    assert doc["context"]["resource"] == "arn:aws:s3:::productionapp"
    with pytest.raises(keyturn.InvalidAuthorizationMessageException):
        engine.decode_authorization_message(auditor, "bm90IGEgbWVzc2FnZQ==")
    with pytest.raises(keyturn.AccessDenied):
        engine.decode_authorization_message(deploy, denied.encoded_message)


def test_expired_and_invalid_tokens() -> None:
    start = datetime.datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    engine = keyturn.Engine(TEAM, ephemeral=True, fixed_time=start)
    alice = engine.credentials("alice")
    creds = engine.assume_role(alice, UPDATE_APP, "deploy", duration_seconds=900)
    assert creds.expiration == start + datetime.timedelta(seconds=900)
    assert engine.set_time(start + datetime.timedelta(hours=1))
    with pytest.raises(keyturn.ExpiredToken):
        engine.get_caller_identity(creds)
    forged = keyturn.Credentials(creds.access_key_id, creds.secret_access_key, "Zm9yZ2Vk")
    with pytest.raises(keyturn.InvalidClientTokenId):
        engine.get_caller_identity(forged)
    with pytest.raises(keyturn.InvalidClientTokenId):
        engine.get_caller_identity(keyturn.Credentials("AKIAIOSFODNN7EXAMPLE", "x"))
    with pytest.raises(keyturn.SignatureDoesNotMatch):
        engine.get_caller_identity(keyturn.Credentials(alice.access_key_id, "wrong"))
    # The system clock cannot be moved.
    assert keyturn.Engine(TEAM, ephemeral=True).set_time(start) is False


# --- MFA ------------------------------------------------------------------------------------

# RFC 4226 appendix D ("HOTP Algorithm: Test Values"): secret "12345678901234567890" (ASCII),
# 6 digits; the HOTP value for counters 0 to 9.
RFC4226_SECRET = b"12345678901234567890"
RFC4226_APPENDIX_D = [
    "755224", "287082", "359152", "969429", "338314",
    "254676", "287922", "162583", "399871", "520489",
]


def test_totp_matches_rfc_4226_vectors() -> None:
    import base64

    seed = base64.b32encode(RFC4226_SECRET).decode()
    for counter, code in enumerate(RFC4226_APPENDIX_D):
        at = 30 * counter
        assert keyturn.totp(seed, at) == code
        assert keyturn.totp(seed, datetime.datetime.fromtimestamp(at + 29, UTC)) == code
    with pytest.raises(keyturn.InvalidParameterValue):
        keyturn.totp("not base32 !!")


def test_mfa_role_with_engine_totp() -> None:
    now = datetime.datetime.now(UTC).replace(microsecond=0)
    engine = keyturn.Engine(TEAM, ephemeral=True, fixed_time=now)
    alice = engine.credentials("alice")
    with pytest.raises(keyturn.AccessDenied):
        engine.assume_role(alice, UPDATE_APP_MFA, "mfa")
    code = engine.totp(MFA_SEED)
    assert code == keyturn.totp(MFA_SEED, now)
    creds = engine.assume_role(alice, UPDATE_APP_MFA, "mfa", serial_number=MFA_SERIAL, token_code=code)
    assert engine.get_caller_identity(creds).arn.endswith("assumed-role/UpdateAppMfa/mfa")
    with pytest.raises(keyturn.AccessDenied):  # each code once
        engine.assume_role(alice, UPDATE_APP_MFA, "mfa2", serial_number=MFA_SERIAL, token_code=code)


# --- authorize ------------------------------------------------------------------------------


def test_authorize_decisions(engine: keyturn.Engine, deploy: keyturn.Credentials) -> None:
    ok = engine.authorize(deploy, "s3:PutObject", "arn:aws:s3:::productionapp/app.zip")
    assert ok and ok.allowed and ok.decision == "Allow" and ok.encoded_message is None

    implicit = engine.authorize(deploy, "s3:DeleteBucket", "arn:aws:s3:::productionapp")
    assert not implicit and implicit.decision == "ImplicitDeny"
    assert implicit.encoded_message and implicit.reasons

    explicit = engine.authorize(deploy, "s3:GetObject", "arn:aws:s3:::productionapp/secrets/k")
    assert explicit.decision == "ExplicitDeny"
    deny = [m for m in explicit.matched_statements if m.effect == "Deny"]
    assert [(m.sid, m.policy_id, m.policy_type) for m in deny] == [
        ("NeverSecrets", "arn:aws:iam::111111111111:policy/AppBucketReadWrite", "user-managed")
    ]


def test_authorize_principals_and_context(engine: keyturn.Engine) -> None:
    # By user name, with condition keys from the context.
    assert engine.authorize("auditor", "s3:ListBucket", "arn:aws:s3:::any", {"s3:prefix": "reports/2026"})
    assert not engine.authorize("auditor", "s3:ListBucket", "arn:aws:s3:::any", {"s3:prefix": "hr/"})
    assert not engine.authorize("auditor", "s3:ListBucket", "arn:aws:s3:::any")
    assert engine.authorize("auditor", "s3:ListBucket", "arn:aws:s3:::any", {"s3:prefix": ["reports/a"]})
    with pytest.raises(keyturn.InvalidParameterValue):
        engine.authorize("auditor", "s3:ListBucket", "arn:aws:s3:::any", {"s3:prefix": {"no": 1}})
    with pytest.raises(TypeError):
        engine.authorize(42, "s3:ListBucket", "*")  # type: ignore[arg-type]
    with pytest.raises(keyturn.NoSuchEntity):
        engine.authorize("nobody", "s3:ListBucket", "*")


def test_packed_policy_too_large(engine: keyturn.Engine, alice: keyturn.Credentials) -> None:
    tags = {f"k{i:02d}" + "x" * 100: "v" * 200 for i in range(50)}
    with pytest.raises(keyturn.PackedPolicyTooLarge) as e:
        engine.assume_role(alice, UPDATE_APP, "deploy", tags=tags)
    assert e.value.message.startswith("Packed size of session tags consumes ")
