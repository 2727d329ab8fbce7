// AssumeRoleWithWebIdentity from @aws-sdk/client-sts with ID tokens made by `jose` (an independent
// JOSE library), against `keyturn serve` with the OIDC identity-provider plugin loaded from its
// configuration. RSA and EC keys; a token signed by a key the provider does not publish is refused.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { generateKeyPair, exportJWK, SignJWT } from "jose";
import {
  STSClient,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
} from "@aws-sdk/client-sts";
import { keyturnBin, rejectsWith, startKeyturn } from "./serve.mjs";

const oidcPlugin = join(dirname(keyturnBin), "libkeyturn_oidc.so");
const account = "123456789012";
const issuer = "https://idp.node.example";
const role = `arn:aws:iam::${account}:role/NodeWebRole`;

let keyturn;
let endpoint;
const keys = {};

function sts(credentials) {
  return new STSClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
}

async function idToken(alg, { key = keys[alg].privateKey, sub = "node-user", aud = "client-node" } = {}) {
  return new SignJWT({})
    .setProtectedHeader({ alg, kid: alg })
    .setIssuer(issuer)
    .setSubject(sub)
    .setAudience(aud)
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(key);
}

before(async () => {
  assert.ok(existsSync(oidcPlugin), `${oidcPlugin} not built (cargo build -p keyturn-oidc)`);
  const published = [];
  for (const alg of ["RS256", "ES256"]) {
    keys[alg] = await generateKeyPair(alg, { extractable: true });
    published.push({ ...(await exportJWK(keys[alg].publicKey)), kid: alg, alg, use: "sig" });
  }
  const provider = `arn:aws:iam::${account}:oidc-provider/idp.node.example`;
  const config = {
    keyring: "keyring.json",
    store: { memory: true },
    plugins: [{ path: oidcPlugin, config: {} }],
    accounts: [
      {
        id: account,
        oidc_providers: [{ url: issuer, client_ids: ["client-node"], jwks_file: "jwks.json" }],
        roles: [
          {
            name: "NodeWebRole",
            trust_policy: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Principal: { Federated: provider },
                  Action: "sts:AssumeRoleWithWebIdentity",
                  Condition: { StringEquals: { "idp.node.example:aud": "client-node" } },
                },
              ],
            },
          },
        ],
      },
    ],
  };
  // JSON is YAML: the config loader reads either.
  keyturn = await startKeyturn(JSON.stringify(config), (workdir) =>
    writeFileSync(join(workdir, "jwks.json"), JSON.stringify({ keys: published })),
  );
  endpoint = keyturn.endpoint;
});

after(async () => {
  if (keyturn) await keyturn.stop();
});

for (const alg of ["RS256", "ES256"]) {
  test(`AssumeRoleWithWebIdentity with a ${alg} token made by jose, then GetCallerIdentity`, async () => {
    const out = await sts().send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: role,
        RoleSessionName: `node-${alg}`,
        WebIdentityToken: await idToken(alg),
      }),
    );
    assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${account}:assumed-role/NodeWebRole/node-${alg}`);
    assert.equal(out.SubjectFromWebIdentityToken, "node-user");
    assert.equal(out.Audience, "client-node");
    assert.match(out.Credentials.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
    const ident = await sts({
      accessKeyId: out.Credentials.AccessKeyId,
      secretAccessKey: out.Credentials.SecretAccessKey,
      sessionToken: out.Credentials.SessionToken,
    }).send(new GetCallerIdentityCommand({}));
    assert.equal(ident.Arn, out.AssumedRoleUser.Arn);
    assert.equal(ident.Account, account);
  });
}

// The SDK turns the wire code `InvalidIdentityToken` into its modelled
// exception class, as it does with AWS's own answer: the class name proves the code.
test("a token signed by a key the provider does not publish is InvalidIdentityToken", async () => {
  const stranger = await generateKeyPair("RS256");
  await rejectsWith(
    sts().send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: role,
        RoleSessionName: "node-forged",
        WebIdentityToken: await idToken("RS256", { key: stranger.privateKey }),
      }),
    ),
    "InvalidIdentityTokenException",
    400,
  );
});

test("a token for another audience is InvalidIdentityToken: Incorrect token audience", async () => {
  await rejectsWith(
    sts().send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: role,
        RoleSessionName: "node-aud",
        WebIdentityToken: await idToken("ES256", { aud: "someone-else" }),
      }),
    ),
    "InvalidIdentityTokenException",
    400,
    "Incorrect token audience",
  );
});
