// A moto-compatible endpoint from Node (`server.compat: moto`, docs/moto.md): moto's bootstrap
// keys act as the root of 123456789012, /moto-api/reset-auth ends them, a plain engine refuses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { keyturn } from './helpers.mjs';

const TESTING = { accessKeyId: 'testing', secretAccessKey: 'testing' };

function config(compat) {
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-node-moto-'));
  const server = compat ? { compat } : {};
  return { server, store: { memory: true }, keyring: join(dir, 'keyring.json') };
}

function sts(server, region = 'us-east-1') {
  return new STSClient({ endpoint: server.endpointUrl, region, credentials: TESTING });
}

async function post(url, body) {
  const r = await fetch(url, { method: 'POST', body });
  assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
  return [r.status, await r.json()];
}

test('compat: moto serves moto bootstrap keys and its control endpoints', async () => {
  const server = await keyturn.Server.start(keyturn.Engine.fromObject(config('moto')));
  try {
    const me = await sts(server, 'eu-west-2').send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, 'arn:aws:iam::123456789012:root');
    assert.deepEqual(await post(`${server.endpointUrl}/moto-api/reset`, ''), [200, { status: 'ok' }]);
    assert.deepEqual(await post(`${server.endpointUrl}/moto-api/reset-auth`, '0'), [
      200,
      { status: 'ok', PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT: 'inf' },
    ]);
    await assert.rejects(sts(server).send(new GetCallerIdentityCommand({})), {
      name: 'InvalidClientTokenId',
    });
  } finally {
    await server.stop();
  }
});

test('a plain engine refuses the bootstrap keys', async () => {
  const plain = config(null);
  plain.accounts = [{ id: '123456789012' }];
  const server = await keyturn.Server.start(keyturn.Engine.fromObject(plain));
  try {
    await assert.rejects(sts(server).send(new GetCallerIdentityCommand({})), {
      name: 'InvalidClientTokenId',
    });
    const r = await fetch(`${server.endpointUrl}/moto-api/reset`, { method: 'POST' });
    assert.notEqual(r.status, 200);
  } finally {
    await server.stop();
  }
});
