"""keyturn.Server: the real HTTP endpoint in-process, used by boto3."""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit

import boto3
import botocore.exceptions
import pytest

import keyturn
from conftest import TEAM, UPDATE_APP


def client(server: keyturn.Server, creds: keyturn.Credentials):
    return boto3.client("sts", endpoint_url=server.endpoint_url, region_name=server.region, **creds.boto3_kwargs())


def refused(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=1).close()
    except OSError:
        return True
    return False


def test_server_serves_boto3_and_shuts_down_cleanly() -> None:
    with keyturn.Server(keyturn.Engine(TEAM, ephemeral=True)) as server:
        assert server.running
        url = server.endpoint_url
        assert url.startswith("http://127.0.0.1:") and server.port > 0
        alice = server.credentials("alice")
        sts = client(server, alice)
        assert sts.get_caller_identity()["Arn"] == "arn:aws:iam::222222222222:user/alice"
        r = sts.assume_role(RoleArn=UPDATE_APP, RoleSessionName="deploy")
        role = boto3.client(
            "sts",
            endpoint_url=url,
            region_name="eu-west-3",
            aws_access_key_id=r["Credentials"]["AccessKeyId"],
            aws_secret_access_key=r["Credentials"]["SecretAccessKey"],
            aws_session_token=r["Credentials"]["SessionToken"],
        )
        assert role.get_caller_identity()["Account"] == "111111111111"
        # The in-process engine and the server are one: its credentials work in-process too.
        session = keyturn.Credentials(
            r["Credentials"]["AccessKeyId"], r["Credentials"]["SecretAccessKey"], r["Credentials"]["SessionToken"]
        )
        assert server.engine.get_caller_identity(session).arn.endswith("/UpdateApp/deploy")
    assert not server.running
    assert refused(url)
    server.stop()  # idempotent
    with pytest.raises(RuntimeError):
        server.endpoint_url


def test_server_errors_reach_boto3_with_aws_codes() -> None:
    with keyturn.Server(TEAM) as server:
        bob = client(server, server.credentials("bob"))
        with pytest.raises(botocore.exceptions.ClientError) as e:
            bob.assume_role(RoleArn=UPDATE_APP, RoleSessionName="deploy")
        err = e.value.response["Error"]
        assert err["Code"] == "AccessDenied"
        assert err["EncodedAuthorizationMessage"]
        wrong = keyturn.Credentials(server.credentials("alice").access_key_id, "wrong")
        with pytest.raises(botocore.exceptions.ClientError) as e:
            client(server, wrong).get_caller_identity()
        assert e.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_server_from_a_config_start_stop_restart() -> None:
    server = keyturn.Server({"accounts": [{"id": "123456789012", "users": [{"name": "carol"}]}]})
    assert not server.running and "stopped" in repr(server)
    assert server.start() is server
    assert server.start() is server  # idempotent
    first = server.endpoint_url
    carol = server.credentials("carol")
    assert client(server, carol).get_caller_identity()["Arn"] == "arn:aws:iam::123456789012:user/carol"
    server.stop()
    assert refused(first)
    server.start()
    assert client(server, carol).get_caller_identity()["Account"] == "123456789012"
    server.stop()


def test_shutdown_waits_for_requests_in_flight_and_many_clients() -> None:
    server = keyturn.Server(TEAM).start()
    alice = server.credentials("alice")
    errors: list[BaseException] = []

    def work() -> None:
        try:
            sts = client(server, alice)
            for _ in range(5):
                sts.get_caller_identity()
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    url = server.endpoint_url
    server.stop()
    assert errors == []
    assert refused(url)


def test_two_servers_on_different_ports() -> None:
    with keyturn.Server(TEAM) as a, keyturn.Server(TEAM) as b:
        assert a.port != b.port
        # Separate ephemeral engines: separate keyrings, so a's sessions do not open on b.
        r = a.engine.assume_role(a.credentials("alice"), UPDATE_APP, "deploy")
        with pytest.raises(keyturn.InvalidClientTokenId):
            b.engine.get_caller_identity(r)


def test_bad_host_is_refused() -> None:
    with pytest.raises(keyturn.InvalidParameterValue):
        keyturn.Server(TEAM, host="localhost")


def test_audit_log_to_a_file(tmp_path) -> None:
    log = tmp_path / "audit.jsonl"
    with keyturn.Server(TEAM, audit_log=log) as server:
        client(server, server.credentials("alice")).get_caller_identity()
    import json

    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert [e["eventName"] for e in events] == ["GetCallerIdentity"]
    assert events[0]["userIdentity"]["arn"] == "arn:aws:iam::222222222222:user/alice"
    assert server.credentials("alice").secret_access_key not in log.read_text()


def test_a_dropped_server_stops() -> None:
    import gc

    server = keyturn.Server(TEAM).start()
    url = server.endpoint_url
    del server
    gc.collect()
    assert refused(url)


def test_a_busy_port_is_an_os_error() -> None:
    with keyturn.Server(TEAM) as first:
        second = keyturn.Server(first.engine, port=first.port)
        with pytest.raises(OSError) as e:
            second.start()
        assert str(first.port) in str(e.value)
        assert not second.running
