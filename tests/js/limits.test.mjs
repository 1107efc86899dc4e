// Index-read errors, batch limits and DescribeLimits through the AWS SDK for
// JavaScript v3, with the messages tests/wire/test_indexes.py and
// test_batch.py pin: ConsistentRead on a GSI rejected (allowed on an LSI), an
// unknown IndexName, BatchWriteItem duplicates / more than 25 requests / empty
// requests, BatchGetItem more than 100 keys (over several tables too), and the
// limits DescribeLimits reports.

import {BatchGetItemCommand, BatchWriteItemCommand, DescribeLimitsCommand, GetItemCommand, QueryCommand, ScanCommand,} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {assertCrcClean, expectError, keys, N, S, useServer} from './lib/harness.mjs';

const DUPLICATES = 'Provided list of item keys contains duplicates';

let t;  // pk (S), sk (S); GSI by-g (g, sk); LSI by-l (pk, l N)
let u;  // pk (S)
const ctx = useServer({before, after}, async (c) => {
  t = await c.createTable({
    ...keys('pk', 'S', 'sk', 'S'),
    AttributeDefinitions: [
      {AttributeName: 'pk', AttributeType: 'S'},
      {AttributeName: 'sk', AttributeType: 'S'},
      {AttributeName: 'g', AttributeType: 'S'},
      {AttributeName: 'l', AttributeType: 'N'},
    ],
    GlobalSecondaryIndexes: [{
      IndexName: 'by-g',
      KeySchema: [{AttributeName: 'g', KeyType: 'HASH'}, {AttributeName: 'sk', KeyType: 'RANGE'}],
      Projection: {ProjectionType: 'ALL'},
    }],
    LocalSecondaryIndexes: [{
      IndexName: 'by-l',
      KeySchema: [{AttributeName: 'pk', KeyType: 'HASH'}, {AttributeName: 'l', KeyType: 'RANGE'}],
      Projection: {ProjectionType: 'KEYS_ONLY'},
    }],
  });
  u = await c.createTable(keys('pk', 'S'));
});
const send = (cmd) => ctx.ddb.send(cmd);

test('ConsistentRead on a GSI is rejected for Query and Scan; allowed on an LSI', async () => {
  const msg = 'Consistent reads are not supported on global secondary indexes';
  await expectError(
      send(new QueryCommand({
        TableName: t,
        IndexName: 'by-g',
        ConsistentRead: true,
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: {':g': S('G')},
      })),
      'ValidationException', msg);
  await expectError(
      send(new ScanCommand({TableName: t, IndexName: 'by-g', ConsistentRead: true})),
      'ValidationException', msg);
  const q = await send(new QueryCommand({
    TableName: t,
    IndexName: 'by-l',
    ConsistentRead: true,
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: {':p': S('P')},
  }));
  assert.equal(q.Count, 0);
  const s = await send(new ScanCommand({TableName: t, IndexName: 'by-l', ConsistentRead: true}));
  assert.equal(s.Count, 0);
});

test('an unknown IndexName is rejected for Query and Scan', async () => {
  await expectError(
      send(new ScanCommand({TableName: t, IndexName: 'nope'})), 'ValidationException',
      'The table does not have the specified index: nope');
  await expectError(
      send(new QueryCommand({
        TableName: t,
        IndexName: 'missing-index',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: {':g': S('G')},
      })),
      'ValidationException', 'The table does not have the specified index: missing-index');
  // A table without any index.
  await expectError(
      send(new ScanCommand({TableName: u, IndexName: 'by-g'})), 'ValidationException',
      'The table does not have the specified index: by-g');
});

test('BatchWriteItem rejects duplicate keys in any combination, applying nothing', async () => {
  const cases = [
    [
      {PutRequest: {Item: {pk: S('d'), sk: S('1')}}},
      {PutRequest: {Item: {pk: S('d'), sk: S('1'), v: N(2)}}}
    ],
    [
      {DeleteRequest: {Key: {pk: S('d'), sk: S('1')}}},
      {PutRequest: {Item: {pk: S('d'), sk: S('1')}}}
    ],
    [
      {PutRequest: {Item: {pk: S('d'), sk: S('2')}}},
      {DeleteRequest: {Key: {pk: S('d'), sk: S('1')}}},
      {DeleteRequest: {Key: {pk: S('d'), sk: S('1')}}},
    ],
  ];
  for (const reqs of cases) {
    await expectError(
        send(new BatchWriteItemCommand(
            {RequestItems: {[t]: reqs, [u]: [{PutRequest: {Item: {pk: S('d')}}}]}})),
        'ValidationException', DUPLICATES);
  }
  for (const [table, key] of [
           [t, {pk: S('d'), sk: S('1')}], [t, {pk: S('d'), sk: S('2')}], [u, {pk: S('d')}]]) {
    const g = await send(new GetItemCommand({TableName: table, Key: key, ConsistentRead: true}));
    assert.equal(g.Item, undefined, JSON.stringify(key));
  }
  // The same key in two tables is not a duplicate.
  const r = await send(new BatchWriteItemCommand({
    RequestItems: {
      [u]: [{PutRequest: {Item: {pk: S('d')}}}],
      [t]: [{PutRequest: {Item: {pk: S('d'), sk: S('1')}}}]
    },
  }));
  assert.deepEqual(r.UnprocessedItems, {});
});

test('BatchWriteItem takes 1 to 25 requests', async () => {
  const reqs = (n, p) =>
      Array.from({length: n}, (_, i) => ({PutRequest: {Item: {pk: S(`${p}${i}`)}}}));
  await expectError(
      send(new BatchWriteItemCommand({RequestItems: {[u]: reqs(26, 'over')}})),
      'ValidationException', /Member must have length less than or equal to 25/);
  // 26 over two tables (13 + 13) is too many as well.
  const err = await expectError(
      send(new BatchWriteItemCommand({
        RequestItems: {
          [u]: reqs(13, 'split'),
          [t]: Array.from(
              {length: 13}, (_, i) => ({PutRequest: {Item: {pk: S('split'), sk: S(String(i))}}})),
        },
      })),
      'ValidationException');
  assert.equal(err.message, 'Too many items requested for the BatchWriteItem call');
  const g = await send(new GetItemCommand({TableName: u, Key: {pk: S('split0')}}));
  assert.equal(g.Item, undefined);
  await expectError(
      send(new BatchWriteItemCommand({RequestItems: {}})), 'ValidationException',
      '1 validation error detected: Value \'{}\' at \'requestItems\' failed to satisfy ' +
          'constraint: Member must have length greater than or equal to 1');
  await expectError(
      send(new BatchWriteItemCommand({RequestItems: {[u]: []}})), 'ValidationException',
      /at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/);
  const r = await send(new BatchWriteItemCommand({RequestItems: {[u]: reqs(25, 'ok')}}));
  assert.deepEqual(r.UnprocessedItems, {});
});

test('BatchGetItem takes up to 100 keys, over all its tables', async () => {
  const TOO_MANY = 'Too many items requested for the BatchGetItem call';
  const ukeys = (n) => Array.from({length: n}, (_, i) => ({pk: S(`bg${i}`)}));
  // One table's Keys over 100 break the list's length constraint (dynalite's
  // test/batchGetItem.js, run against DynamoDB); over 100 across tables is
  // TOO_MANY.
  await expectError(
      send(new BatchGetItemCommand({RequestItems: {[u]: {Keys: ukeys(101)}}})),
      'ValidationException',
      /^1 validation error detected: Value '\[.+\]' at 'requestItems\..+\.member\.keys' failed to satisfy constraint: Member must have length less than or equal to 100$/);
  await expectError(
      send(new BatchGetItemCommand({
        RequestItems: {
          [u]: {Keys: ukeys(51)},
          [t]: {Keys: Array.from({length: 50}, (_, i) => ({pk: S('bg'), sk: S(String(i))}))},
        },
      })),
      'ValidationException', TOO_MANY);
  await expectError(
      send(new BatchGetItemCommand(
          {RequestItems: {[t]: {Keys: [{pk: S('x'), sk: S('1')}, {pk: S('x'), sk: S('1')}]}}})),
      'ValidationException', DUPLICATES);
  await expectError(
      send(new BatchGetItemCommand({RequestItems: {}})), 'ValidationException',
      '1 validation error detected: Value \'{}\' at \'requestItems\' failed to satisfy ' +
          'constraint: Member must have length greater than or equal to 1');
  const r = await send(new BatchGetItemCommand({RequestItems: {[u]: {Keys: ukeys(100)}}}));
  assert.deepEqual(r.Responses, {[u]: []});
  assert.deepEqual(r.UnprocessedKeys, {});
});

test('DescribeLimits reports the account and table limits', async () => {
  const r = await send(new DescribeLimitsCommand({}));
  const {$metadata, ...limits} = r;
  assert.equal($metadata.httpStatusCode, 200);
  assert.deepEqual(limits, {
    AccountMaxReadCapacityUnits: 80000,
    AccountMaxWriteCapacityUnits: 80000,
    TableMaxReadCapacityUnits: 40000,
    TableMaxWriteCapacityUnits: 40000,
  });
});

test('every response carried a matching x-amz-crc32', () => {
  assertCrcClean(ctx.ddb);
});
