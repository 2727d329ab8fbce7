// Shared by the tests: the seed scenario's configuration with a throw-away keyring and an
// in-memory store.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const keyturn = require('../index.js');

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, '..', '..', '..');

/** The seed scenario (docs/examples/cross-account.yaml), keyring in a fresh directory. */
export function seedConfig() {
  const dir = mkdtempSync(join(tmpdir(), 'keyturn-node-'));
  return readFileSync(join(repo, 'docs', 'examples', 'cross-account.yaml'), 'utf8')
    .replace(/^keyring:.*$/m, `keyring: ${join(dir, 'keyring.json')}`)
    .replace(/^ {2}sqlite: .*$/m, '  memory: true')
    .replace(/^ {2}audit_log: .*$/m, '');
}

export const UPDATE_APP = 'arn:aws:iam::111111111111:role/UpdateApp';
