"""MinimumSessionTokenSize on the credential-returning operations, and SessionTokenSize /
SessionTokenUtilization in their responses (botocore 1.44 members)."""

from __future__ import annotations

import math

from keyturn_e2e import expect_error, role_arn

# Keyturn's budget for a session token (`MAX_SESSION_TOKEN_SIZE` in keyturn-core's ops/support.rs):
# what SessionTokenUtilization is a percentage of.
TOKEN_BUDGET = 16_384


def check_sizes(out: dict, minimum: int = 0) -> str:
    token = out["Credentials"]["SessionToken"]
    assert out["SessionTokenSize"] == len(token), out
    assert out["SessionTokenUtilization"] == min(100, math.ceil(len(token) * 100 / TOKEN_BUDGET)), out
    assert len(token) >= minimum
    return token


def test_assume_role_pads_its_token_to_the_minimum_and_the_token_works(sts):
    plain = sts("alice").assume_role(RoleArn=role_arn("UpdateApp"), RoleSessionName="plain")
    natural = len(check_sizes(plain))
    for minimum in (natural + 1, natural + 100, 4096):
        out = sts("alice").assume_role(
            RoleArn=role_arn("UpdateApp"), RoleSessionName="padded", MinimumSessionTokenSize=minimum
        )
        token = check_sizes(out, minimum)
        # Padding costs at most the four characters of one base64 quantum and one length byte.
        assert len(token) <= minimum + 8, (minimum, len(token))
        who = sts(out["Credentials"]).get_caller_identity()
        assert who["Arn"] == out["AssumedRoleUser"]["Arn"]
    # A minimum below the natural size (or 0) changes nothing.
    for minimum in (0, 10, natural):
        out = sts("alice").assume_role(
            RoleArn=role_arn("UpdateApp"), RoleSessionName="plain", MinimumSessionTokenSize=minimum
        )
        assert abs(len(check_sizes(out)) - natural) <= 4


def test_session_and_federation_tokens_honour_the_minimum(sts):
    out = sts("alice").get_session_token(MinimumSessionTokenSize=3000)
    check_sizes(out, 3000)
    assert sts(out["Credentials"]).get_caller_identity()["Arn"].endswith(":user/alice")
    out = sts("fed").get_federation_token(Name="partner-jo", MinimumSessionTokenSize=2500)
    check_sizes(out, 2500)
    check_sizes(sts("fed").get_federation_token(Name="partner-jo"))


def test_a_minimum_outside_0_to_4096_is_a_validation_error(sts):
    for value, constraint in ((4097, "less than or equal to 4096"), (-1, "greater than or equal to 0")):
        expect_error(
            sts("alice").assume_role, "ValidationError",
            f"1 validation error detected: Value '{value}' at 'minimumSessionTokenSize' failed to satisfy "
            f"constraint: Member must have value {constraint}", 400,
            RoleArn=role_arn("UpdateApp"), RoleSessionName="s1", MinimumSessionTokenSize=value,
        )
