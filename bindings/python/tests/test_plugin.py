"""The pytest plugin (entry point pytest11): fixtures, marker and ini option."""

from __future__ import annotations

import pytest

from conftest import TEAM

pytest_plugins = ["pytester"]


def test_default_fixtures_use_the_seed_scenario(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os

        def test_sts(sts_client, keyturn_server):
            me = sts_client.get_caller_identity()
            assert me["Arn"] == "arn:aws:iam::222222222222:user/alice"
            r = sts_client.assume_role(
                RoleArn="arn:aws:iam::111111111111:role/UpdateApp", RoleSessionName="ci")
            assert r["AssumedRoleUser"]["Arn"].endswith("assumed-role/UpdateApp/ci")

        def test_session(boto3_session, keyturn_server):
            assert os.environ["AWS_ENDPOINT_URL_STS"] == keyturn_server.endpoint_url
            sts = boto3_session.client("sts")  # endpoint from the environment
            assert sts.get_caller_identity()["Account"] == "222222222222"
            assert boto3_session.region_name == "us-east-1"
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_marker_and_user_marker(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", team=TEAM.read_text())
    pytester.makepyfile(
        """
        import pytest
        import keyturn

        @pytest.mark.keyturn_config("team.yaml")
        @pytest.mark.keyturn_user("bob")
        def test_bob(sts_client, keyturn_server):
            assert keyturn_server.region == "eu-west-3"
            assert sts_client.get_caller_identity()["Arn"].endswith(":user/bob")

        @pytest.mark.keyturn_config({"accounts": [{"id": "123456789012", "users": [{"name": "dora"}]}]})
        def test_dict(sts_client):
            assert sts_client.get_caller_identity()["Arn"] == "arn:aws:iam::123456789012:user/dora"

        def test_server_is_fresh_per_test(keyturn_server):
            assert keyturn_server.running
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_ini_option(pytester: pytest.Pytester) -> None:
    pytester.mkdir("conf")
    (pytester.path / "conf" / "team.yaml").write_text(TEAM.read_text())
    pytester.makeini("[pytest]\nkeyturn_config = conf/team.yaml\nkeyturn_user = auditor\n")
    pytester.makepyfile(
        """
        def test_auditor(sts_client):
            assert sts_client.get_caller_identity()["Arn"] == "arn:aws:iam::111111111111:user/auditor"
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_bad_config_fails_the_test_with_a_typed_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.keyturn_config({"accountz": []})
        def test_bad(keyturn_server):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ConfigError*accountz*"])
