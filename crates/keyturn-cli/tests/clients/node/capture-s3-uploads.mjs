// Captures S3 PutObject requests as the AWS SDK for JavaScript v3 (@aws-sdk/client-s3) signs and
// streams them, with a request handler that records the request instead of sending it. A
// Readable body is streamed `aws-chunked` with `STREAMING-UNSIGNED-PAYLOAD-TRAILER` and a CRC32
// trailer (the SDK's default); with `requestChecksumCalculation: "WHEN_REQUIRED"` a
// Readable of known length is sent unchunked (`UNSIGNED-PAYLOAD` over HTTPS). Prints a JSON
// list of {path (with `?query`), headers, body, content, source} (body and content in base64), as
// crates/keyturn-sigv4/tests/clients/capture_s3_uploads.py; verified by keyturn-sigv4's
// tests/chunked_js.rs.
//
// Usage: node capture-s3-uploads.mjs ACCESS_KEY_ID SECRET > uploads.json

import { Readable } from "node:stream";
import { randomBytes } from "node:crypto";
import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";

const [accessKeyId, secretAccessKey] = process.argv.slice(2);

async function readAll(body) {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string" || body instanceof Uint8Array) return Buffer.from(body);
  const parts = [];
  for await (const part of body) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

function client(captured, extra = {}) {
  return new S3Client({
    region: "us-east-1",
    endpoint: "https://s3.us-east-1.amazonaws.com",
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
    ...extra,
    requestHandler: {
      async handle(request) {
        const body = await readAll(request.body);
        const query = new URLSearchParams(request.query ?? {}).toString();
        captured.push({
          path: query ? `${request.path}?${query}` : request.path,
          headers: Object.entries(request.headers),
          body: body.toString("base64"),
        });
        // A plain object of HttpResponse's shape (its package is the SDK's own dependency).
        return { response: { statusCode: 200, headers: { etag: '"0"' }, body: Readable.from([]) } };
      },
    },
  });
}

const uploads = [];
for (const [name, content, extra, params] of [
  ["stream, default checksum (CRC32)", Buffer.from("hello from the JS SDK ".repeat(50)), {}, {}],
  ["stream, SHA256 checksum", randomBytes(20_000), {}, { ChecksumAlgorithm: "SHA256" }],
  ["stream, empty", Buffer.alloc(0), {}, {}],
]) {
  const captured = [];
  const s3 = client(captured, extra);
  await s3.send(
    new PutObjectCommand({
      Bucket: "bucket",
      Key: "key",
      Body: Readable.from([content.subarray(0, content.length >> 1), content.subarray(content.length >> 1)]),
      ContentLength: content.length,
      ...params,
    }),
  );
  for (const c of captured) {
    uploads.push({ ...c, content: content.toString("base64"), source: `JS SDK ${name}` });
  }
}
process.stdout.write(JSON.stringify(uploads));
