// The engine in-process: verifyRequest of requests signed by the AWS SDK's own signer,
// authorize, assumeRole, and errors typed by AWS code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { keyturn, seedConfig, repo, UPDATE_APP } from './helpers.mjs';

const engine = keyturn.Engine.fromString(seedConfig());
const alice = engine.credentials('alice');
const HOST = 'productionapp.s3.us-east-1.amazonaws.com';

/** Signs an S3 GET with the SDK's SigV4 signer; returns what a Node server would receive. */
async function signedGet(credentials, path, query = {}) {
  const signer = new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
  });
  const signed = await signer.sign({
    method: 'GET',
    protocol: 'https:',
    hostname: HOST,
    path,
    query,
    headers: { host: HOST },
  });
  const qs = new URLSearchParams(query).toString();
  return { method: 'GET', url: qs ? `${path}?${qs}` : path, headers: signed.headers };
}

test('version agrees with package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.equal(keyturn.version(), pkg.version);
});

test('verifyRequest accepts a request signed by @smithy/signature-v4', async () => {
  const request = await signedGet(alice, '/reports/2026.txt', { versionId: '3' });
  const caller = engine.verifyRequest(request, 's3');
  assert.equal(caller.arn, 'arn:aws:iam::222222222222:user/alice');
  assert.equal(caller.account, '222222222222');
  assert.equal(caller.accessKeyId, alice.accessKeyId);
  assert.match(caller.userId, /^AIDA/);

  const denied = engine.authorize(caller, 's3:GetObject', 'arn:aws:s3:::productionapp/reports/2026.txt');
  assert.equal(denied.allowed, false);
  assert.equal(denied.decision, 'ImplicitDeny');
  assert.ok(denied.reasons.length > 0);
  assert.ok(denied.encodedMessage.length > 20);
});

test('verifyRequest rejects tampering, unknown keys and the wrong service with AWS codes', async () => {
  const request = await signedGet(alice, '/reports/2026.txt');
  assert.throws(
    () => engine.verifyRequest({ ...request, url: '/reports/2027.txt' }, 's3'),
    (e) => e instanceof Error && e.code === 'SignatureDoesNotMatch',
  );
  assert.throws(() => engine.verifyRequest(request, 'sts'), { code: 'SignatureDoesNotMatch' });
  const stranger = await signedGet(
    { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x'.repeat(40) },
    '/a',
  );
  assert.throws(() => engine.verifyRequest(stranger, 's3'), { code: 'InvalidClientTokenId' });
  assert.throws(
    () => engine.verifyRequest({ method: 'GET', url: '/', headers: { host: HOST } }, 's3'),
    { code: 'MissingAuthenticationToken' },
  );
});

test('a role session signed by the SDK is allowed what the role may do', async () => {
  const session = engine.assumeRole(alice, { roleArn: UPDATE_APP, roleSessionName: 'deploy' });
  assert.match(session.credentials.accessKeyId, /^ASIA/);
  assert.equal(session.assumedRoleArn, 'arn:aws:sts::111111111111:assumed-role/UpdateApp/deploy');
  assert.match(session.expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  const request = await signedGet(session.credentials, '/reports/2026.txt');
  const caller = engine.verifyRequest(request, 's3');
  assert.equal(caller.arn, session.assumedRoleArn);
  const put = engine.authorize(caller, 's3:PutObject', 'arn:aws:s3:::productionapp/reports/2026.txt');
  assert.equal(put.allowed, true);
  assert.equal(put.decision, 'Allow');
  assert.equal(put.encodedMessage, undefined);
  const del = engine.authorize(caller, 's3:DeleteBucket', 'arn:aws:s3:::productionapp');
  assert.equal(del.allowed, false);

  const identity = engine.getCallerIdentity(session.credentials);
  assert.equal(identity.arn, session.assumedRoleArn);
  assert.equal(engine.callerFor(session.credentials).account, '111111111111');
});

test('authorize takes condition keys as an object (engine from a config object)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-node-'));
  const vpcOnly = keyturn.Engine.fromObject({
    keyring: join(dir, 'keyring.json'),
    store: { memory: true },
    accounts: [
      {
        id: '123456789012',
        users: [
          {
            name: 'svc',
            inline_policies: {
              vpc: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: 's3:GetObject',
                    Resource: 'arn:aws:s3:::data/*',
                    Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } },
                  },
                ],
              },
            },
          },
        ],
      },
    ],
  });
  const caller = vpcOnly.callerFor(vpcOnly.credentials('svc'));
  const resource = 'arn:aws:s3:::data/a.txt';
  assert.equal(vpcOnly.authorize(caller, 's3:GetObject', resource, { 'aws:SourceVpc': 'vpc-1' }).allowed, true);
  assert.equal(vpcOnly.authorize(caller, 's3:GetObject', resource, { 'aws:SourceVpc': ['vpc-2'] }).allowed, false);
  assert.equal(vpcOnly.authorize(caller, 's3:GetObject', resource).allowed, false);
  assert.throws(() => vpcOnly.authorize(caller, 's3:GetObject', resource, [1]), {
    code: 'InvalidParameterValue',
  });
});

test('errors are Error objects whose code is the AWS error code', () => {
  const cases = [
    [() => engine.assumeRole(alice, { roleArn: 'arn:aws:iam::111111111111:role/Nope', roleSessionName: 'xx' }), 'AccessDenied', /alice is not authorized to perform: sts:AssumeRole/],
    [() => engine.assumeRole(alice, { roleArn: UPDATE_APP, roleSessionName: 'x' }), 'ValidationError', /roleSessionName/],
    [() => engine.credentials('nobody'), 'NoSuchEntity', /nobody/],
    [() => engine.getCallerIdentity({ ...alice, secretAccessKey: 'wrong' }), 'SignatureDoesNotMatch', /signature/],
    [() => keyturn.Engine.fromString('accounts:\n  - id: "12"\n'), 'ConfigError', /account id/],
    [() => keyturn.Engine.fromPath('/nonexistent/keyturn.yaml'), 'ConfigError', /nonexistent/],
    [() => keyturn.Engine.fromObject({ acounts: [] }), 'ConfigError', /acounts/],
    [() => engine.setTime(0), 'InvalidArgument', /system clock/],
  ];
  for (const [call, code, message] of cases) {
    assert.throws(call, (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.code, code);
      assert.match(e.message, message);
      return true;
    });
  }
});

test('a fixed clock replays a request botocore signed (the C tests capture)', () => {
  const data = join(repo, 'bindings', 'c', 'tests', 'data');
  const raw = readFileSync(join(data, 'boto3-s3-get.http'), 'latin1');
  const at = Number(readFileSync(join(data, 'boto3-s3-get.time'), 'utf8')) * 1000;
  const [head] = raw.split('\r\n\r\n');
  const [requestLine, ...lines] = head.split('\r\n');
  const [method, url] = requestLine.split(' ');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));

  const replay = keyturn.Engine.fromString(seedConfig(), { fixedTime: at });
  assert.equal(replay.verifyRequest({ method, url, headers }, 's3').arn, 'arn:aws:iam::222222222222:user/alice');
  replay.setTime(at + 3600 * 1000);
  assert.throws(() => replay.verifyRequest({ method, url, headers }, 's3'), { code: 'SignatureDoesNotMatch' });
});

test('getFederationToken, getAccessKeyInfo and decodeAuthorizationMessage', () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }],
  });
  // alice's policies do not allow sts:GetFederationToken.
  assert.throws(() => engine.getFederationToken(alice, { name: 'node-fed', policy }), (e) => e.code === 'AccessDenied');
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-node-fed-'));
  const broker = keyturn.Engine.fromObject({
    keyring: join(dir, 'keyring.json'),
    store: { memory: true },
    accounts: [
      {
        id: '333333333333',
        users: [
          {
            name: 'broker',
            inline_policies: {
              federate: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 'sts:GetFederationToken', Resource: '*' }],
              },
            },
          },
        ],
      },
    ],
  });
  const brokerKeys = broker.credentials('broker');
  const fed = broker.getFederationToken(brokerKeys, { name: 'node-fed', policy, durationSeconds: 900 });
  assert.equal(fed.federatedUserArn, 'arn:aws:sts::333333333333:federated-user/node-fed');
  assert.equal(fed.federatedUserId, '333333333333:node-fed');
  assert.match(fed.credentials.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(broker.getCallerIdentity(fed.credentials).arn, fed.federatedUserArn);
  // Temporary credentials cannot call GetFederationToken, as AWS documents.
  assert.throws(() => broker.getFederationToken(fed.credentials, { name: 'again' }), (e) => e.code === 'AccessDenied');

  assert.equal(engine.getAccessKeyInfo(alice, alice.accessKeyId), '222222222222');
  assert.equal(engine.getAccessKeyInfo(alice, 'ASIAY34FZKBOKMUTVV7A'), '609629065308');

  // A denial's encoded message, decoded by a caller allowed sts:DecodeAuthorizationMessage
  // (the seed's UpdateApp role may decode).
  const session = engine.assumeRole(alice, { roleArn: UPDATE_APP, roleSessionName: 'node-decode' });
  const caller = engine.callerFor(session.credentials);
  const denied = engine.authorize(caller, 's3:DeleteBucket', 'arn:aws:s3:::productionapp');
  assert.equal(denied.allowed, false);
  assert.ok(denied.encodedMessage, 'a denial carries an encoded message');
  const decoded = JSON.parse(engine.decodeAuthorizationMessage(session.credentials, denied.encodedMessage));
  assert.equal(decoded.allowed, false);
  assert.equal(decoded.context.action, 's3:DeleteBucket');
  assert.equal(decoded.context.resource, 'arn:aws:s3:::productionapp');
  assert.throws(
    () => engine.decodeAuthorizationMessage(session.credentials, 'bm90IGEgbWVzc2FnZQ=='),
    (e) => e.code === 'InvalidAuthorizationMessageException',
  );
});
