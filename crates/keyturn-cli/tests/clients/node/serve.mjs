// `keyturn serve` in a child process on a free loopback port, for the node:test suites.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, "../../../../..");
export const keyturnBin = process.env.KEYTURN_BIN ?? join(repo, "target", "debug", "keyturn");

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

/**
 * Starts `keyturn serve` on `configText` (YAML or JSON) in a fresh temporary directory, after
 * `prepare(workdir)` has written any files the configuration names. Resolves when the server
 * accepts connections; `stop()` sends SIGTERM, waits, and removes the directory.
 */
export async function startKeyturn(configText, prepare = () => {}) {
  const workdir = mkdtempSync(join(tmpdir(), "keyturn-node-"));
  await prepare(workdir);
  const config = join(workdir, "keyturn.yaml");
  writeFileSync(config, configText);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = "";
  const server = spawn(keyturnBin, ["serve", "--config", config, "--listen", `127.0.0.1:${port}`], {
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
  async function stop() {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
    rmSync(workdir, { recursive: true, force: true });
  }
  return { endpoint, workdir, stop, output: () => output };
}

// Awaits `call`, which must be refused with the SDK error named `name` (the wire code, or the
// modelled exception class it maps to), HTTP `status`, a request id and, when given, `message`.
// Returns the error.
export async function rejectsWith(call, name, status, message) {
  let refusal;
  await assert.rejects(call, (err) => {
    refusal = err;
    assert.equal(err.name, name);
    if (message !== undefined) {
      assert.equal(err.message, message);
    }
    assert.equal(err.$metadata.httpStatusCode, status);
    assert.ok(err.$metadata.requestId, "request id");
    return true;
  });
  return refusal;
}
