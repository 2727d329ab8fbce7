// @aws-sdk/client-sts against the in-process server: AssumeRole as alice, then
// GetCallerIdentity with the role session's credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  STSClient,
  AssumeRoleCommand,
  GetCallerIdentityCommand,
} from '@aws-sdk/client-sts';
import { keyturn, seedConfig, UPDATE_APP } from './helpers.mjs';

test('AssumeRole then GetCallerIdentity through the SDK', async () => {
  const engine = keyturn.Engine.fromString(seedConfig());
  const server = await keyturn.Server.start(engine);
  try {
    assert.match(server.endpointUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    const alice = new STSClient({
      endpoint: server.endpointUrl,
      region: server.region,
      credentials: server.credentials('alice'),
    });
    const me = await alice.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, 'arn:aws:iam::222222222222:user/alice');

    const assumed = await alice.send(
      new AssumeRoleCommand({ RoleArn: UPDATE_APP, RoleSessionName: 'deploy' }),
    );
    assert.match(assumed.Credentials.AccessKeyId, /^ASIA/);
    assert.equal(
      assumed.AssumedRoleUser.Arn,
      'arn:aws:sts::111111111111:assumed-role/UpdateApp/deploy',
    );

    const role = new STSClient({
      endpoint: server.endpointUrl,
      region: server.region,
      credentials: {
        accessKeyId: assumed.Credentials.AccessKeyId,
        secretAccessKey: assumed.Credentials.SecretAccessKey,
        sessionToken: assumed.Credentials.SessionToken,
      },
    });
    const who = await role.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Account, '111111111111');
    assert.equal(who.Arn, 'arn:aws:sts::111111111111:assumed-role/UpdateApp/deploy');
    assert.match(who.UserId, /^AROA[A-Z0-9]+:deploy$/);

    // The server's errors reach the SDK with AWS's codes.
    await assert.rejects(
      alice.send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::111111111111:role/Nope',
          RoleSessionName: 'deploy',
        }),
      ),
      (e) => e.name === 'AccessDenied' && /is not authorized to perform: sts:AssumeRole/.test(e.message),
    );
    alice.destroy();
    role.destroy();
  } finally {
    await server.stop();
    await server.stop(); // twice is harmless
  }
});
