#!/usr/bin/env python3
"""Generates the conformance corpus (tests/corpus/*.json). Every expected value was decided by hand
from the IAM User Guide section named in `doc_section`; this script only writes the files.
Run: python3 tests/gen_corpus.py (from crates/keyturn-policy)."""
import json, os, shutil

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
A1, A2 = "111111111111", "222222222222"
ALICE = f"arn:aws:iam::{A1}:user/alice"
BOB = f"arn:aws:iam::{A1}:user/bob"
CAROL = f"arn:aws:iam::{A2}:user/carol"
ROLE = f"arn:aws:iam::{A1}:role/app"
SESSION = f"arn:aws:sts::{A1}:assumed-role/app/s1"
TARGET_ROLE = f"arn:aws:iam::{A1}:role/target"
OBJ = "arn:aws:s3:::bucket/key"
V = "2012-10-17"

S_OPS = "reference_policies_elements_condition_operators.html"
S_STR = S_OPS + "#Conditions_String"
S_NUM = S_OPS + "#Conditions_Numeric"
S_DATE = S_OPS + "#Conditions_Date"
S_BOOL = S_OPS + "#Conditions_Boolean"
S_BIN = S_OPS + "#Conditions_BinaryEquals"
S_IP = S_OPS + "#Conditions_IPAddress"
S_ARN = S_OPS + "#Conditions_ARN"
S_IFX = S_OPS + "#Conditions_IfExists"
S_NULL = S_OPS + "#Conditions_Null"
S_MV = "reference_policies_condition-single-vs-multi-valued-context-keys.html"
S_LOGIC = "reference_policies_condition-logic-multiple-context-keys-or-values.html"
S_VARS = "reference_policies_variables.html"
S_ACTION = "reference_policies_elements_action.html"
S_NOTACTION = "reference_policies_elements_notaction.html"
S_RESOURCE = "reference_policies_elements_resource.html"
S_NOTRESOURCE = "reference_policies_elements_notresource.html"
S_PRINCIPAL = "reference_policies_elements_principal.html"
S_NOTPRINCIPAL = "reference_policies_elements_notprincipal.html"
S_EVAL = "reference_policies_evaluation-logic_policy-eval-denyallow.html"
S_BOUNDARY = "access_policies_boundaries.html"
S_SESSION = "access_policies.html#policies_session"
S_SCP = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html"
S_RCP = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html"
S_CROSS = "reference_policies_evaluation-logic-cross-account.html"
S_SAME = "reference_policies_evaluation-logic_policy-eval-basics.html"
S_TRUST = "id_roles_create_for-user.html"
S_TRUST_EL = "reference_policies_elements_principal.html#principal-roles"
S_GRAMMAR = "reference_policies_grammar.html"
S_QUOTAS = "reference_iam-quotas.html"
S_VERSION = "reference_policies_elements_version.html"
S_SID = "reference_policies_elements_sid.html"

cases = []


def add(name, section, description, expected, **req):
    cases.append((name, {"description": description, "doc_section": section, "request": req, "expected": expected}))


def check(name, section, description, ptype, document, error=None):
    body = {"description": description, "doc_section": section,
            "check": {"type": ptype, ("document_text" if isinstance(document, str) else "document"): document}}
    body["expected"] = {"error": error} if error else {"valid": True}
    cases.append((name, body))


def pol(*stmts, version=V):
    d = {"Statement": list(stmts)}
    if version:
        d = {"Version": version, **d}
    return d


def st(effect="Allow", action="s3:GetObject", resource="*", **kw):
    s = {"Effect": effect, "Action": action, "Resource": resource}
    s.update(kw)
    return s


ALLOW, IMPLICIT, EXPLICIT = {"decision": "Allow"}, {"decision": "ImplicitDeny"}, {"decision": "ExplicitDeny"}


def dec(d, reason=None):
    e = {"decision": d}
    if reason:
        e["reason"] = reason
    return e


def cond_case(name, section, desc, op, key, pvals, ctx, expected, principal=ALICE):
    """One identity policy allowing s3:GetObject with one condition; `ctx` is the value (None: key absent)."""
    context = {} if ctx is None else {key: ctx}
    add(name, section, desc, ALLOW if expected else IMPLICIT, principal=principal, action="s3:GetObject",
        resource=OBJ, context=context, identity_policies=[pol(st(Condition={op: {key: pvals}}))])


def operator_cases(prefix, section, key, rows):
    """Cases `{prefix}-{n:02d}-{op}` on `key`, one a row (op, policy value, request value, matches, why);
    an IfExists operator cites the IfExists section instead of `section`."""
    for n, (op, pv, cv, exp, why) in enumerate(rows):
        cond_case(f"{prefix}-{n:02d}-{op}", S_IFX if "IfExists" in op else section, why, op, key, pv, cv, exp)


# ---- String operators -------------------------------------------------------------------------
operator_cases("string", S_STR, "aws:PrincipalTag/team", [
    ("StringEquals", "web", "web", True, "equal values match"),
    ("StringEquals", "web", "Web", False, "StringEquals is case-sensitive"),
    ("StringEquals", "web", None, False, "a missing key does not match a positive operator"),
    ("StringEquals", ["db", "web"], "web", True, "several values for one key are ORed"),
    ("StringEquals", ["db", "ops"], "web", False, "no value of the list matches"),
    ("StringEquals", "web", "web ", False, "trailing space makes the value different"),
    ("StringNotEquals", "web", "db", True, "StringNotEquals: a different value matches"),
    ("StringNotEquals", "web", "web", False, "StringNotEquals: the same value does not match"),
    ("StringNotEquals", "web", None, True, "negated operators are true when the key is absent"),
    ("StringNotEquals", ["db", "web"], "web", False, "StringNotEquals: value must differ from every listed value"),
    ("StringNotEquals", ["db", "ops"], "web", True, "StringNotEquals: differs from every listed value"),
    ("StringEqualsIgnoreCase", "WEB", "web", True, "StringEqualsIgnoreCase ignores case"),
    ("StringEqualsIgnoreCase", "web", "db", False, "StringEqualsIgnoreCase still compares the text"),
    ("StringEqualsIgnoreCase", "web", None, False, "missing key"),
    ("StringNotEqualsIgnoreCase", "WEB", "web", False, "StringNotEqualsIgnoreCase: equal ignoring case does not match"),
    ("StringNotEqualsIgnoreCase", "WEB", "db", True, "StringNotEqualsIgnoreCase: different value matches"),
    ("StringNotEqualsIgnoreCase", "WEB", None, True, "negated operator, missing key"),
    ("StringLike", "w*", "web", True, "StringLike: * matches any run"),
    ("StringLike", "w?b", "web", True, "StringLike: ? matches one character"),
    ("StringLike", "w?b", "wb", False, "StringLike: ? needs exactly one character"),
    ("StringLike", "W*", "web", False, "StringLike is case-sensitive"),
    ("StringLike", "*e*", "web", True, "StringLike: wildcards on both sides"),
    ("StringLike", "web", "web", True, "StringLike without wildcard is equality"),
    ("StringLike", "w*", None, False, "StringLike on a missing key"),
    ("StringLike", ["db*", "we*"], "web", True, "StringLike: several patterns ORed"),
    ("StringNotLike", "w*", "db", True, "StringNotLike: no pattern matches"),
    ("StringNotLike", "w*", "web", False, "StringNotLike: a pattern matches"),
    ("StringNotLike", "w*", None, True, "StringNotLike on a missing key is true"),
    ("StringEqualsIfExists", "web", None, True, "IfExists: a missing key makes the condition true"),
    ("StringEqualsIfExists", "web", "db", False, "IfExists: a present key is compared"),
    ("StringEqualsIfExists", "web", "web", True, "IfExists: a present key that matches"),
    ("StringNotEqualsIfExists", "web", None, True, "negated IfExists, missing key"),
    ("StringNotEqualsIfExists", "web", "web", False, "negated IfExists, present equal value"),
    ("StringLikeIfExists", "w*", None, True, "StringLikeIfExists, missing key"),
    ("StringLikeIfExists", "w*", "db", False, "StringLikeIfExists, present non-matching"),
    ("StringEqualsIgnoreCaseIfExists", "WEB", "web", True, "StringEqualsIgnoreCaseIfExists, present"),
    ("StringNotLikeIfExists", "w*", "web", False, "StringNotLikeIfExists, present matching"),
])

# Condition keys are case-insensitive; values are not (StringEquals).
add("string-key-case", S_OPS, "condition key names are case-insensitive", ALLOW, principal=ALICE,
    action="s3:GetObject", resource=OBJ, context={"AWS:PRINCIPALTAG/TEAM": "web"},
    identity_policies=[pol(st(Condition={"StringEquals": {"aws:principaltag/team": "web"}}))])

# ---- Numeric ---------------------------------------------------------------------------------
operator_cases("numeric", S_NUM, "s3:max-keys", [
    ("NumericEquals", "10", "10", True, "equal numbers"),
    ("NumericEquals", "10", "10.0", True, "numbers compare as numbers, not text"),
    ("NumericEquals", 10, "10", True, "a JSON number in the policy"),
    ("NumericEquals", "10", "11", False, "different numbers"),
    ("NumericEquals", "10", "ten", False, "a request value that is no number does not match"),
    ("NumericNotEquals", "10", "11", True, "NumericNotEquals, different"),
    ("NumericNotEquals", "10", "10", False, "NumericNotEquals, equal"),
    ("NumericNotEquals", "10", None, True, "negated numeric on a missing key"),
    ("NumericLessThan", "10", "9", True, "9 < 10"),
    ("NumericLessThan", "10", "10", False, "10 is not < 10"),
    ("NumericLessThan", "10", None, False, "missing key"),
    ("NumericLessThanEquals", "10", "10", True, "10 <= 10"),
    ("NumericLessThanEquals", "10", "11", False, "11 is not <= 10"),
    ("NumericGreaterThan", "10", "11", True, "11 > 10"),
    ("NumericGreaterThan", "10", "10", False, "10 is not > 10"),
    ("NumericGreaterThan", "10", "-5", False, "negative numbers"),
    ("NumericGreaterThanEquals", "10", "10", True, "10 >= 10"),
    ("NumericGreaterThanEquals", "10", "9.5", False, "decimals"),
    ("NumericLessThanIfExists", "10", None, True, "NumericLessThanIfExists, missing key"),
    ("NumericLessThanIfExists", "10", "20", False, "NumericLessThanIfExists, present and larger"),
    ("NumericEquals", ["5", "10"], "5", True, "several numbers ORed"),
])

# ---- Date ------------------------------------------------------------------------------------
operator_cases("date", S_DATE, "aws:CurrentTime", [
    ("DateGreaterThan", "2020-01-01T00:00:00Z", "2021-06-01T00:00:00Z", True, "later date"),
    ("DateGreaterThan", "2020-01-01T00:00:00Z", "2019-06-01T00:00:00Z", False, "earlier date"),
    ("DateLessThan", "2021-01-01T00:00:00Z", "1600000000", True, "epoch seconds in the request (2020-09-13)"),
    ("DateLessThan", "1600000000", "2020-01-01T00:00:00Z", True, "epoch seconds in the policy"),
    ("DateEquals", "2020-01-01T00:00:00Z", "2020-01-01T01:00:00+01:00", True, "same instant, other offset"),
    ("DateEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:01Z", False, "one second apart"),
    ("DateNotEquals", "2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z", True, "DateNotEquals, different"),
    ("DateNotEquals", "2020-01-01T00:00:00Z", None, True, "negated date operator, missing key"),
    ("DateLessThanEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", True, "equal is <="),
    ("DateGreaterThanEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", True, "equal is >="),
    ("DateGreaterThanEquals", "2020-01-01T00:00:00Z", "2019-12-31T23:59:59Z", False, "one second before"),
    ("DateLessThan", "2020-01-01", "2019-12-31T12:00:00Z", True, "a bare date in the policy means midnight UTC"),
    ("DateLessThan", "2021-01-01T00:00:00Z", None, False, "missing date key"),
    ("DateLessThan", "2021-01-01T00:00:00Z", "not-a-date", False, "an unparsable request date does not match"),
    ("DateGreaterThanIfExists", "2020-01-01T00:00:00Z", None, True, "DateGreaterThanIfExists, missing"),
    ("DateLessThan", "2020-01-01T00:00:00.500Z", "2020-01-01T00:00:00.250Z", True, "fractional seconds"),
])

# ---- Bool and Binary ---------------------------------------------------------------------------
operator_cases("bool", S_BOOL, "aws:SecureTransport", [
    ("Bool", "true", "true", True, "Bool true matches true"),
    ("Bool", "true", "false", False, "Bool true does not match false"),
    ("Bool", "false", "false", True, "Bool false matches false"),
    ("Bool", True, "true", True, "a JSON boolean in the policy"),
    ("Bool", "true", None, False, "Bool on a missing key"),
    ("BoolIfExists", "true", None, True, "BoolIfExists on a missing key"),
    ("BoolIfExists", "true", "false", False, "BoolIfExists on a present false"),
])
K = "aws:PrincipalTag/blob"
for n, (pv, cv, exp, why) in enumerate([
    ("QmluYXJ5VmFsdWU=", "QmluYXJ5VmFsdWU=", True, "same bytes"),
    ("QmluYXJ5VmFsdWU=", "T3RoZXI=", False, "other bytes"),
    ("QmluYXJ5VmFsdWU=", None, False, "missing key"),
]):
    cond_case(f"binary-{n:02d}", S_BIN, why, "BinaryEquals", K, pv, cv, exp)

# ---- IP addresses ------------------------------------------------------------------------------
operator_cases("ip", S_IP, "aws:SourceIp", [
    ("IpAddress", "203.0.113.0/24", "203.0.113.7", True, "address inside the CIDR"),
    ("IpAddress", "203.0.113.0/24", "198.51.100.7", False, "address outside the CIDR"),
    ("IpAddress", "203.0.113.7", "203.0.113.7", True, "a single address without prefix length"),
    ("IpAddress", "203.0.113.7/32", "203.0.113.8", False, "/32 is one address"),
    ("IpAddress", ["10.0.0.0/8", "203.0.113.0/24"], "10.1.2.3", True, "several CIDRs ORed"),
    ("IpAddress", "2001:DB8:1234:5678::/64", "2001:db8:1234:5678::1", True, "IPv6 CIDR"),
    ("IpAddress", "2001:DB8:1234:5678::/64", "2001:db8:1234:5679::1", False, "IPv6 outside"),
    ("IpAddress", "203.0.113.0/24", "2001:db8::1", False, "IPv6 address against an IPv4 CIDR"),
    ("IpAddress", "203.0.113.0/24", None, False, "missing key"),
    ("IpAddress", "203.0.113.0/24", "not-an-ip", False, "unparsable request address"),
    ("NotIpAddress", "203.0.113.0/24", "198.51.100.7", True, "NotIpAddress, outside"),
    ("NotIpAddress", "203.0.113.0/24", "203.0.113.7", False, "NotIpAddress, inside"),
    ("NotIpAddress", "203.0.113.0/24", None, True, "NotIpAddress on a missing key"),
    ("IpAddressIfExists", "203.0.113.0/24", None, True, "IpAddressIfExists, missing"),
    ("IpAddress", "0.0.0.0/0", "192.0.2.1", True, "/0 contains every IPv4 address"),
])

# ---- ARN operators -----------------------------------------------------------------------------
FN = f"arn:aws:lambda:us-east-1:{A1}:function:f1"
operator_cases("arn", S_ARN, "aws:SourceArn", [
    ("ArnEquals", FN, FN, True, "same ARN"),
    ("ArnEquals", FN, FN.replace("f1", "f2"), False, "other ARN"),
    ("ArnLike", f"arn:aws:lambda:*:{A1}:function:*", FN, True, "wildcards per segment"),
    ("ArnLike", f"arn:aws:lambda:us-east-?:{A1}:function:f1", FN, True, "? in the region segment"),
    ("ArnLike", f"arn:aws:lambda:us-west-*:{A1}:function:*", FN, False, "region differs"),
    ("ArnLike", "arn:aws:s3:::*", FN, False, "service segment differs: * does not cross segments"),
    ("ArnLike", f"arn:aws:lambda:us-east-1:{A1}:function:F1", FN, False, "ARN matching is case-sensitive"),
    ("ArnEquals", f"arn:aws:lambda:*:{A1}:function:f1", FN, True, "ArnEquals accepts wildcards like ArnLike"),
    ("ArnNotEquals", FN, FN.replace("f1", "f2"), True, "ArnNotEquals, different"),
    ("ArnNotLike", f"arn:aws:lambda:*:{A1}:function:*", FN, False, "ArnNotLike, matching"),
    ("ArnNotLike", f"arn:aws:lambda:*:{A2}:function:*", FN, True, "ArnNotLike, other account"),
    ("ArnNotLike", f"arn:aws:lambda:*:{A2}:function:*", None, True, "ArnNotLike on a missing key"),
    ("ArnLike", f"arn:aws:lambda:*:{A1}:function:*", "not-an-arn", False, "a request value that is no ARN"),
    ("ArnLikeIfExists", f"arn:aws:lambda:*:{A1}:function:*", None, True, "ArnLikeIfExists, missing"),
    ("ArnLike", f"arn:aws:lambda:*:1111*:function:*", FN, True, "* in the middle of the account segment"),
])

# ---- Null --------------------------------------------------------------------------------------
K = "aws:TokenIssueTime"
for n, (pv, cv, exp, why) in enumerate([
    ("true", None, True, "Null true: the key is absent"),
    ("true", "2020-01-01T00:00:00Z", False, "Null true: the key is present"),
    ("false", "2020-01-01T00:00:00Z", True, "Null false: the key is present"),
    ("false", None, False, "Null false: the key is absent"),
    (True, None, True, "a JSON boolean value for Null"),
]):
    cond_case(f"null-{n:02d}", S_NULL, why, "Null", K, pv, cv, exp)
cond_case("null-05-empty-set", S_NULL, "Null true: an empty multivalued key counts as absent", "Null",
          "aws:TagKeys", "true", [], True)

# ---- Set operators -----------------------------------------------------------------------------
K = "aws:TagKeys"
for n, (op, pv, cv, exp, why) in enumerate([
    ("ForAllValues:StringEquals", ["a", "b", "c"], ["a", "b"], True, "every request value is allowed"),
    ("ForAllValues:StringEquals", ["a", "b", "c"], ["a", "d"], False, "d is not allowed"),
    ("ForAllValues:StringEquals", ["a", "b"], None, True, "ForAllValues is true for a missing key"),
    ("ForAllValues:StringEquals", ["a", "b"], [], True, "ForAllValues is true for an empty set"),
    ("ForAllValues:StringEquals", ["a", "b"], "a", True, "a single value is a one-element set"),
    ("ForAnyValue:StringEquals", ["a"], ["x", "a"], True, "one request value matches"),
    ("ForAnyValue:StringEquals", ["a"], ["x", "y"], False, "no request value matches"),
    ("ForAnyValue:StringEquals", ["a"], None, False, "ForAnyValue is false for a missing key"),
    ("ForAnyValue:StringEquals", ["a"], [], False, "ForAnyValue is false for an empty set"),
    ("ForAnyValue:StringNotEquals", ["a"], ["a", "x"], True, "x differs from every listed value"),
    ("ForAnyValue:StringNotEquals", ["a"], ["a"], False, "every request value is listed"),
    ("ForAllValues:StringNotEquals", ["a"], ["b", "c"], True, "no request value is listed"),
    ("ForAllValues:StringNotEquals", ["a"], ["a", "b"], False, "a is listed"),
    ("ForAllValues:StringLike", ["team-*"], ["team-a", "team-b"], True, "ForAllValues:StringLike"),
    ("ForAllValues:StringLike", ["team-*"], ["team-a", "x"], False, "ForAllValues:StringLike, one fails"),
    ("ForAnyValue:StringLike", ["team-*"], ["x", "team-b"], True, "ForAnyValue:StringLike"),
    ("ForAnyValue:StringEqualsIfExists", ["a"], None, True, "ForAnyValue with IfExists on a missing key"),
    ("ForAllValues:StringEqualsIgnoreCase", ["A", "B"], ["a", "b"], True, "ForAllValues:StringEqualsIgnoreCase"),
    ("ForAnyValue:StringEquals", "a", ["a"], True, "a single policy value"),
    ("ForAnyValue:NumericLessThan", ["5"], ["7", "3"], True, "ForAnyValue with a numeric operator"),
    ("ForAllValues:NumericLessThan", ["5"], ["7", "3"], False, "ForAllValues with a numeric operator"),
    ("StringEquals", ["a"], ["x", "a"], True, "no qualifier on a multivalued key: any value may match"),
]):
    cond_case(f"set-{n:02d}", S_MV, why, op, K, pv, cv, exp)

# ---- Several keys / operators: AND; several values: OR ---------------------------------------
two = {"StringEquals": {"aws:PrincipalTag/team": "web", "aws:RequestedRegion": "us-east-1"}}
for n, (ctx, exp, why) in enumerate([
    ({"aws:PrincipalTag/team": "web", "aws:RequestedRegion": "us-east-1"}, True, "both keys match"),
    ({"aws:PrincipalTag/team": "web", "aws:RequestedRegion": "eu-west-1"}, False, "keys in one operator are ANDed"),
    ({"aws:PrincipalTag/team": "web"}, False, "one key missing"),
]):
    add(f"logic-keys-{n}", S_LOGIC, why, ALLOW if exp else IMPLICIT, principal=ALICE, action="s3:GetObject",
        resource=OBJ, context=ctx, identity_policies=[pol(st(Condition=two))])
twoops = {"StringEquals": {"aws:PrincipalTag/team": "web"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
for n, (ctx, exp, why) in enumerate([
    ({"aws:PrincipalTag/team": "web", "aws:SourceIp": "10.0.0.1"}, True, "both operators true"),
    ({"aws:PrincipalTag/team": "web", "aws:SourceIp": "192.0.2.1"}, False, "operators are ANDed"),
]):
    add(f"logic-ops-{n}", S_LOGIC, why, ALLOW if exp else IMPLICIT, principal=ALICE, action="s3:GetObject",
        resource=OBJ, context=ctx, identity_policies=[pol(st(Condition=twoops))])

# ---- Policy variables ------------------------------------------------------------------------
HOME = "arn:aws:s3:::bucket/home/${aws:username}/*"
for n, (principal, resource, exp, why, version) in enumerate([
    (ALICE, "arn:aws:s3:::bucket/home/alice/doc", True, "aws:username substituted in Resource", V),
    (ALICE, "arn:aws:s3:::bucket/home/bob/doc", False, "another user's folder", V),
    (SESSION, "arn:aws:s3:::bucket/home/app/doc", False, "a role session has no aws:username: the statement does not match", V),
    (ALICE, "arn:aws:s3:::bucket/home/alice/doc", False, "version 2008-10-17: ${...} is literal text", "2008-10-17"),
    (ALICE, "arn:aws:s3:::bucket/home/alice/doc", False, "no Version: variables are not substituted", None),
    (ALICE, "arn:aws:s3:::bucket/home/${aws:username}/doc", True, "2008-10-17: the literal text matches itself", "2008-10-17"),
]):
    add(f"vars-{n:02d}", S_VARS if version == V else S_VERSION, why, ALLOW if exp else IMPLICIT, principal=principal,
        action="s3:GetObject", resource=resource, identity_policies=[pol(st(resource=HOME), version=version)])
for n, (res, exp, why) in enumerate([
    ("arn:aws:s3:::bucket/*", True, "${*} is a literal asterisk"),
    ("arn:aws:s3:::bucket/x", False, "${*} is not a wildcard"),
]):
    add(f"vars-star-{n}", S_VARS + "#policy-vars-specialchars", why, ALLOW if exp else IMPLICIT, principal=ALICE,
        action="s3:GetObject", resource=res, identity_policies=[pol(st(resource="arn:aws:s3:::bucket/${*}"))])
TEAM_HOME = "arn:aws:s3:::bucket/teams/${aws:PrincipalTag/team}/*"
for n, (ctx, exp, why) in enumerate([
    ({"aws:PrincipalTag/team": "web"}, True, "a principal tag substituted in Resource"),
    ({}, False, "the tag is missing: the Resource with its variable does not match"),
]):
    add(f"vars-tag-{n}", S_VARS, why, ALLOW if exp else IMPLICIT, principal=ALICE, action="s3:GetObject",
        resource="arn:aws:s3:::bucket/teams/web/plan", context=ctx,
        identity_policies=[pol(st(resource=TEAM_HOME))])
add("vars-question", S_VARS + "#policy-vars-specialchars", "${?} is a literal question mark", IMPLICIT,
    principal=ALICE, action="s3:GetObject", resource="arn:aws:s3:::bucket/a",
    identity_policies=[pol(st(resource="arn:aws:s3:::bucket/${?}"))])
add("vars-dollar", S_VARS + "#policy-vars-specialchars", "${$} is a literal dollar sign", ALLOW,
    principal=ALICE, action="s3:GetObject", resource="arn:aws:s3:::bucket/$x",
    identity_policies=[pol(st(resource="arn:aws:s3:::bucket/${$}x"))])
for n, (op, key, pv, ctx, exp, why) in enumerate([
    ("StringEquals", "aws:ResourceTag/owner", "${aws:username}", {"aws:ResourceTag/owner": "alice"}, True, "variable in a condition value"),
    ("StringEquals", "aws:ResourceTag/owner", "${aws:username}", {"aws:ResourceTag/owner": "bob"}, False, "variable value differs"),
    ("StringEquals", "aws:ResourceTag/team", "${aws:PrincipalTag/team}", {"aws:ResourceTag/team": "web", "aws:PrincipalTag/team": "web"}, True, "principal tag as a variable"),
    ("StringEquals", "aws:ResourceTag/team", "${aws:PrincipalTag/team}", {"aws:ResourceTag/team": "web"}, False, "variable key missing: the statement does not match"),
    ("StringNotEquals", "aws:ResourceTag/team", "${aws:PrincipalTag/team}", {"aws:ResourceTag/team": "web"}, False, "variable key missing makes even a negated condition not match"),
    ("StringLike", "s3:prefix", "home/${aws:username}/*", {"s3:prefix": "home/alice/docs"}, True, "variable inside a StringLike pattern"),
    ("StringLike", "s3:prefix", "home/${aws:username}/*", {"s3:prefix": "home/bob/docs"}, False, "StringLike with variable, other user"),
    ("StringEquals", "aws:ResourceAccount", "${aws:PrincipalAccount}", {"aws:ResourceAccount": A1}, True, "aws:PrincipalAccount is set from the principal"),
    ("ArnLike", "aws:SourceArn", "arn:aws:iam::${aws:PrincipalAccount}:role/*", {"aws:SourceArn": f"arn:aws:iam::{A1}:role/x"}, True, "variable in an ARN pattern"),
    ("StringEquals", "aws:ResourceTag/team", "${aws:principaltag/TEAM}", {"aws:ResourceTag/team": "web", "aws:PrincipalTag/team": "web"}, True, "variable key names are case-insensitive"),
    ("StringEquals", "aws:ResourceTag/owner", "${aws:userid}", {"aws:ResourceTag/owner": "AIDAEXAMPLE", "aws:userid": "AIDAEXAMPLE"}, True, "aws:userid as a variable"),
    ("StringLike", "aws:ResourceTag/team", "${aws:PrincipalTag/team}", {"aws:ResourceTag/team": "web", "aws:PrincipalTag/team": "w*"}, False, "a substituted value is not a wildcard"),
]):
    add(f"vars-cond-{n:02d}", S_VARS, why, ALLOW if exp else IMPLICIT, principal=ALICE, action="s3:GetObject",
        resource=OBJ, context=ctx, identity_policies=[pol(st(Condition={op: {key: pv}}))])

# ---- Actions ---------------------------------------------------------------------------------
for n, (pat, action, exp, why) in enumerate([
    ("s3:GetObject", "s3:GetObject", True, "exact action"),
    ("s3:Get*", "s3:GetObject", True, "prefix wildcard"),
    ("s3:Get*", "s3:PutObject", False, "prefix does not match"),
    ("S3:getobject", "s3:GetObject", True, "action names are case-insensitive (policy side)"),
    ("s3:GetObject", "S3:GETOBJECT", True, "action names are case-insensitive (request side)"),
    ("s3:*Object", "s3:PutObject", True, "suffix wildcard"),
    ("s3:?etObject", "s3:GetObject", True, "? matches one character"),
    ("s3:?etObject", "s3:GettObject", False, "? matches exactly one character"),
    ("s3:Get*Acl", "s3:GetObjectAcl", True, "wildcard in the middle"),
    ("s3:Get*Acl", "s3:GetObject", False, "wildcard in the middle, wrong suffix"),
    ("*", "s3:GetObject", True, "* matches every action"),
    ("s3:*", "s3:GetObject", True, "service wildcard"),
    ("iam:*", "s3:GetObject", False, "other service"),
    ("s3:GetObjec", "s3:GetObject", False, "no implicit prefix match"),
    (["iam:GetUser", "s3:GetObject"], "s3:GetObject", True, "list of actions ORed"),
    ("s3:*", "s3x:GetObject", False, "the service prefix must match exactly"),
]):
    add(f"action-{n:02d}", S_ACTION, why, ALLOW if exp else IMPLICIT, principal=ALICE, action=action,
        resource=OBJ, identity_policies=[pol(st(action=pat))])

# ---- Resources -------------------------------------------------------------------------------
EC2 = f"arn:aws:ec2:us-east-1:{A1}:instance/i-1"
for n, (pat, res, exp, why) in enumerate([
    ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b", True, "* in the resource part spans slashes"),
    ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", False, "the bucket itself is not an object"),
    ("arn:aws:s3:::buck*", "arn:aws:s3:::bucket/x", True, "prefix wildcard across /"),
    ("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x", False, "resource matching is case-sensitive"),
    (f"arn:aws:ec2:*:{A1}:instance/*", EC2, True, "* in the region segment"),
    (f"arn:aws:ec2:us-*-1:{A1}:instance/*", EC2, True, "* in the middle of a segment"),
    (f"arn:aws:ec2:us-east-?:{A1}:instance/*", EC2, True, "? in a segment"),
    (f"arn:aws:ec2:us-east-?:{A1}:instance/*", f"arn:aws:ec2:us-east-10:{A1}:instance/i-1", False, "? is one character"),
    (f"arn:aws:ec2:us-west-2:{A1}:instance/*", EC2, False, "other region"),
    ("arn:aws:ec2:us-east-1:*:instance/*", EC2, True, "* for the account"),
    ("arn:aws:iam::1111*:user/*", ALICE, True, "* in the middle of the account segment"),
    (f"arn:aws:logs:us-east-1:{A1}:log-group:g:*", f"arn:aws:logs:us-east-1:{A1}:log-group:g:log-stream:s", True, "colons inside the resource part"),
    ("arn:aws:s3:::*", EC2, False, "service segment differs"),
    ("*", EC2, True, "* alone matches every resource"),
    (["arn:aws:s3:::a/*", "arn:aws:s3:::bucket/*"], OBJ, True, "list of resources ORed"),
    ("arn:aws:s3:::bucket/k?y", OBJ, True, "? in the resource part"),
]):
    add(f"resource-{n:02d}", S_RESOURCE, why, ALLOW if exp else IMPLICIT, principal=ALICE, action="s3:GetObject",
        resource=res, identity_policies=[pol(st(resource=pat))])

# ---- NotAction / NotResource -----------------------------------------------------------------
na = pol({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
add("notaction-0", S_NOTACTION, "Allow with NotAction allows actions not listed", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[na])
add("notaction-1", S_NOTACTION, "Allow with NotAction does not allow listed actions", IMPLICIT, principal=ALICE, action="iam:CreateUser", resource="*", identity_policies=[na])
nd = pol(st(action="*"), {"Effect": "Deny", "NotAction": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"})
add("notaction-2", S_NOTACTION, "Deny with NotAction denies everything else", EXPLICIT, principal=ALICE, action="s3:PutObject", resource=OBJ, identity_policies=[nd])
add("notaction-3", S_NOTACTION, "Deny with NotAction leaves the listed actions", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[nd])
add("notaction-4", S_NOTACTION, "NotAction with a wildcard", IMPLICIT, principal=ALICE, action="iam:GetUser", resource="*", identity_policies=[pol({"Effect": "Allow", "NotAction": "iam:Get*", "Resource": "*"})])
add("notaction-5", S_NOTACTION, "NotAction is case-insensitive too", IMPLICIT, principal=ALICE, action="iam:getuser", resource="*", identity_policies=[pol({"Effect": "Allow", "NotAction": "IAM:GetUser", "Resource": "*"})])
nr = pol({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"})
add("notresource-0", S_NOTRESOURCE, "NotResource allows other resources", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[nr])
add("notresource-1", S_NOTRESOURCE, "NotResource excludes the listed resource", IMPLICIT, principal=ALICE, action="s3:GetObject", resource="arn:aws:s3:::secret/x", identity_policies=[nr])
nrd = pol(st(action="s3:*"), {"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"]})
add("notresource-2", S_NOTRESOURCE, "Deny with NotResource denies everything outside the bucket", EXPLICIT, principal=ALICE, action="s3:GetObject", resource="arn:aws:s3:::other/x", identity_policies=[nrd])
add("notresource-3", S_NOTRESOURCE, "Deny with NotResource spares the bucket", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[nrd])
add("notresource-4", S_VARS, "NotResource with a variable whose key is missing: the statement does not match", IMPLICIT, principal=SESSION, action="s3:GetObject", resource=OBJ, identity_policies=[pol({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::home/${aws:username}"})])

# ---- Evaluation basics -----------------------------------------------------------------------
add("eval-default-deny", S_EVAL, "no policy: implicit deny", dec("ImplicitDeny", "no identity-based policy allows the action"), principal=ALICE, action="s3:GetObject", resource=OBJ)
add("eval-deny-wins", S_EVAL, "an explicit deny overrides an allow", dec("ExplicitDeny", "explicit deny in the identity-based policy"), principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[pol(st(action="s3:*")), pol(st("Deny"))])
add("eval-deny-same-policy", S_EVAL, "deny and allow in one policy", EXPLICIT, principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[pol(st(action="s3:*"), st("Deny", action="s3:Get*"))])
add("eval-union-identity", S_EVAL, "identity policies are unioned", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[pol(st(action="iam:*")), pol(st())])
add("eval-deny-condition-false", S_EVAL, "a deny whose condition is false does not apply", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, context={"aws:SecureTransport": "true"}, identity_policies=[pol(st(), st("Deny", action="*", Condition={"Bool": {"aws:SecureTransport": "false"}}))])
add("eval-deny-condition-true", S_EVAL, "a deny on insecure transport", EXPLICIT, principal=ALICE, action="s3:GetObject", resource=OBJ, context={"aws:SecureTransport": "false"}, identity_policies=[pol(st(), st("Deny", action="*", Condition={"Bool": {"aws:SecureTransport": "false"}}))])
add("eval-mfa-deny-ifexists", S_IFX, "BoolIfExists false deny: no MFA key means deny", EXPLICIT, principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[pol(st(), st("Deny", action="*", Condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}))])
add("eval-mfa-deny-ifexists-mfa", S_IFX, "BoolIfExists false deny: with MFA the deny does not apply", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, context={"aws:MultiFactorAuthPresent": True}, identity_policies=[pol(st(), st("Deny", action="*", Condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}))])
add("eval-statement-object", S_GRAMMAR, "Statement may be a single object", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[{"Version": V, "Statement": st()}])
add("eval-policy-as-string", S_GRAMMAR, "a policy given as JSON text", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[json.dumps(pol(st()))])

# ---- Permissions boundaries ------------------------------------------------------------------
ID_S3 = pol(st(action="s3:*"))
B_GET = pol(st(action="s3:GetObject"))
add("boundary-0", S_BOUNDARY, "identity and boundary both allow", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[ID_S3], permissions_boundary=B_GET)
add("boundary-1", S_BOUNDARY, "the boundary does not allow: implicit deny", dec("ImplicitDeny", "denied by the permissions boundary"), principal=ALICE, action="s3:PutObject", resource=OBJ, identity_policies=[ID_S3], permissions_boundary=B_GET)
add("boundary-2", S_BOUNDARY, "the boundary alone grants nothing", dec("ImplicitDeny", "no identity-based policy allows the action"), principal=ALICE, action="s3:GetObject", resource=OBJ, permissions_boundary=B_GET)
add("boundary-3", S_BOUNDARY, "an explicit deny in the boundary", dec("ExplicitDeny", "explicit deny in the permissions boundary"), principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[ID_S3], permissions_boundary=pol(st(action="*"), st("Deny")))
add("boundary-4", S_BOUNDARY, "boundary with a condition that holds", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, context={"aws:RequestedRegion": "us-east-1"}, identity_policies=[ID_S3], permissions_boundary=pol(st(action="*", Condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}})))
add("boundary-5", S_BOUNDARY, "boundary with a condition that fails", IMPLICIT, principal=ALICE, action="s3:GetObject", resource=OBJ, context={"aws:RequestedRegion": "eu-west-1"}, identity_policies=[ID_S3], permissions_boundary=pol(st(action="*", Condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}})))
RP_ALICE = pol(st(action="s3:*", Principal={"AWS": ALICE}))
add("boundary-6", S_BOUNDARY, "a same-account resource policy naming the user is not limited by the boundary", ALLOW, principal=ALICE, action="s3:PutObject", resource=OBJ, resource_account=A1, resource_policy=RP_ALICE, permissions_boundary=B_GET)
add("boundary-7", S_BOUNDARY, "a resource policy naming the role is limited by the boundary of its session", IMPLICIT, principal=SESSION, action="s3:PutObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(action="s3:*", Principal={"AWS": ROLE})), permissions_boundary=B_GET)
add("boundary-8", S_BOUNDARY, "a resource policy naming the session ARN is not limited by the boundary", ALLOW, principal=SESSION, action="s3:PutObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(action="s3:*", Principal={"AWS": SESSION})), permissions_boundary=B_GET)
add("boundary-9", S_BOUNDARY, "a resource policy naming the role, within the boundary", ALLOW, principal=SESSION, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(action="s3:*", Principal={"AWS": ROLE})), permissions_boundary=B_GET)
add("boundary-10", S_BOUNDARY, "a boundary deny overrides a resource policy grant", EXPLICIT, principal=ALICE, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=RP_ALICE, permissions_boundary=pol(st("Deny", action="*")))
add("boundary-11", S_BOUNDARY, "a resource policy naming the account root delegates to identity policies, which the boundary limits", IMPLICIT, principal=ALICE, action="s3:PutObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(action="s3:*", Principal={"AWS": f"arn:aws:iam::{A1}:root"})), identity_policies=[ID_S3], permissions_boundary=B_GET)
add("boundary-12", S_BOUNDARY, "a resource policy naming the role is limited by the role's boundary when the role itself calls (only users and role sessions are exempt)", dec("ImplicitDeny", "denied by the permissions boundary"), principal=ROLE, action="s3:PutObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(action="s3:*", Principal={"AWS": ROLE})), permissions_boundary=B_GET)
add("boundary-13", S_BOUNDARY, "a resource policy naming the role grants the role itself within its boundary", ALLOW, principal=ROLE, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(action="s3:*", Principal={"AWS": ROLE})), permissions_boundary=B_GET)
add("boundary-14", S_BOUNDARY, "a resource policy for everyone (*) is limited by the boundary of a role calling as itself", IMPLICIT, principal=ROLE, action="s3:PutObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(action="s3:*", Principal={"AWS": "*"})), permissions_boundary=B_GET)

# ---- Session policies ------------------------------------------------------------------------
SP_GET = pol(st(action="s3:GetObject"))
add("session-0", S_SESSION, "identity and session policy both allow", ALLOW, principal=SESSION, action="s3:GetObject", resource=OBJ, identity_policies=[ID_S3], session_policies=[SP_GET])
add("session-1", S_SESSION, "the session policy does not allow", dec("ImplicitDeny", "no session policy allows the action"), principal=SESSION, action="s3:PutObject", resource=OBJ, identity_policies=[ID_S3], session_policies=[SP_GET])
add("session-2", S_SESSION, "a session policy alone grants nothing", IMPLICIT, principal=SESSION, action="s3:GetObject", resource=OBJ, session_policies=[pol(st(action="*"))])
add("session-3", S_SESSION, "several session policies are unioned", ALLOW, principal=SESSION, action="s3:PutObject", resource=OBJ, identity_policies=[ID_S3], session_policies=[SP_GET, pol(st(action="s3:PutObject"))])
add("session-4", S_SESSION, "an explicit deny in a session policy", dec("ExplicitDeny", "explicit deny in the session policy"), principal=SESSION, action="s3:GetObject", resource=OBJ, identity_policies=[ID_S3], session_policies=[pol(st(action="*"), st("Deny"))])
add("session-5", S_SESSION, "a resource policy naming the session ARN is not limited by the session policy", ALLOW, principal=SESSION, action="s3:PutObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(action="s3:*", Principal={"AWS": SESSION})), session_policies=[SP_GET])
add("session-6", S_SESSION, "a resource policy naming the role is limited by the session policy", IMPLICIT, principal=SESSION, action="s3:PutObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(action="s3:*", Principal={"AWS": ROLE})), session_policies=[SP_GET])
add("session-7", S_SESSION, "session policy, boundary and identity all allow", ALLOW, principal=SESSION, action="s3:GetObject", resource=OBJ, identity_policies=[ID_S3], permissions_boundary=B_GET, session_policies=[SP_GET])
add("session-8", S_SESSION, "a federated user session with a session policy", ALLOW, principal=f"arn:aws:sts::{A1}:federated-user/fed", action="s3:GetObject", resource=OBJ, identity_policies=[ID_S3], session_policies=[SP_GET])
add("session-9", S_SESSION, "session policy with NotAction", IMPLICIT, principal=SESSION, action="iam:GetUser", resource="*", identity_policies=[pol(st(action="*"))], session_policies=[pol({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})])

# ---- SCPs and RCPs ---------------------------------------------------------------------------
FULL = pol(st(action="*"))
SCP_S3 = pol(st(action="s3:*"))
add("scp-0", S_SCP, "FullAWSAccess SCP and an identity allow", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[ID_S3], scps=[[FULL]])
add("scp-1", S_SCP, "an SCP does not grant permissions", IMPLICIT, principal=ALICE, action="s3:GetObject", resource=OBJ, scps=[[FULL]])
add("scp-2", S_SCP, "the SCP does not allow the action", dec("ImplicitDeny", "no service control policy allows the action at level 0"), principal=ALICE, action="iam:GetUser", resource="*", identity_policies=[pol(st(action="*"))], scps=[[SCP_S3]])
add("scp-3", S_SCP, "every level must allow", dec("ImplicitDeny", "no service control policy allows the action at level 1"), principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[ID_S3], scps=[[FULL], [pol(st(action="ec2:*"))]])
add("scp-4", S_SCP, "every level allows", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[ID_S3], scps=[[FULL], [SCP_S3], [pol(st(action="s3:Get*"))]])
add("scp-5", S_SCP, "within a level the SCPs are unioned", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[ID_S3], scps=[[pol(st(action="ec2:*")), SCP_S3]])
add("scp-6", S_SCP, "an explicit deny in an SCP", dec("ExplicitDeny", "explicit deny in the service control policy"), principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[ID_S3], scps=[[FULL, pol(st("Deny", action="s3:*"))]])
add("scp-7", S_SCP, "SCP deny with a region condition", EXPLICIT, principal=ALICE, action="s3:GetObject", resource=OBJ, context={"aws:RequestedRegion": "ap-south-1"}, identity_policies=[ID_S3], scps=[[FULL, pol({"Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}})]])
add("scp-8", S_SCP, "SCP region deny does not apply in an allowed region", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, context={"aws:RequestedRegion": "us-east-1"}, identity_policies=[ID_S3], scps=[[FULL, pol({"Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}})]])
add("scp-9", S_SCP, "SCPs also limit same-account resource policy grants", IMPLICIT, principal=ALICE, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=RP_ALICE, scps=[[pol(st(action="ec2:*"))]])
RCP_ALL = pol(st(action="*", Principal="*"))
add("rcp-0", S_RCP, "RCP allowing everything", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[ID_S3], rcps=[[RCP_ALL]])
add("rcp-1", S_RCP, "RCP deny for principals outside the organization", EXPLICIT, principal=CAROL, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(Principal={"AWS": CAROL})), identity_policies=[ID_S3], rcps=[[RCP_ALL, pol(st("Deny", action="s3:*", Principal="*", Condition={"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abc"}}))]])
add("rcp-2", S_RCP, "RCP deny does not apply to principals in the organization", ALLOW, principal=CAROL, action="s3:GetObject", resource=OBJ, context={"aws:PrincipalOrgID": "o-abc"}, resource_account=A1, resource_policy=pol(st(Principal={"AWS": CAROL})), identity_policies=[ID_S3], rcps=[[RCP_ALL, pol(st("Deny", action="s3:*", Principal="*", Condition={"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abc"}}))]])
add("rcp-3", S_RCP, "an RCP level that allows nothing for the action", dec("ImplicitDeny", "no resource control policy allows the action at level 0"), principal=ALICE, action="s3:GetObject", resource=OBJ, identity_policies=[ID_S3], rcps=[[pol(st(action="sqs:*", Principal="*"))]])

# ---- Resource-based policies: same account and cross account ----------------------------------
ROOT1 = f"arn:aws:iam::{A1}:root"
add("res-same-0", S_SAME, "same account: the resource policy naming the user grants alone", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=RP_ALICE)
add("res-same-1", S_SAME, "same account: identity policy alone grants", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(Principal={"AWS": BOB})), identity_policies=[ID_S3])
add("res-same-2", S_SAME, "same account: a resource policy naming the account delegates to identity policies", IMPLICIT, principal=ALICE, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(Principal={"AWS": ROOT1})))
add("res-same-3", S_SAME, "same account: account principal plus an identity allow", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(Principal={"AWS": A1})), identity_policies=[ID_S3])
add("res-same-4", S_SAME, "same account: a resource policy deny overrides an identity allow", EXPLICIT, principal=ALICE, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st("Deny", Principal={"AWS": ALICE})), identity_policies=[ID_S3])
add("res-same-5", S_SAME, "same account: the resource policy names someone else", IMPLICIT, principal=ALICE, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(Principal={"AWS": BOB})))
add("res-same-6", S_PRINCIPAL, "Principal * grants everyone", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(Principal="*")))
add("res-same-7", S_PRINCIPAL, "Principal AWS * grants everyone", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(Principal={"AWS": "*"})))
add("res-same-8", S_PRINCIPAL, "Principal * with an org condition that fails", IMPLICIT, principal=ALICE, action="s3:GetObject", resource=OBJ, resource_account=A1, context={"aws:PrincipalOrgID": "o-other"}, resource_policy=pol(st(Principal="*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc"}})))
add("res-same-9", S_SAME, "same account: the role named in the resource policy grants its sessions", ALLOW, principal=SESSION, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(Principal={"AWS": ROLE})))
add("res-same-10", S_PRINCIPAL, "a role ARN with a path matches aws:PrincipalArn with the path", ALLOW, principal=SESSION, principal_arn=f"arn:aws:iam::{A1}:role/team/app", action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(Principal={"AWS": f"arn:aws:iam::{A1}:role/team/app"})))
add("res-same-11", S_PRINCIPAL, "a user ARN does not match another user", IMPLICIT, principal=BOB, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=RP_ALICE)
add("res-same-12", S_SAME, "resource account taken from the resource ARN", ALLOW, principal=ALICE, action="sqs:SendMessage", resource=f"arn:aws:sqs:us-east-1:{A1}:q", resource_policy=pol(st(action="sqs:*", Principal={"AWS": ALICE})))
add("res-cross-0", S_CROSS, "cross-account: the resource policy alone is not enough", dec("ImplicitDeny", "no identity-based policy allows the action"), principal=CAROL, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(Principal={"AWS": CAROL})))
add("res-cross-1", S_CROSS, "cross-account: the identity policy alone is not enough", dec("ImplicitDeny", "the resource-based policy does not allow the cross-account request"), principal=CAROL, action="s3:GetObject", resource=OBJ, resource_account=A1, identity_policies=[ID_S3])
add("res-cross-2", S_CROSS, "cross-account: both sides allow", ALLOW, principal=CAROL, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(Principal={"AWS": CAROL})), identity_policies=[ID_S3])
add("res-cross-3", S_CROSS, "cross-account: the resource policy names the caller's account", ALLOW, principal=CAROL, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(Principal={"AWS": f"arn:aws:iam::{A2}:root"})), identity_policies=[ID_S3])
add("res-cross-4", S_CROSS, "cross-account: the resource policy names another account", IMPLICIT, principal=CAROL, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(Principal={"AWS": "333333333333"})), identity_policies=[ID_S3])
add("res-cross-5", S_CROSS, "cross-account: the caller's boundary still applies", IMPLICIT, principal=CAROL, action="s3:PutObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(action="s3:*", Principal={"AWS": CAROL})), identity_policies=[ID_S3], permissions_boundary=B_GET)
add("res-cross-6", S_CROSS, "cross-account: a deny in the resource policy", EXPLICIT, principal=CAROL, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol(st(Principal={"AWS": CAROL}), st("Deny", Principal={"AWS": A2})), identity_policies=[ID_S3])
add("res-cross-7", S_CROSS, "cross-account: no resource policy means no access", IMPLICIT, principal=CAROL, action="sqs:SendMessage", resource=f"arn:aws:sqs:us-east-1:{A1}:q", identity_policies=[pol(st(action="sqs:*"))])

# ---- NotPrincipal -----------------------------------------------------------------------------
NP = pol(st(Principal="*"), {"Effect": "Deny", "NotPrincipal": {"AWS": [ALICE, ROOT1]}, "Action": "s3:*", "Resource": "*"})
add("notprincipal-0", S_NOTPRINCIPAL, "Deny with NotPrincipal spares the listed user", ALLOW, principal=ALICE, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=NP)
add("notprincipal-1", S_NOTPRINCIPAL, "Deny with NotPrincipal denies everyone else", EXPLICIT, principal=BOB, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=NP)
NPS = lambda names: pol(st(Principal="*"), {"Effect": "Deny", "NotPrincipal": {"AWS": names}, "Action": "s3:*", "Resource": "*"})
add("notprincipal-2", S_NOTPRINCIPAL, "a session is spared only when the role, the session and the account are listed", ALLOW, principal=SESSION, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=NPS([ROLE, SESSION, ROOT1]))
add("notprincipal-3", S_NOTPRINCIPAL, "listing the session without its role does not spare it", EXPLICIT, principal=SESSION, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=NPS([SESSION, ROOT1]))
add("notprincipal-4", S_NOTPRINCIPAL, "listing the user without its account does not spare it", EXPLICIT, principal=ALICE, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=NPS([ALICE]))
add("notprincipal-5", S_NOTPRINCIPAL, "Allow with NotPrincipal grants the others", ALLOW, principal=BOB, action="s3:GetObject", resource=OBJ, resource_account=A1, resource_policy=pol({"Effect": "Allow", "NotPrincipal": {"AWS": ALICE}, "Action": "s3:*", "Resource": "*"}))

# ---- Trust policies --------------------------------------------------------------------------
def trust(name, section, why, expected, principal, action="sts:AssumeRole", **kw):
    add(name, section, why, expected, principal=principal, action=action, resource=TARGET_ROLE,
        resource_account=A1, resource_policy_type="trust", **kw)

def tp(*stmts):
    return pol(*stmts)

def tst(principal, action="sts:AssumeRole", effect="Allow", **kw):
    s = {"Effect": effect, "Principal": principal, "Action": action}
    s.update(kw)
    return s

ASSUME = pol(st(action="sts:AssumeRole", resource=TARGET_ROLE))
trust("trust-00", S_TRUST_EL, "a trust policy naming the user grants in the same account", ALLOW, ALICE, resource_policy=tp(tst({"AWS": ALICE})))
trust("trust-01", S_TRUST_EL, "a trust policy naming the account delegates to identity policies", IMPLICIT, ALICE, resource_policy=tp(tst({"AWS": ROOT1})))
trust("trust-02", S_TRUST_EL, "account delegation plus an identity allow", ALLOW, ALICE, resource_policy=tp(tst({"AWS": ROOT1})), identity_policies=[ASSUME])
trust("trust-03", S_TRUST_EL, "account id form of delegation plus an identity allow", ALLOW, ALICE, resource_policy=tp(tst({"AWS": A1})), identity_policies=[ASSUME])
trust("trust-04", S_CROSS, "cross-account: the trust policy names the user, no identity allow", IMPLICIT, CAROL, resource_policy=tp(tst({"AWS": CAROL})))
trust("trust-05", S_CROSS, "cross-account: trust names the user and the identity allows", ALLOW, CAROL, resource_policy=tp(tst({"AWS": CAROL})), identity_policies=[ASSUME])
trust("trust-06", S_CROSS, "cross-account: trust names the account and the identity allows", ALLOW, CAROL, resource_policy=tp(tst({"AWS": A2})), identity_policies=[ASSUME])
trust("trust-07", S_CROSS, "cross-account: trust names another account", IMPLICIT, CAROL, resource_policy=tp(tst({"AWS": "333333333333"})), identity_policies=[ASSUME])
trust("trust-08", S_TRUST_EL, "role chaining: trust names the caller's role", ALLOW, SESSION, resource_policy=tp(tst({"AWS": ROLE})))
trust("trust-09", S_TRUST_EL, "trust names the session ARN", ALLOW, SESSION, resource_policy=tp(tst({"AWS": SESSION})))
trust("trust-10", S_TRUST_EL, "a service principal", ALLOW, "ec2.amazonaws.com", principal_type="service", resource_policy=tp(tst({"Service": "ec2.amazonaws.com"})))
trust("trust-11", S_TRUST_EL, "another service is not trusted", IMPLICIT, "lambda.amazonaws.com", principal_type="service", resource_policy=tp(tst({"Service": "ec2.amazonaws.com"})))
trust("trust-12", S_TRUST_EL, "a list of services", ALLOW, "lambda.amazonaws.com", principal_type="service", resource_policy=tp(tst({"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]})))
COG = "cognito-identity.amazonaws.com"
trust("trust-13", "id_roles_create_for-idp_oidc.html", "web identity with the right audience", ALLOW, COG, action="sts:AssumeRoleWithWebIdentity", principal_type="federated", principal_account=A1, context={"cognito-identity.amazonaws.com:aud": "us-east-1:pool"}, resource_policy=tp(tst({"Federated": COG}, "sts:AssumeRoleWithWebIdentity", Condition={"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:pool"}})))
trust("trust-14", "id_roles_create_for-idp_oidc.html", "web identity with the wrong audience", IMPLICIT, COG, action="sts:AssumeRoleWithWebIdentity", principal_type="federated", principal_account=A1, context={"cognito-identity.amazonaws.com:aud": "us-east-1:other"}, resource_policy=tp(tst({"Federated": COG}, "sts:AssumeRoleWithWebIdentity", Condition={"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:pool"}})))
GH = f"arn:aws:iam::{A1}:oidc-provider/token.actions.githubusercontent.com"
trust("trust-15", "id_roles_create_for-idp_oidc.html", "GitHub OIDC provider with a sub pattern", ALLOW, GH, action="sts:AssumeRoleWithWebIdentity", principal_type="federated", principal_account=A1, context={"token.actions.githubusercontent.com:sub": "repo:org/app:ref:refs/heads/main"}, resource_policy=tp(tst({"Federated": GH}, "sts:AssumeRoleWithWebIdentity", Condition={"StringLike": {"token.actions.githubusercontent.com:sub": "repo:org/app:*"}})))
trust("trust-16", "id_roles_create_for-idp_oidc.html", "the provider must match", IMPLICIT, COG, action="sts:AssumeRoleWithWebIdentity", principal_type="federated", principal_account=A1, resource_policy=tp(tst({"Federated": GH}, "sts:AssumeRoleWithWebIdentity")))
SAML = f"arn:aws:iam::{A1}:saml-provider/idp"
trust("trust-17", "id_roles_create_for-idp_saml.html", "SAML provider with saml:aud", ALLOW, SAML, action="sts:AssumeRoleWithSAML", principal_type="federated", principal_account=A1, context={"saml:aud": "https://signin.aws.amazon.com/saml"}, resource_policy=tp(tst({"Federated": SAML}, "sts:AssumeRoleWithSAML", Condition={"StringEquals": {"saml:aud": "https://signin.aws.amazon.com/saml"}})))
trust("trust-18", "id_roles_create_for-idp_saml.html", "SAML trust does not allow plain AssumeRole", IMPLICIT, SAML, action="sts:AssumeRole", principal_type="federated", principal_account=A1, resource_policy=tp(tst({"Federated": SAML}, "sts:AssumeRoleWithSAML")))
trust("trust-19", "id_session-tags.html", "sts:TagSession must be allowed to pass tags", IMPLICIT, ALICE, action="sts:TagSession", resource_policy=tp(tst({"AWS": ALICE})))
trust("trust-20", "id_session-tags.html", "sts:TagSession allowed", ALLOW, ALICE, action="sts:TagSession", resource_policy=tp(tst({"AWS": ALICE}, ["sts:AssumeRole", "sts:TagSession"])))
trust("trust-21", "id_credentials_temp_control-access_monitor.html", "sts:SetSourceIdentity allowed", ALLOW, ALICE, action="sts:SetSourceIdentity", resource_policy=tp(tst({"AWS": ALICE}, ["sts:AssumeRole", "sts:SetSourceIdentity"])))
trust("trust-22", "id_credentials_temp_control-access_monitor.html", "sts:SetSourceIdentity not allowed", IMPLICIT, ALICE, action="sts:SetSourceIdentity", resource_policy=tp(tst({"AWS": ALICE})))
EXT = tp(tst({"AWS": CAROL}, Condition={"StringEquals": {"sts:ExternalId": "ext-123"}}))
trust("trust-23", "id_roles_create_for-user_externalid.html", "matching external id", ALLOW, CAROL, context={"sts:ExternalId": "ext-123"}, resource_policy=EXT, identity_policies=[ASSUME])
trust("trust-24", "id_roles_create_for-user_externalid.html", "wrong external id", IMPLICIT, CAROL, context={"sts:ExternalId": "nope"}, resource_policy=EXT, identity_policies=[ASSUME])
trust("trust-25", "id_roles_create_for-user_externalid.html", "missing external id", IMPLICIT, CAROL, resource_policy=EXT, identity_policies=[ASSUME])
trust("trust-26", S_TRUST_EL, "an explicit deny in the trust policy", EXPLICIT, ALICE, resource_policy=tp(tst({"AWS": ROOT1}), tst({"AWS": ALICE}, effect="Deny")), identity_policies=[ASSUME])
trust("trust-27", S_TRUST_EL, "Principal * with an organization condition", ALLOW, ALICE, context={"aws:PrincipalOrgID": "o-abc"}, resource_policy=tp(tst("*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc"}})))
trust("trust-28", "id_credentials_mfa_configure-api-require.html", "MFA required and present", ALLOW, ALICE, context={"aws:MultiFactorAuthPresent": "true"}, resource_policy=tp(tst({"AWS": ALICE}, Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})))
trust("trust-29", "id_credentials_mfa_configure-api-require.html", "MFA required and absent", IMPLICIT, ALICE, resource_policy=tp(tst({"AWS": ALICE}, Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})))
trust("trust-30", S_TRUST_EL, "sts:* in the trust policy", ALLOW, ALICE, resource_policy=tp(tst({"AWS": ALICE}, "sts:*")))
trust("trust-31", S_TRUST_EL, "identity policy denies sts:AssumeRole", EXPLICIT, ALICE, resource_policy=tp(tst({"AWS": ALICE})), identity_policies=[pol(st("Deny", action="sts:AssumeRole"))])
trust("trust-32", S_TRUST_EL, "the identity policy allows another role only", IMPLICIT, CAROL, resource_policy=tp(tst({"AWS": CAROL})), identity_policies=[pol(st(action="sts:AssumeRole", resource=f"arn:aws:iam::{A1}:role/other"))])
trust("trust-33", S_TRUST_EL, "a session of another role is not the named role", IMPLICIT, f"arn:aws:sts::{A1}:assumed-role/other/s", resource_policy=tp(tst({"AWS": ROLE})))
trust("trust-34", S_TRUST_EL, "role named in trust, session tags condition on the caller", ALLOW, SESSION, context={"aws:PrincipalTag/env": "prod"}, resource_policy=tp(tst({"AWS": ROLE}, Condition={"StringEquals": {"aws:PrincipalTag/env": "prod"}})))
trust("trust-35", "reference_policies_iam-condition-keys.html#ck_rolesessionname", "sts:RoleSessionName must match the user name", ALLOW, ALICE, context={"sts:RoleSessionName": "alice"}, resource_policy=tp(tst({"AWS": ROOT1}, Condition={"StringLike": {"sts:RoleSessionName": "${aws:username}"}})), identity_policies=[ASSUME])
trust("trust-36", "reference_policies_iam-condition-keys.html#ck_rolesessionname", "sts:RoleSessionName differs from the user name", IMPLICIT, ALICE, context={"sts:RoleSessionName": "other"}, resource_policy=tp(tst({"AWS": ROOT1}, Condition={"StringLike": {"sts:RoleSessionName": "${aws:username}"}})), identity_policies=[ASSUME])

trust("trust-37", "id_roles_terms-and-concepts.html", "an identity allow alone cannot assume a role whose trust policy does not allow the caller", dec("ImplicitDeny", "the role trust policy does not allow the principal"), ALICE, resource_policy=tp(tst({"AWS": BOB})), identity_policies=[ASSUME])
trust("trust-38", "id_roles_terms-and-concepts.html", "trust allows the caller's account but the condition fails: no access even with an identity allow", IMPLICIT, ALICE, resource_policy=tp(tst({"AWS": ROOT1}, Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})), identity_policies=[ASSUME])

# ---- Malformed documents ---------------------------------------------------------------------
SE = "Syntax errors in policy."
LEGACY = "The policy failed legacy parsing"
for n, (ptype, doc, err, why) in enumerate([
    ("identity", "{not json", SE, "malformed JSON"),
    ("identity", "[]", SE, "the document must be an object"),
    ("identity", {"Version": V}, SE, "no Statement"),
    ("identity", {"Version": "2020-01-01", "Statement": [st()]}, SE, "unknown version"),
    ("identity", {"Version": V, "Statement": [st()], "Extra": 1}, SE, "unknown top-level field"),
    ("identity", {"Version": V, "Statement": [{**st(), "Actions": "s3:*"}]}, SE, "unknown statement field"),
    ("identity", {"Version": V, "Statement": [st(effect="Alow")]}, SE, "bad Effect"),
    ("identity", {"Version": V, "Statement": [st(effect="allow")]}, LEGACY, "Effect is case-sensitive for the legacy parser"),
    ("identity", {"Version": V, "Statement": [{"Action": "s3:*", "Resource": "*"}]}, SE, "no Effect"),
    ("identity", {"Version": V, "Statement": [{"Effect": "Allow", "Resource": "*"}]}, "Policy statement must contain actions.", "no Action"),
    ("identity", {"Version": V, "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}, "Policy statement must contain resources.", "no Resource"),
    ("identity", {"Version": V, "Statement": [st(Principal={"AWS": ALICE})]}, "Policy document should not specify a principal.", "identity policy with Principal"),
    ("session", {"Version": V, "Statement": [st(Principal="*")]}, "Policy document should not specify a principal.", "session policy with Principal"),
    ("boundary", {"Version": V, "Statement": [{**st(), "NotPrincipal": {"AWS": ALICE}}]}, "Policy document should not specify a principal.", "boundary with NotPrincipal"),
    ("scp", {"Version": V, "Statement": [st(Principal="*")]}, "Has prohibited field Principal", "SCP with Principal"),
    ("resource", {"Version": V, "Statement": [st()]}, "Missing required field Principal", "resource policy without Principal"),
    ("trust", {"Version": V, "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}, "Missing required field Principal", "trust policy without Principal"),
    ("trust", {"Version": V, "Statement": [tst({"AWS": ALICE}, Resource="*")]}, "Has prohibited field Resource", "trust policy with Resource"),
    ("trust", {"Version": V, "Statement": [tst({"AWS": ALICE}, "s3:GetObject")]}, "AssumeRole policy may only specify STS AssumeRole actions.", "trust policy with a non-STS action"),
    ("trust", {"Version": V, "Statement": [tst({"AWS": "alice"})]}, 'Invalid principal in policy: "AWS":"alice"', "principal that is neither account nor ARN"),
    ("trust", {"Version": V, "Statement": [tst({"AWS": f"arn:aws:iam::{A1}:user/*"})]}, f'Invalid principal in policy: "AWS":"arn:aws:iam::{A1}:user/*"', "wildcards in principal ARNs"),
    ("trust", {"Version": V, "Statement": [tst({"AWS": "12345"})]}, 'Invalid principal in policy: "AWS":"12345"', "short account id"),
    ("trust", {"Version": V, "Statement": [tst({"Users": ALICE})]}, 'Invalid principal in policy: "Users"', "unknown principal type"),
    ("trust", {"Version": V, "Statement": [tst({"AWS": f"arn:aws:s3:::{A1}"})]}, f'Invalid principal in policy: "AWS":"arn:aws:s3:::{A1}"', "an S3 ARN is no principal"),
    ("trust", {"Version": V, "Statement": [tst("alice")]}, 'Invalid principal in policy: "alice"', "string principal other than *"),
    ("identity", {"Version": V, "Statement": [st(action="GetObject")]}, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", "action without vendor"),
    ("identity", {"Version": V, "Statement": [st(action="s3*:GetObject")]}, "Vendor s3* is not valid", "wildcard in the vendor"),
    ("identity", {"Version": V, "Statement": [st(resource="bucket")]}, 'Resource bucket must be in ARN format or "*".', "resource that is not an ARN"),
    ("identity", {"Version": V, "Statement": [st(resource="arn:aws:s3::b")]}, LEGACY, "ARN of four parts with an empty one"),
    ("identity", {"Version": V, "Statement": [st(resource="arn:foo:s3:::b")]}, 'Partition "foo" is not valid for resource "arn:foo:s3:::b".', "unknown partition"),
    ("identity", {"Version": V, "Statement": [st(resource="arn:aws:s*:::b")]}, "Resource vendor must be fully qualified and cannot contain regexes.", "wildcard in the resource vendor"),
    ("identity", {"Version": V, "Statement": [{**st(), "Sid": "A"}, {**st(), "Sid": "A"}]}, "Statement IDs (SID) in a single policy must be unique.", "duplicate Sid"),
    ("identity", {"Version": V, "Statement": []}, SE, "empty Statement"),
    ("identity", {"Version": V, "Statement": [st(Condition={"StringEqualz": {"aws:x": "a"}})]}, SE, "unknown condition operator"),
    ("identity", {"Version": V, "Statement": [st(Condition={"NullIfExists": {"aws:x": "true"}})]}, SE, "Null has no IfExists form"),
    ("identity", {"Version": V, "Statement": [st(Condition={"ForAllValues:Bogus": {"aws:x": "a"}})]}, SE, "bad operator after a qualifier"),
    ("identity", {"Version": V, "Statement": [st(Condition={"IpAddress": {"aws:SourceIp": "10.0.0.300/8"}})]}, "Invalid IP address or CIDR block for condition operator IpAddress: 10.0.0.300/8", "invalid CIDR"),
    ("identity", {"Version": V, "Statement": [st(Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/33"}})]}, "Invalid IP address or CIDR block for condition operator IpAddress: 10.0.0.0/33", "prefix too long"),
    ("identity", {"Version": V, "Statement": [st(Condition={"DateLessThan": {"aws:CurrentTime": "2020-13-01T00:00:00Z"}})]}, LEGACY, "invalid month"),
    ("identity", {"Version": V, "Statement": [st(Condition={"DateLessThan": {"aws:CurrentTime": "yesterday"}})]}, LEGACY, "not a date"),
    ("identity", {"Version": V, "Statement": [st(Condition={"NumericLessThan": {"s3:max-keys": "ten"}})]}, "Invalid number for condition operator NumericLessThan: ten", "not a number"),
    ("identity", {"Version": V, "Statement": [st(Condition={"Bool": {"aws:SecureTransport": "yes"}})]}, "Invalid boolean for condition operator Bool: yes", "Bool needs true or false"),
    ("identity", {"Version": V, "Statement": [st(Condition={"Null": {"aws:x": "maybe"}})]}, "Invalid boolean for condition operator Null: maybe", "Null needs true or false"),
    ("identity", {"Version": V, "Statement": [st(Condition={"BinaryEquals": {"aws:x": "!!notbase64"}})]}, "Invalid base64 value for condition operator BinaryEquals: !!notbase64", "BinaryEquals needs base64"),
    ("identity", {"Version": V, "Statement": [st(Condition={"StringEquals": {"aws:x": {"a": 1}}})]}, SE, "object as a condition value"),
    ("identity", {"Version": V, "Statement": [st(Condition="StringEquals")]}, SE, "Condition must be an object"),
    ("identity", {"Version": V, "Statement": [st(action=1)]}, SE, "Action must be strings"),
    ("identity", {"Version": V, "Statement": [{**st(), "NotAction": "s3:*"}]}, SE, "both Action and NotAction"),
    ("identity", {"Version": V, "Statement": "Allow"}, SE, "Statement must be an object or array"),
    ("identity", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b/\u0100\"}]}", SE, "characters beyond U+00FF"),
    ("identity", {"Version": V, "Statement": [st(action=[])]}, "Policy statement must contain actions.", "empty Action list"),
    ("rcp", {"Version": V, "Statement": [st(Principal={"AWS": ALICE})]}, 'Resource control policies must specify "Principal": "*".', "RCP principal must be *"),
    ("trust", {"Version": V, "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": ALICE}, "Action": "sts:AssumeRole"}]}, "Has prohibited field NotPrincipal", "trust policies cannot use NotPrincipal"),
]):
    check(f"malformed-{n:02d}", S_GRAMMAR, why, ptype, doc, err)

# Size limits: whitespace is not counted.
big = json.dumps(pol(st(resource=["arn:aws:s3:::b/" + "x" * 100 + str(i) for i in range(25)])))
check("size-0", S_QUOTAS, "a session policy over 2,048 characters", "session", big, "Cannot exceed quota for PolicySize: 2048")
check("size-1", S_QUOTAS, "the same document fits the 6,144 managed-policy quota", "identity", big)
spaced = json.dumps(pol(st(resource=["arn:aws:s3:::b/" + "y" * 40 + str(i) for i in range(10)])), indent=40)
check("size-2", S_QUOTAS, "whitespace is not counted towards the size", "trust" if False else "session", spaced)
trust_big = json.dumps(pol(*[tst({"AWS": f"arn:aws:iam::{A1}:user/u{i:03d}" + "z" * 40}) for i in range(30)]))
check("size-3", S_QUOTAS, "a trust policy over 2,048 characters", "trust", trust_big, "Cannot exceed quota for PolicySize: 2048")

# Valid documents of every type.
for n, (ptype, doc, why) in enumerate([
    ("identity", pol(st()), "a minimal identity policy"),
    ("identity", {"Statement": st()}, "no Version and a single statement object"),
    ("identity", pol(st(action=["s3:GetObject", "s3:PutObject"], resource=["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"])), "lists"),
    ("resource", pol(st(Principal={"AWS": [ALICE, A2, f"arn:aws:iam::{A2}:root", ROLE, SESSION]})), "every AWS principal form"),
    ("resource", pol(st(Principal={"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"})), "CanonicalUser principal"),
    ("trust", pol(tst({"Service": ["ec2.amazonaws.com"]}), tst({"Federated": COG}, "sts:AssumeRoleWithWebIdentity")), "service and federated principals"),
    ("trust", pol(tst({"AWS": f"arn:aws:sts::{A1}:federated-user/fed"}, ["sts:AssumeRole", "sts:TagSession"])), "federated user principal and TagSession"),
    ("scp", pol({"Effect": "Deny", "NotAction": ["iam:*"], "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}}), "an SCP with NotAction"),
    ("rcp", pol(st("Deny", action="s3:*", Principal="*", Condition={"BoolIfExists": {"aws:SecureTransport": "false"}})), "an RCP"),
    ("identity", pol(st(Condition={"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*"]}, "DateGreaterThan": {"aws:CurrentTime": 1600000000}, "NumericLessThan": {"s3:max-keys": 10.5}, "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}})), "every value kind"),
    ("boundary", pol(st(action="*")), "a boundary"),
    ("session", pol(st(resource="arn:aws:s3:::home/${aws:username}/*")), "a session policy with a variable"),
    ("identity", pol(st(resource="arn:aws-cn:s3:::b/*")), "China partition"),
    ("identity", pol(st(resource="arn:aws:s3")), "an ARN of three parts: the legacy parser reads it"),
    ("identity", pol(st(Condition={"StringEquals": {"sourceip": "a"}})), "a condition key without a vendor"),
    ("identity", pol(st(Condition={"StringEquals": {"aws:x": []}})), "an empty value list"),
]):
    check(f"valid-{n:02d}", S_GRAMMAR, why, ptype, doc)

# Deep nesting and a huge document.
check("deep-nesting", S_GRAMMAR, "deeply nested JSON is rejected, not a crash", "identity", "[" * 3000 + "]" * 3000, SE)
check("huge-resource", S_QUOTAS, "a huge document exceeds the managed-policy quota", "identity", json.dumps(pol(st(resource="arn:aws:s3:::" + "a" * 20000))), "Cannot exceed quota for PolicySize: 6144")

if os.path.isdir(OUT):
    shutil.rmtree(OUT)
os.makedirs(OUT)
names = set()
for name, body in cases:
    assert name not in names, name
    names.add(name)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(body, f, indent=1, sort_keys=True)
        f.write("\n")
print(len(cases), "cases")
