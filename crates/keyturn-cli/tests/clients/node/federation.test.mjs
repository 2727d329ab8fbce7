// AssumeRoleWithWebIdentity from @aws-sdk/client-sts with ID tokens made by `jose` (an independent
// JOSE library), against `keyturn serve` with the OIDC identity-provider plugin loaded from its
// configuration. RSA and EC keys; a token signed by a key the provider does not publish is refused.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateKeyPair, exportJWK, SignJWT } from "jose";
import {
  STSClient,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
} from "@aws-sdk/client-sts";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../../../..");
const keyturnBin = process.env.KEYTURN_BIN ?? join(repo, "target", "debug", "keyturn");
const oidcPlugin = join(dirname(keyturnBin), "libkeyturn_oidc.so");
const account = "123456789012";
const issuer = "https://idp.node.example";
const role = `arn:aws:iam::${account}:role/NodeWebRole`;

let server;
let endpoint;
let workdir;
let output = "";
const keys = {};

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function canConnect(port) {
  return new Promise((ok) => {
    const socket = connect({ port, host: "127.0.0.1" }, () => {
      socket.destroy();
      ok(true);
    });
    socket.on("error", () => ok(false));
  });
}

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
  workdir = mkdtempSync(join(tmpdir(), "keyturn-node-fed-"));
  const published = [];
  for (const alg of ["RS256", "ES256"]) {
    keys[alg] = await generateKeyPair(alg, { extractable: true });
    published.push({ ...(await exportJWK(keys[alg].publicKey)), kid: alg, alg, use: "sig" });
  }
  writeFileSync(join(workdir, "jwks.json"), JSON.stringify({ keys: published }));
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
  const configPath = join(workdir, "keyturn.yaml");
  writeFileSync(configPath, JSON.stringify(config));
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  server = spawn(keyturnBin, ["serve", "--config", configPath, "--listen", `127.0.0.1:${port}`], {
    cwd: workdir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (d) => (output += d));
  server.stderr.on("data", (d) => (output += d));
  const deadline = Date.now() + 60_000;
  while (!(await canConnect(port))) {
    if (server.exitCode !== null) throw new Error(`keyturn serve exited with ${server.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`keyturn serve did not listen within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill("SIGTERM");
    await exited;
  }
  if (workdir) rmSync(workdir, { recursive: true, force: true });
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
  await assert.rejects(
    sts().send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: role,
        RoleSessionName: "node-forged",
        WebIdentityToken: await idToken("RS256", { key: stranger.privateKey }),
      }),
    ),
    (err) => {
      assert.equal(err.name, "InvalidIdentityTokenException");
      assert.equal(err.$metadata.httpStatusCode, 400);
      return true;
    },
  );
});

test("a token for another audience is InvalidIdentityToken: Incorrect token audience", async () => {
  await assert.rejects(
    sts().send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: role,
        RoleSessionName: "node-aud",
        WebIdentityToken: await idToken("ES256", { aud: "someone-else" }),
      }),
    ),
    (err) => {
      assert.equal(err.name, "InvalidIdentityTokenException");
      assert.equal(err.message, "Incorrect token audience");
      assert.equal(err.$metadata.httpStatusCode, 400);
      return true;
    },
  );
});
