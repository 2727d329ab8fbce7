// Engine.verifyUpload and Upload.feed/finish: real aws-chunked uploads signed with the seed's
// alice credentials (captured for the C tests by bindings/c/scripts/capture_chunked_uploads.py:
// boto3's S3 client with SigV4 and with SigV4a, and a SigV4a signed-chunk upload), fed chunk by
// chunk as they would arrive, cut at awkward places; altered copies are refused with S3's codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { keyturn, repo, seedConfig } from './helpers.mjs';

const data = join(repo, 'bindings', 'c', 'tests', 'data');

function load(name) {
  const raw = readFileSync(join(data, `chunked-${name}.http`));
  const split = raw.indexOf('\r\n\r\n');
  const [requestLine, ...lines] = raw.subarray(0, split).toString('latin1').split('\r\n');
  const [method, url] = requestLine.split(' ');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
  return {
    request: { method, url, headers },
    body: raw.subarray(split + 4),
    content: readFileSync(join(data, `chunked-${name}.content`)),
    at: Number(readFileSync(join(data, `chunked-${name}.time`), 'utf8')) * 1000,
  };
}

const UPLOADS = [
  ['sigv4-unsigned-trailer', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', false],
  ['sigv4a-unsigned-trailer', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', false],
  ['sigv4a-signed-trailer', 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER', true],
];

function start(u) {
  const engine = keyturn.Engine.fromString(seedConfig(), { fixedTime: u.at });
  const upload = engine.verifyUpload(u.request, 's3');
  assert.equal(upload.caller.arn, 'arn:aws:iam::222222222222:user/alice');
  assert.equal(upload.chunked, true);
  return upload;
}

/** Feeds `body` cut at `cuts`; the decoded bytes and the trailers. */
function feed(upload, body, cuts) {
  const out = [];
  let from = 0;
  for (const at of [...cuts, body.length]) {
    out.push(upload.feed(body.subarray(from, at)));
    from = at;
  }
  return [Buffer.concat(out), upload.finish()];
}

function awkwardCuts(body) {
  const cuts = [1];
  for (const [needle, plus] of [[';chunk-signature=', 3], ['chunk-signature=', 66], ['x-amz-checksum-', 6], ['x-amz-trailer-signature:', 30]]) {
    const i = body.indexOf(needle);
    if (i >= 0) cuts.push(i + plus);
  }
  return cuts.sort((a, b) => a - b);
}

for (const [name, payload, signed] of UPLOADS) {
  test(`${name}: verified chunk by chunk`, () => {
    const u = load(name);
    const everyByte = [...Array(u.body.length).keys()];
    const every100 = everyByte.filter((i) => i % 100 === 0);
    for (const cuts of [everyByte, every100, awkwardCuts(u.body), []]) {
      const upload = start(u);
      assert.equal(upload.payload, payload);
      const [decoded, trailers] = feed(upload, u.body, cuts);
      assert.ok(decoded.equals(u.content));
      assert.deepEqual(trailers.map((t) => t.name), ['x-amz-checksum-crc32']);
    }
  });

  test(`${name}: altered copies are refused with S3's codes`, () => {
    const u = load(name);
    const refused = (body, code) => {
      const upload = start(u);
      assert.throws(() => feed(upload, body, [100, 200]), (e) => e.code === code, code);
      // Refused for good.
      assert.throws(() => upload.feed(Buffer.from('0\r\n')), (e) => e.code === 'InvalidRequest');
    };
    const tampered = Buffer.from(u.body);
    tampered[u.body.indexOf('\r\n') + 5] ^= 1;
    refused(tampered, signed ? 'SignatureDoesNotMatch' : 'BadDigest');
    if (signed) {
      const wrong = Buffer.from(u.body);
      const at = u.body.indexOf('chunk-signature=') + 26;
      wrong[at] = wrong[at] === 0x30 ? 0x31 : 0x30;
      refused(wrong, 'SignatureDoesNotMatch');
    }
    refused(u.body.subarray(0, u.body.length - 4), 'IncompleteBody');
    const checksum = Buffer.from(u.body);
    const at = u.body.indexOf('x-amz-checksum-crc32:') + 21;
    checksum[at] = checksum[at] === 0x41 ? 0x42 : 0x41;
    refused(checksum, signed ? 'SignatureDoesNotMatch' : 'BadDigest');
  });
}

test('a plain request has no body to feed; changed chunked headers fail the seed', () => {
  const raw = readFileSync(join(data, 'boto3-s3-get.http'), 'latin1');
  const at = Number(readFileSync(join(data, 'boto3-s3-get.time'), 'utf8')) * 1000;
  const [head] = raw.split('\r\n\r\n');
  const [requestLine, ...lines] = head.split('\r\n');
  const [method, url] = requestLine.split(' ');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
  const engine = keyturn.Engine.fromString(seedConfig(), { fixedTime: at });
  const upload = engine.verifyUpload({ method, url, headers }, 's3');
  assert.equal(upload.chunked, false);
  assert.equal(upload.payload, null);
  assert.throws(() => upload.feed(Buffer.from('x')), (e) => e.code === 'InvalidRequest');

  const u = load('sigv4a-signed-trailer');
  const changed = { ...u.request, headers: { ...u.request.headers, 'x-amz-decoded-content-length': '1' } };
  const replay = keyturn.Engine.fromString(seedConfig(), { fixedTime: u.at });
  assert.throws(() => replay.verifyUpload(changed, 's3'), (e) => e.code === 'SignatureDoesNotMatch');
});
