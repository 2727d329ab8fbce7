// End-to-end tests with the AWS SDK for JavaScript v3 (@aws-sdk/client-sts) against `keyturn serve`.
// The server runs on a free loopback port with ../python/configs/e2e.yaml in a temporary directory.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  STSClient,
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetAccessKeyInfoCommand,
} from "@aws-sdk/client-sts";
import { here, rejectsWith, startKeyturn } from "./serve.mjs";

const alice = {
  accessKeyId: "AKIATHPL2AOHFJCVQTKQ",
  secretAccessKey: "KeyturnExampleSecretKey/alice/0000000000",
};
const updateApp = "arn:aws:iam::111111111111:role/UpdateApp";

let keyturn;
let endpoint;

function sts(credentials) {
  return new STSClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
}

before(async () => {
  keyturn = await startKeyturn(
    readFileSync(join(here, "..", "python", "configs", "e2e.yaml"), "utf8") +
      "\nkeyring: keyring.json\nstore: {memory: true}\n",
  );
  endpoint = keyturn.endpoint;
});

after(async () => {
  if (keyturn) await keyturn.stop();
});

test("AssumeRole then GetCallerIdentity with the returned credentials", async () => {
  const out = await sts(alice).send(new AssumeRoleCommand({ RoleArn: updateApp, RoleSessionName: "node-sdk" }));
  assert.match(out.Credentials.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.ok(out.Credentials.Expiration instanceof Date);
  const lifetime = (out.Credentials.Expiration.getTime() - Date.now()) / 1000;
  assert.ok(lifetime > 3590 && lifetime <= 3605, `lifetime ${lifetime}`);
  assert.equal(out.AssumedRoleUser.Arn, "arn:aws:sts::111111111111:assumed-role/UpdateApp/node-sdk");
  assert.match(out.AssumedRoleUser.AssumedRoleId, /^AROA[A-Z2-7]{17}:node-sdk$/);

  const ident = await sts({
    accessKeyId: out.Credentials.AccessKeyId,
    secretAccessKey: out.Credentials.SecretAccessKey,
    sessionToken: out.Credentials.SessionToken,
  }).send(new GetCallerIdentityCommand({}));
  assert.equal(ident.Account, "111111111111");
  assert.equal(ident.Arn, out.AssumedRoleUser.Arn);
  assert.equal(ident.UserId, out.AssumedRoleUser.AssumedRoleId);
  assert.ok(ident.$metadata.requestId, "request id");
});

test("AccessDenied from a trust policy that does not name the caller", async () => {
  const role = "arn:aws:iam::111111111111:role/NoTrustRole";
  const err = await rejectsWith(
    sts(alice).send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: "node-denied" })),
    "AccessDenied",
    403,
    `User: arn:aws:iam::222222222222:user/alice is not authorized to perform: sts:AssumeRole on resource: ${role}`,
  );
  assert.equal(err.Code ?? err.name, "AccessDenied");
});

test("SignatureDoesNotMatch with a wrong secret", async () => {
  await rejectsWith(
    sts({ accessKeyId: alice.accessKeyId, secretAccessKey: "wrong-secret-0000000000000000000000000000" }).send(
      new GetCallerIdentityCommand({}),
    ),
    "SignatureDoesNotMatch",
    403,
  );
});

test("ValidationError for a too-short session name", async () => {
  await rejectsWith(
    sts(alice).send(new AssumeRoleCommand({ RoleArn: updateApp, RoleSessionName: "x" })),
    "ValidationError",
    400,
    "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: " +
      "Member must have length greater than or equal to 2",
  );
});

test("GetAccessKeyInfo answers from the key id", async () => {
  const out = await sts(alice).send(new GetAccessKeyInfoCommand({ AccessKeyId: alice.accessKeyId }));
  assert.equal(out.Account, "222222222222");
});
