// Shared helpers for the JavaScript SDK tests (tests/js/*.test.mjs).
//
// startServer() runs `ddb-server --port 0 --in-memory` (binary: $DDB_SERVER_BIN,
// default build/bin/ddb-server), reads its port from the line
// "listening on http://127.0.0.1:<port>" and stops it by PID (SIGTERM, then
// SIGKILL if it does not exit). With DDB_ENDPOINT set, that server is used
// instead and nothing is started, unless {local: true} is passed (a test that
// needs a server started with particular flags; see EXTERNAL).
//
// makeClient() builds a DynamoDBClient (AWS SDK for JavaScript v3) with no
// retries, request timeouts, and a middleware that checks the x-amz-crc32
// header of every response against the body: the JavaScript SDK, unlike
// botocore, does not validate it itself.

import {CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..', '..');
export const SERVER_BIN =
    process.env.DDB_SERVER_BIN || path.join(REPO, 'build', 'bin', 'ddb-server');
export const REGION = process.env.AWS_DEFAULT_REGION || 'us-east-1';
const LISTEN_RE = /listening on http:\/\/127\.0\.0\.1:(\d+)/;

// True when DDB_ENDPOINT names an already-running server: tests that need a
// server of their own (started with extra flags) skip themselves then.
export const EXTERNAL = Boolean(process.env.DDB_ENDPOINT);
export const EXTERNAL_SKIP = EXTERNAL && 'DDB_ENDPOINT is set: this test starts its own server';

export function uniqueName(prefix = 'js') {
  return `${prefix}-${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

// ---------------------------------------------------------------------------
// Server process
// ---------------------------------------------------------------------------

export async function startServer(
    args = ['--in-memory'], {startupTimeoutMs = 15000, local = false} = {}) {
  if (EXTERNAL && !local) {
    return {
      url: process.env.DDB_ENDPOINT.replace(/\/$/, ''),
      external: true,
      stop: async () => null,
      log: () => ''
    };
  }
  const child = spawn(SERVER_BIN, ['--port', '0', ...args], {stdio: ['ignore', 'pipe', 'pipe']});
  const output = [];
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = {code, signal};
      resolve(exited);
    });
  });
  const port = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      reject(new Error(`server did not print its port within ${startupTimeoutMs} ms; output:\n${
          output.join('')}`));
    }, startupTimeoutMs);
    const onData = (chunk) => {
      const s = chunk.toString();
      output.push(s);
      buf += s;
      const m = LISTEN_RE.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${SERVER_BIN}: ${e.message}`));
    });
    exitPromise.then((x) => {
      clearTimeout(timer);
      reject(new Error(
          `server exited during start-up (${JSON.stringify(x)}); output:\n${output.join('')}`));
    });
  });
  const pid = child.pid;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid,
    external: false,
    log: () => output.join(''),
    // SIGTERM by PID; SIGKILL by PID if it has not exited after timeoutMs.
    // Resolves to the exit code (null when it had to be killed).
    async stop(timeoutMs = 10000) {
      if (exited) return exited.code;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      let timer;
      const timeout = new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const r = await Promise.race([exitPromise, timeout]);
      clearTimeout(timer);
      if (r === 'timeout') {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
        await exitPromise;
        return null;
      }
      return r.code;
    },
  };
}

// ---------------------------------------------------------------------------
// Client with a CRC32 check on every response
// ---------------------------------------------------------------------------

export function makeClient(url) {
  const client = new DynamoDBClient({
    endpoint: url,
    region: REGION,
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID || 'testing-access-key',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || 'testing-secret-key',
      ...(process.env.AWS_SESSION_TOKEN ? {sessionToken: process.env.AWS_SESSION_TOKEN} : {}),
    },
    maxAttempts: 1,
    requestHandler: {connectionTimeout: 5000, requestTimeout: 30000},
  });
  const crc = {checked: 0, missing: 0, mismatches: []};
  client.crc = crc;
  // Innermost middleware of the deserialize step: it sees the raw HTTP
  // response before the SDK's deserializer reads the body.
  client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const res = result.response;
        const chunks = [];
        if (res.body instanceof Uint8Array) {
          chunks.push(res.body);
        } else if (res.body) {
          for await (const c of res.body) chunks.push(Buffer.from(c));
        }
        const body = Buffer.concat(chunks);
        res.body = body;
        const header = res.headers['x-amz-crc32'];
        if (header === undefined) {
          crc.missing += 1;
        } else {
          crc.checked += 1;
          const actual = crc32(body);
          if (String(actual) !== header) {
            crc.mismatches.push(
                {operation: context.commandName, header, actual, body: body.toString()});
          }
        }
        return result;
      },
      {step: 'deserialize', name: 'ddbTestCrc32Check', priority: 'low'},
  );
  return client;
}

// CRC-32 (IEEE) as in x-amz-crc32; node's zlib.crc32 where it exists (20.15+).
let crcTable;
export function crc32(buf) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(buf) >>> 0;
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// Every response so far carried an x-amz-crc32 header that matches its body.
export function assertCrcClean(client) {
  assert.deepEqual(client.crc.mismatches, [], 'x-amz-crc32 mismatches');
  assert.equal(client.crc.missing, 0, 'responses without x-amz-crc32');
  assert.ok(client.crc.checked > 0, 'no response was checked');
}

// ---------------------------------------------------------------------------
// A server + client per test file
// ---------------------------------------------------------------------------

// Call at the top level of a test file: starts a server in before(), stops it
// in after() (failing the file if it does not exit with 0) and deletes the
// tables created through ctx.createTable. `setup(ctx)`, if given, runs in the
// same before() hook once the client is ready (node's root-level hooks are not
// reliably sequenced with each other).
//
// With `args` (e.g. ['--in-memory', '--no-throttling']) a server with those
// flags is always started, even with DDB_ENDPOINT set; call it inside a
// describe() that is skipped when EXTERNAL (its hooks then do not run), so
// that a file can hold tests against the default server and against one with
// special flags, each with its own ctx.
export function useServer({before, after, args}, setup) {
  const ctx = {server: null, ddb: null, tables: []};
  before(async () => {
    ctx.server = args ? await startServer(args, {local: true}) : await startServer();
    ctx.ddb = makeClient(ctx.server.url);
    if (setup) await setup(ctx);
  });
  after(async () => {
    if (ctx.ddb) {
      for (const t of ctx.tables) {
        try {
          await ctx.ddb.send(new DeleteTableCommand({TableName: t}));
        } catch {
          /* already deleted */
        }
      }
      ctx.ddb.destroy();
    }
    if (ctx.server) {
      const code = await ctx.server.stop();
      if (!ctx.server.external) {
        assert.equal(code, 0, `ddb-server exit code; output:\n${ctx.server.log()}`);
      }
    }
  });
  ctx.createTable = async (params) => {
    const name = params.TableName || uniqueName();
    ctx.tables.push(name);
    await ctx.ddb.send(
        new CreateTableCommand({BillingMode: 'PAY_PER_REQUEST', ...params, TableName: name}));
    await waitActive(ctx.ddb, name);
    return name;
  };
  return ctx;
}

export async function waitActive(ddb, name, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const t = (await ddb.send(new DescribeTableCommand({TableName: name}))).Table;
    const busy = t.TableStatus !== 'ACTIVE' ||
        (t.GlobalSecondaryIndexes || []).some((g) => g.IndexStatus !== 'ACTIVE');
    if (!busy) return t;
    if (Date.now() > deadline) throw new Error(`table ${name} not ACTIVE: ${t.TableStatus}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Schema helpers: keys('pk', 'S') or keys('pk', 'S', 'sk', 'N').
export function keys(hashName, hashType, rangeName, rangeType) {
  const KeySchema = [{AttributeName: hashName, KeyType: 'HASH'}];
  const AttributeDefinitions = [{AttributeName: hashName, AttributeType: hashType}];
  if (rangeName) {
    KeySchema.push({AttributeName: rangeName, KeyType: 'RANGE'});
    AttributeDefinitions.push({AttributeName: rangeName, AttributeType: rangeType});
  }
  return {KeySchema, AttributeDefinitions};
}

// Awaits `promise`, which must reject with a service error named `name` (and
// HTTP 400); with `message`, the message must be exactly that (a RegExp is
// matched instead). Returns the error.
export async function expectError(promise, name, message) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${name}, but the call succeeded`);
  assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
  assert.equal(err.$metadata?.httpStatusCode, 400, `HTTP status of ${name}`);
  assert.equal(err.$fault, 'client');
  if (message instanceof RegExp) {
    assert.match(err.message, message);
  } else if (message !== undefined) {
    assert.equal(err.message, message);
  }
  return err;
}

export const S = (s) => ({S: s});
export const N = (n) => ({N: String(n)});
