// Outbound web identity federation verified by `jose` (an independent JOSE library) from the
// issuer's discovery document alone: GetWebIdentityToken from @aws-sdk/client-sts, RS256 and
// ES384, then createRemoteJWKSet + jwtVerify against the issuer that IAM's
// EnableOutboundWebIdentityFederation returned (signed here with SigV4 by hand: the suite has
// no IAM client).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader, errors } from "jose";
import { STSClient, GetWebIdentityTokenCommand } from "@aws-sdk/client-sts";
import { rejectsWith, startKeyturn } from "./serve.mjs";

const account = "222222222222";
const credentials = { accessKeyId: "AKIATHPL2AOHF64TZ2YZ", secretAccessKey: "NodeOutboundRootSecret/0000000000000000" };
const audience = "https://api.node.example";

let keyturn;
let issuer;

function sts() {
  return new STSClient({ endpoint: keyturn.endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
}

const sha256 = (data) => createHash("sha256").update(data).digest("hex");
const hmac = (key, data) => createHmac("sha256", key).update(data).digest();

// An IAM Query request signed with SigV4 (service `iam`, us-east-1); resolves to the XML text.
async function iamCall(action) {
  const body = `Action=${action}&Version=2010-05-08`;
  const url = new URL(keyturn.endpoint);
  const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const headers = {
    "content-type": "application/x-www-form-urlencoded; charset=utf-8",
    host: url.host,
    "x-amz-date": amzDate,
  };
  const signed = Object.keys(headers).sort();
  const canonical = [
    "POST",
    "/",
    "",
    signed.map((h) => `${h}:${headers[h]}\n`).join(""),
    signed.join(";"),
    sha256(body),
  ].join("\n");
  const scope = `${day}/us-east-1/iam/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
  let key = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of ["us-east-1", "iam", "aws4_request"]) key = hmac(key, part);
  const signature = createHmac("sha256", key).update(toSign).digest("hex");
  const res = await fetch(keyturn.endpoint, {
    method: "POST",
    headers: {
      ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signed.join(";")}, Signature=${signature}`,
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

before(async () => {
  const config = {
    keyring: "keyring.json",
    store: { memory: true },
    accounts: [
      {
        id: account,
        root: { access_keys: [{ id: credentials.accessKeyId, secret: credentials.secretAccessKey }] },
      },
    ],
  };
  keyturn = await startKeyturn(JSON.stringify(config));
  const enabled = await iamCall("EnableOutboundWebIdentityFederation");
  assert.equal(enabled.status, 200, enabled.text);
  issuer = /<IssuerIdentifier>([^<]+)<\/IssuerIdentifier>/.exec(enabled.text)?.[1];
  assert.equal(issuer, `${keyturn.endpoint}/outbound/${account}`);
  const again = await iamCall("EnableOutboundWebIdentityFederation");
  assert.equal(again.status, 409);
  assert.match(again.text, /<Code>FeatureEnabled<\/Code>/);
});

after(async () => {
  if (keyturn) await keyturn.stop();
});

async function discoveredKeys() {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  assert.equal(res.status, 200);
  const doc = await res.json();
  assert.equal(doc.issuer, issuer);
  return createRemoteJWKSet(new URL(doc.jwks_uri));
}

for (const alg of ["RS256", "ES384"]) {
  test(`a ${alg} token verifies with jose from the issuer's discovery document`, async () => {
    const out = await sts().send(
      new GetWebIdentityTokenCommand({
        Audience: [audience],
        SigningAlgorithm: alg,
        DurationSeconds: 120,
        Tags: [{ Key: "lang", Value: "node" }],
      }),
    );
    assert.equal(decodeProtectedHeader(out.WebIdentityToken).alg, alg);
    const { payload } = await jwtVerify(out.WebIdentityToken, await discoveredKeys(), {
      issuer,
      audience,
      algorithms: [alg],
    });
    assert.equal(payload.sub, `arn:aws:iam::${account}:root`);
    assert.equal(payload.exp - payload.iat, 120);
    assert.equal(Math.floor(out.Expiration.getTime() / 1000), payload.exp);
    assert.deepEqual(payload["https://sts.amazonaws.com/"].request_tags, { lang: "node" });
    assert.equal(payload["https://sts.amazonaws.com/"].aws_account, account);
  });
}

test("jose refuses the token for another audience", async () => {
  const out = await sts().send(new GetWebIdentityTokenCommand({ Audience: ["other"], SigningAlgorithm: "ES384" }));
  await assert.rejects(
    jwtVerify(out.WebIdentityToken, await discoveredKeys(), { issuer, audience }),
    errors.JWTClaimValidationFailed,
  );
});

test("after DisableOutboundWebIdentityFederation: OutboundWebIdentityFederationDisabledException", async () => {
  const disabled = await iamCall("DisableOutboundWebIdentityFederation");
  assert.equal(disabled.status, 200, disabled.text);
  await rejectsWith(
    sts().send(new GetWebIdentityTokenCommand({ Audience: [audience], SigningAlgorithm: "RS256" })),
    "OutboundWebIdentityFederationDisabledException",
    403,
  );
  const res = await fetch(`${issuer}/.well-known/jwks.json`);
  assert.equal(res.status, 404);
});
