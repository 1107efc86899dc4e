// The HTTP layer as the AWS SDK for JavaScript v3 sees it. The JavaScript SDK
// does not check x-amz-crc32 itself (botocore does); the test client
// (lib/harness.mjs) checks it on every response, so these tests make sure the
// check works and that large, error and binary responses all carry the right
// checksum.

import {DescribeTableCommand, GetItemCommand, PutItemCommand, ScanCommand} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {assertCrcClean, crc32, expectError, keys, makeClient, S, uniqueName, useServer} from './lib/harness.mjs';

let table;
const ctx = useServer({before, after}, async (c) => {
  table = await c.createTable(keys('pk', 'S'));
});

test('the CRC-32 used for the check is the IEEE one of x-amz-crc32', () => {
  assert.equal(crc32(Buffer.from('')), 0);
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(Buffer.from('{}')), 2745614147);
});

test('the check runs on each response and catches a wrong x-amz-crc32', async () => {
  const before = ctx.ddb.crc.checked;
  await ctx.ddb.send(new DescribeTableCommand({TableName: table}));
  assert.equal(ctx.ddb.crc.checked, before + 1, 'the check ran on the response');
  assert.deepEqual(ctx.ddb.crc.mismatches, []);

  // A second client whose responses are tampered with before the check sees them.
  const c = makeClient(ctx.server.url);
  try {
    c.middlewareStack.addRelativeTo(
        (next) => async (args) => {
          const result = await next(args);
          result.response.headers['x-amz-crc32'] =
              String((Number(result.response.headers['x-amz-crc32']) + 1) >>> 0);
          return result;
        },
        {relation: 'after', toMiddleware: 'ddbTestCrc32Check', name: 'tamper'},
    );
    await c.send(new DescribeTableCommand({TableName: table}));
    assert.equal(c.crc.checked, 1);
    assert.equal(c.crc.mismatches.length, 1);
    assert.equal(c.crc.mismatches[0].operation, 'DescribeTableCommand');
  } finally {
    c.destroy();
  }
});

test('large responses (a ~1 MB Scan page of 390 KB items) carry a matching checksum', async () => {
  const big = 'x'.repeat(390 * 1024);
  for (let i = 0; i < 4; i++) {
    await ctx.ddb.send(new PutItemCommand({TableName: table, Item: {pk: S(`big${i}`), v: S(big)}}));
  }
  const got = await ctx.ddb.send(new GetItemCommand({TableName: table, Key: {pk: S('big0')}}));
  assert.equal(got.Item.v.S.length, big.length);
  let n = 0;
  let start;
  for (;;) {
    const r = await ctx.ddb.send(
        new ScanCommand({TableName: table, ...(start ? {ExclusiveStartKey: start} : {})}));
    n += r.Items.length;
    assert.ok(r.Items.every((i) => i.v.S === big));
    if (!r.LastEvaluatedKey) break;
    start = r.LastEvaluatedKey;
  }
  assert.equal(n, 4);
});

test('error responses and non-ASCII / binary payloads carry a matching checksum', async () => {
  await expectError(
      ctx.ddb.send(new GetItemCommand({TableName: uniqueName('missing'), Key: {pk: S('x')}})),
      'ResourceNotFoundException',
  );
  const text = 'héllo wörld ✓ 𝄞 \u0000 "quoted" \\ backslash';
  const bin = new Uint8Array(256).map((_, i) => i);
  await ctx.ddb.send(new PutItemCommand({TableName: table, Item: {pk: S(text), b: {B: bin}}}));
  const r = await ctx.ddb.send(new GetItemCommand({TableName: table, Key: {pk: S(text)}}));
  assert.equal(r.Item.pk.S, text);
  assert.deepEqual(Array.from(r.Item.b.B), Array.from(bin));
});

test('responses carry a request id the SDK reads', async () => {
  const r = await ctx.ddb.send(new DescribeTableCommand({TableName: table}));
  assert.equal(r.$metadata.httpStatusCode, 200);
  assert.match(r.$metadata.requestId, /^[A-Za-z0-9-]{10,}$/);
});

test('every response carried a matching x-amz-crc32', () => {
  assertCrcClean(ctx.ddb);
});
