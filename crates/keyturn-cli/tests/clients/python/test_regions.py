"""The regions a server serves, through boto3: every region of the `aws` partition by default,
exactly `server.regions` when the configuration lists them; other scopes are refused with AWS's
SignatureDoesNotMatch text.
"""

from __future__ import annotations

import pytest

from keyturn_e2e import KEYS, KeyturnServer, client, expect_error, load_config

WRONG_REGION = ("SignatureDoesNotMatch", "Credential should be scoped to a valid region. ", 403)


@pytest.fixture(scope="module")
def default_server(tmp_path_factory):
    srv = KeyturnServer(tmp_path_factory.mktemp("keyturn-regions"), load_config("e2e.yaml"))
    yield srv
    assert srv.stop() == 0, srv.output()


@pytest.fixture(scope="module")
def listed_server(tmp_path_factory):
    srv = KeyturnServer(
        tmp_path_factory.mktemp("keyturn-regions-listed"),
        load_config("e2e.yaml"),
        server={"regions": ["us-east-1", "eu-west-1"]},
    )
    yield srv
    assert srv.stop() == 0, srv.output()


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-2", "ap-southeast-7", "mx-central-1", "il-central-1"])
def test_every_region_of_the_partition_by_default(default_server, region):
    sts = client("sts", default_server.endpoint, KEYS["alice"], region=region)
    assert sts.get_caller_identity()["Arn"].endswith(":user/alice")
    # A session minted in one region signs requests for another.
    creds = sts.get_session_token()["Credentials"]
    assert client("sts", default_server.endpoint, creds, region="eu-central-1").get_caller_identity()["Account"]


@pytest.mark.parametrize("region", ["cn-north-1", "us-gov-west-1", "us-iso-east-1"])
def test_no_region_outside_the_partition(default_server, region):
    sts = client("sts", default_server.endpoint, KEYS["alice"], region=region)
    expect_error(sts.get_caller_identity, *WRONG_REGION)


def test_a_listed_server_serves_its_list_only(listed_server):
    for region in ("us-east-1", "eu-west-1"):
        sts = client("sts", listed_server.endpoint, KEYS["alice"], region=region)
        assert sts.get_caller_identity()["Arn"].endswith(":user/alice")
    for region in ("eu-west-2", "us-west-2"):
        expect_error(client("sts", listed_server.endpoint, KEYS["alice"], region=region).get_caller_identity, *WRONG_REGION)
