#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target into fuzz/seeds/<target>/ (then `make fuzz-cmin`
minimises seeds + what the runs found into fuzz/corpus/<target>/). Seeds come from the tests'
fixtures in this repository and, when ../shared/vectors is beside it, a handful of public test
vectors (the SigV4 suite, python3-saml's responses). Each seed starts with the byte(s) that
pick the target's mode: see the target's module in crates/keyturn-fuzz/src/."""

import base64
import glob
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VECTORS = os.path.join(ROOT, "..", "shared", "vectors")
OUT = os.path.join(ROOT, "fuzz", "seeds")


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def chunk(b):
    b = b[:255]
    return bytes([len(b)]) + b


def read(*parts):
    with open(os.path.join(*parts), encoding="utf-8", errors="replace") as f:
        return f.read()


# wire: selector byte, then JSON.
WIRE = [
    (0, {"provider_arn": "", "token": "t", "role_arn": "arn:aws:iam::123456789012:role/R", "now": 1800000000,
         "kind": "web_identity", "providers": [{"arn": "arn:aws:iam::123456789012:oidc-provider/x", "account_id": "123456789012",
                                                "settings": {"url": "https://x", "client_ids": ["c"], "jwks": {"keys": []}}}]}),
    (1, {"subject": "s", "audience": "a", "issuer": "i", "condition_keys": {"x:sub": ["s"]},
         "session_tags": [{"key": "k", "value": "v"}], "transitive_tag_keys": ["k"], "expires_at": 1800000000,
         "roles": [{"role_arn": "arn:aws:iam::1:role/r", "provider_arn": "arn:aws:iam::1:saml-provider/p"}], "session_duration": 3600}),
    (2, {"access_key_id": "ASIA", "account_id": "123456789012", "principal_arn": "arn:aws:sts::123456789012:assumed-role/R/s",
         "issued_at": 1, "expires_at": 2, "keyturn_session": {"p": 1.5e300, "t": [1, -2, 0.1]}}),
    (3, {"session_token": "tok", "secret_access_key": "secret"}),
    (4, {"claims": {"access_key_id": "ASIA", "account_id": "1", "principal_arn": "p", "issued_at": 1, "expires_at": 2},
         "secret_access_key": "s"}),
    (5, {"principal_arn": "arn:aws:iam::1:user/u", "action": "s3:GetObject", "resource": "*", "context": {"aws:SourceIp": ["10.0.0.1"]},
         "policies": [{"Version": "2012-10-17", "Statement": []}], "scps": [[{"Version": "2012-10-17"}]]}),
    (6, {"decision": "allowed", "reason": "r"}),
    (7, {"code": "InvalidIdentityToken", "message": "m"}),
]
for sel, value in WIRE:
    put("wire", bytes([sel]) + json.dumps(value).encode())

# claims: decode mode (version 1-3) of short byte strings; structured mode (>= 128) of varied bytes.
for i in range(6):
    put("claims", bytes([i]) + bytes(range(i * 7, i * 7 + 40)))
    put("claims", bytes([128 + i]) + hashlib.sha256(bytes([i])).digest() * 4)

# query: raw form bodies (mode < 32) and an action's parameters (mode >= 32).
QUERIES = [
    "Action=GetCallerIdentity&Version=2011-06-15",
    "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FApp&RoleSessionName=s1&DurationSeconds=900",
    "Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::222222222222:role/App&RoleSessionName=s&Tags.member.1.Key=k&Tags.member.1.Value=v&TransitiveTagKeys.member.1=k&PolicyArns.member.1.arn=arn:aws:iam::aws:policy/ReadOnlyAccess",
    "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn:aws:iam::222222222222:role/App&RoleSessionName=w&WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
    "Action=AssumeRoleWithSAML&Version=2011-06-15&RoleArn=arn:aws:iam::222222222222:role/App&PrincipalArn=arn:aws:iam::222222222222:saml-provider/p&SAMLAssertion=PHNhbWw%2B",
    "Action=GetSessionToken&Version=2011-06-15&SerialNumber=arn:aws:iam::222222222222:mfa/u&TokenCode=123456",
    "Action=GetFederationToken&Version=2011-06-15&Name=bob&Policy=%7B%22Version%22%3A%222012-10-17%22%7D",
    "Action=DecodeAuthorizationMessage&Version=2011-06-15&EncodedMessage=abc",
    "Action=CreateUser&Version=2010-05-08&UserName=u1&Path=/a/&Tags.member.1.Key=k&Tags.member.1.Value=v",
    "Action=PutRolePolicy&Version=2010-05-08&RoleName=App&PolicyName=p&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D",
    "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=%7B%7D&ActionNames.member.1=s3%3AGetObject&ResourceArns.member.1=*&ContextEntries.member.1.ContextKeyName=aws:SourceIp&ContextEntries.member.1.ContextKeyType=ip&ContextEntries.member.1.ContextKeyValues.member.1=10.0.0.1",
    "Action=ListRoles&Version=2010-05-08&MaxItems=1&Marker=abc",
    "Action=Get%01CallerIdentity&Version=2011-06-15",
    "Action=GetCallerIdentity&Version=2011-06-15&Action=GetCallerIdentity",
    "Action=GetCallerIdentity&Version=2011-06-15&%ZZ=1",
]
for q in QUERIES:
    put("query", b"\x00" + q.encode())
put("query", b"\x20RoleArn=arn:aws:iam::222222222222:role/App&RoleSessionName=x")
put("query", b"\x21UserName=u&Path=/")

# policy: mode byte, type byte (index into TYPES: identity resource trust boundary session scp rcp), JSON.
POLICIES = [
    (0, 0, {"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": ["s3:Get*", "iam:PassRole"],
            "Resource": ["arn:aws:s3:::bucket/${aws:username}/*", "*"],
            "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}, "Bool": {"aws:MultiFactorAuthPresent": "true"},
                          "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}, "DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
                          "StringLikeIfExists": {"s3:prefix": ["home/${aws:username}/*"]}, "ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}}]}),
    (1, 1, {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]},
            "NotAction": "s3:*", "NotResource": "arn:aws:s3:::x", "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}}}]}),
    (0, 2, {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice",
            "Federated": "cognito-identity.amazonaws.com", "Service": "ec2.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {"StringEquals": {"sts:ExternalId": "x"}, "Null": {"aws:PrincipalTag/team": "false"}}}]}),
    (1, 3, {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}),
    (0, 4, {"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"ForAllValues:StringNotLike": {"aws:TagKeys": ["secret*"]}, "BinaryEquals": {"x:b": "AAE="}}}]}),
    (1, 5, {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}}}]}),
    (0, 6, {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}]}),
]
for mode, ty, doc in POLICIES:
    put("policy", bytes([mode, ty]) + json.dumps(doc).encode())
put("policy", bytes([3, 0]) + b'{\n "Version": "2012-10-17",\n "Statement": [\n  {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}\n ]\n}')
put("policy", bytes([2, 0]) + json.dumps({"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
                                           "resource": "arn:aws:s3:::b/k", "context": {"aws:SourceIp": "10.0.0.1", "aws:MultiFactorAuthPresent": True},
                                           "identity_policies": [POLICIES[0][2]], "permissions_boundary": POLICIES[3][2],
                                           "scps": [[POLICIES[5][2]]]}).encode())

# token: open mode (even) of token-like text; seal/open mode (odd) of varied bytes.
put("token", b"\x00" + base64.b64encode(bytes([2, 0, 0, 0, 1]) + bytes(12) + bytes(60)))
put("token", b"\x00" + base64.b64encode(bytes([1, 0, 0, 0, 9]) + bytes(40)))
put("token", b"\x00not base64 at all")
for i in range(4):
    put("token", b"\x01" + hashlib.sha256(bytes([i])).digest() * 6)

# config: the repository's example configurations and test fixtures (YAML; and one as JSON).
for path in sorted(glob.glob(os.path.join(ROOT, "docs", "examples", "*.yaml")) +
                   glob.glob(os.path.join(ROOT, "crates", "keyturn", "tests", "fixtures", "*.yaml"))):
    put("config", b"\x01" + read(path).encode())
put("config", b"\x00" + json.dumps({"accounts": [{"id": "222222222222", "users": [{"name": "u", "access_keys": []}],
                                                  "roles": [{"name": "R", "trust_policy": {"Version": "2012-10-17", "Statement": []}}]}]}).encode())

# sigv4: the SigV4 suite's signed requests (header and query) in raw mode; parser and round-trip modes.
METHODS = ["POST", "GET", "PUT", "DELETE", "HEAD", "OPTIONS"]


def raw_request(text):
    head, _, body = text.replace("\r\n", "\n").partition("\n\n")
    lines = head.split("\n")
    method, target, _ = (lines[0].split(" ", 2) + ["", ""])[:3]
    path, _, query = target.partition("?")
    headers = []
    for line in lines[1:]:
        if ":" in line:
            k, _, v = line.partition(":")
            headers.append((k.strip(), v.strip()))
    out = bytes([0, METHODS.index(method) if method in METHODS else 0]) + chunk(path.encode()) + chunk(query.encode())
    out += bytes([len(headers) % 10])
    for k, v in headers[:9]:
        out += b"\x01" + chunk(k.encode()) + chunk(v.encode())
    return out + body.encode()


suite = os.path.join(VECTORS, "sigv4", "v4")
if os.path.isdir(suite):
    for case in sorted(os.listdir(suite))[:40]:
        for placement in ("header", "query"):
            p = os.path.join(suite, case, f"{placement}-signed-request.txt")
            if os.path.exists(p):
                put("sigv4", raw_request(read(p)))
        p = os.path.join(suite, case, "header-signed-request.txt")
        if os.path.exists(p):
            for line in read(p).splitlines():
                if line.lower().startswith("authorization:"):
                    put("sigv4", b"\x01\x01\x00" + line.split(":", 1)[1].strip().encode())
else:
    print("no ../shared/vectors: SigV4 suite seeds skipped", file=sys.stderr)
put("sigv4", b"\x01\x01\x01" + b"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=0&X-Amz-SignedHeaders=host&X-Amz-Signature=aa")
put("sigv4", b"\x01\x01\x02" + b"5;chunk-signature=" + b"0" * 64 + b"\r\nhello\r\n0;chunk-signature=" + b"0" * 64 + b"\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n")
for i in range(6):
    put("sigv4", bytes([2]) + hashlib.sha256(bytes([i])).digest() * 3)

# oidc: tokens of the plugin's fixtures (mode 0), its JWKS (mode 1), claims to sign (mode 2).
fixtures = os.path.join(ROOT, "plugins", "oidc", "tests", "fixtures")
for name, token in sorted(json.loads(read(fixtures, "tokens.json")).items())[:8]:
    put("oidc", b"\x00" + token.encode())
put("oidc", b"\x01" + read(fixtures, "jwks.json").encode())
CLAIMS = [
    {"iss": "https://idp.fuzz.test/tenant", "sub": "u", "aud": "client-1", "exp": 1800003600, "iat": 1799999990},
    {"iss": "https://idp.fuzz.test/tenant/", "sub": "u", "aud": ["x", "client-2"], "azp": "client-1", "exp": 1800003600, "nbf": 1, "amr": ["mfa"],
     "https://aws.amazon.com/tags": {"principal_tags": {"team": ["web"]}, "transitive_tag_keys": ["team"]},
     "https://aws.amazon.com/source_identity": "src"},
    {"iss": "https://idp.fuzz.test/tenant", "sub": "u", "aud": "client-1", "exp": 9.3e18},
    {"iss": "https://idp.fuzz.test/tenant", "sub": "u", "aud": "client-1", "exp": 1e308, "iat": -1e308},
]
for c in CLAIMS:
    put("oidc", b"\x02\x01" + json.dumps(c).encode())
put("oidc", b"\x02\x00" + chunk(b'{"alg":"ES256","kid":"fz","crit":["x"]}') + json.dumps(CLAIMS[0]).encode())

# saml: python3-saml responses (modes 0 and 2), and metadata (mode 3).
responses = os.path.join(VECTORS, "saml", "python3-saml", "data", "responses")
if os.path.isdir(responses):
    for name in ["valid_response.xml.base64", "signed_assertion_response.xml.base64", "double_signed_response.xml.base64",
                 "signed_message_encrypted_assertion.xml.base64", "wrapped_response_2.xml.base64", "unsigned_response.xml.base64",
                 "response_node_text_attack.xml.base64", "invalids/signature_wrapping_attack.xml.base64"]:
        p = os.path.join(responses, name)
        if os.path.exists(p):
            xml = base64.b64decode("".join(read(p).split()))
            put("saml", b"\x00" + xml)
    p = os.path.join(responses, "valid_response.xml.base64")
    if os.path.exists(p):
        put("saml", b"\x02" + base64.b64decode("".join(read(p).split())))
else:
    print("no ../shared/vectors: SAML seeds skipped", file=sys.stderr)
put("saml", b"\x03" + b'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp"><md:IDPSSODescriptor><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>MIIB</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor></md:EntityDescriptor>')

# http: raw requests (mode < 24) and structured ones (mode >= 24: see http.rs).
RAW = [
    b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 43\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15",
    b"GET /?Action=GetCallerIdentity&Version=2011-06-15 HTTP/1.1\r\nHost: localhost\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nActio\r\n0\r\n\r\n",
    b"GET /.well-known/openid-configuration HTTP/1.1\r\nHost: x\r\n\r\n",
    b"DELETE / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n",
]
for r in RAW:
    put("http", b"\x00" + r)
for i, (signed, service, action) in enumerate([(1, 0, 0), (1, 1, 5), (0, 0, 3), (1, 1, 40), (1, 0, 2)]):
    structure = bytes([30, 0, 0, 0, signed, 0, service, action])
    put("http", structure + b"RoleArn=arn:aws:iam::222222222222:role/App&RoleSessionName=s&UserName=u" + str(i).encode())
