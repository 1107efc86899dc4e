// Secondary indexes through the AWS SDK for JavaScript v3: DescribeTable's
// index descriptions, a local secondary index query, and UpdateTable adding a
// GSI to a table with items (backfilled) and deleting it.

import {BatchWriteItemCommand, DescribeTableCommand, paginateQuery, PutItemCommand, QueryCommand, ScanCommand, UpdateTableCommand,} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {assertCrcClean, expectError, keys, N, S, useServer} from './lib/harness.mjs';

const ctx = useServer({before, after});

async function waitIndexActive(table, name, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const t = (await ctx.ddb.send(new DescribeTableCommand({TableName: table}))).Table;
    const g = (t.GlobalSecondaryIndexes || []).find((x) => x.IndexName === name);
    if (g && g.IndexStatus === 'ACTIVE') return g;
    if (Date.now() > deadline) throw new Error(`index ${name} not ACTIVE`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('DescribeTable describes GSIs and LSIs', async () => {
  const k = keys('pk', 'S', 'sk', 'S');
  const table = await ctx.createTable({
    KeySchema: k.KeySchema,
    AttributeDefinitions: [
      ...k.AttributeDefinitions,
      {AttributeName: 'g', AttributeType: 'S'},
      {AttributeName: 'l', AttributeType: 'N'},
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'by-g',
        KeySchema: [{AttributeName: 'g', KeyType: 'HASH'}],
        Projection: {ProjectionType: 'INCLUDE', NonKeyAttributes: ['x']},
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'by-l',
        KeySchema: [
          {AttributeName: 'pk', KeyType: 'HASH'},
          {AttributeName: 'l', KeyType: 'RANGE'},
        ],
        Projection: {ProjectionType: 'KEYS_ONLY'},
      },
    ],
  });
  const t = (await ctx.ddb.send(new DescribeTableCommand({TableName: table}))).Table;
  const [g] = t.GlobalSecondaryIndexes;
  assert.equal(t.GlobalSecondaryIndexes.length, 1);
  assert.equal(g.IndexName, 'by-g');
  assert.equal(g.IndexStatus, 'ACTIVE');
  assert.equal(g.IndexArn, `${t.TableArn}/index/by-g`);
  assert.deepEqual(g.KeySchema, [{AttributeName: 'g', KeyType: 'HASH'}]);
  assert.deepEqual(g.Projection, {ProjectionType: 'INCLUDE', NonKeyAttributes: ['x']});
  assert.equal(g.ItemCount, 0);
  assert.equal(g.IndexSizeBytes, 0);
  const [l] = t.LocalSecondaryIndexes;
  assert.equal(t.LocalSecondaryIndexes.length, 1);
  assert.equal(l.IndexName, 'by-l');
  assert.equal(l.IndexArn, `${t.TableArn}/index/by-l`);
  assert.deepEqual(l.Projection, {ProjectionType: 'KEYS_ONLY'});

  // an LSI query in the LSI's order; a GSI INCLUDE projection returns the keys and x
  for (const [sk, lv] of [['a', 3], ['b', 1], ['c', 2], ]) {
    await ctx.ddb.send(new PutItemCommand({
      TableName: table,
      Item: {pk: S('p'), sk: S(sk), l: N(lv), g: S('G'), x: S(`x${sk}`), y: S('y')}
    }));
  }
  const lq = await ctx.ddb.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'by-l',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: {':p': S('p')}
      }),
  );
  assert.deepEqual(lq.Items, [
    {pk: S('p'), sk: S('b'), l: N(1)},
    {pk: S('p'), sk: S('c'), l: N(2)},
    {pk: S('p'), sk: S('a'), l: N(3)},
  ]);
  // an LSI fetches non-projected attributes from the base item
  const lq2 = await ctx.ddb.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'by-l',
        KeyConditionExpression: 'pk = :p AND l > :one',
        ProjectionExpression: 'sk, y',
        ExpressionAttributeValues: {':p': S('p'), ':one': N(1)},
      }),
  );
  assert.deepEqual(lq2.Items, [
    {sk: S('c'), y: S('y')},
    {sk: S('a'), y: S('y')},
  ]);
  const gq = await ctx.ddb.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'by-g',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: {':g': S('G')}
      }),
  );
  assert.equal(gq.Count, 3);
  assert.deepEqual(
      gq.Items.map((i) => Object.keys(i).sort()),
      Array(3).fill(['g', 'pk', 'sk', 'x']),
  );
});

test('UpdateTable adds a GSI to a table with items (backfilled), then deletes it', async () => {
  const table = await ctx.createTable(keys('pk', 'S'));
  for (let start = 0; start < 100; start += 25) {
    const r = await ctx.ddb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [table]: Array.from(
                {length: 25},
                (_, j) => {
                  const i = start + j;
                  const item = {pk: S(`p${String(i).padStart(3, '0')}`), n: N(i)};
                  if (i % 2 === 0) item.g = S(`G${i % 10}`);
                  return {PutRequest: {Item: item}};
                }),
          },
        }),
    );
    assert.deepEqual(r.UnprocessedItems, {});
  }
  const r = await ctx.ddb.send(
      new UpdateTableCommand({
        TableName: table,
        AttributeDefinitions: [{AttributeName: 'g', AttributeType: 'S'}],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'by-g',
              KeySchema: [
                {AttributeName: 'g', KeyType: 'HASH'},
                {AttributeName: 'pk', KeyType: 'RANGE'},
              ],
              Projection: {ProjectionType: 'ALL'},
            },
          },
        ],
      }),
  );
  const [created] = r.TableDescription.GlobalSecondaryIndexes;
  assert.equal(created.IndexName, 'by-g');
  assert.ok(['CREATING', 'ACTIVE'].includes(created.IndexStatus));
  if (created.IndexStatus === 'CREATING') assert.equal(created.Backfilling, true);
  const g = await waitIndexActive(table, 'by-g');
  assert.equal(g.ItemCount, 50);

  const items = [];
  for await (const page of paginateQuery(
      {client: ctx.ddb, pageSize: 4},
      {
        TableName: table,
        IndexName: 'by-g',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: {':g': S('G4')}
      },
      )) {
    items.push(...page.Items);
  }
  assert.deepEqual(
      items.map((i) => i.pk.S),
      ['p004', 'p014', 'p024', 'p034', 'p044', 'p054', 'p064', 'p074', 'p084', 'p094'],
  );
  assert.deepEqual(items[0], {pk: S('p004'), n: N(4), g: S('G4')});

  // maintained after the backfill
  await ctx.ddb.send(new PutItemCommand({TableName: table, Item: {pk: S('p000a'), g: S('G4')}}));
  const after = await ctx.ddb.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'by-g',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: {':g': S('G4')},
        Select: 'COUNT'
      }),
  );
  assert.equal(after.Count, 11);

  await expectError(
      ctx.ddb.send(
          new UpdateTableCommand({
            TableName: table,
            AttributeDefinitions: [{AttributeName: 'g', AttributeType: 'S'}],
            GlobalSecondaryIndexUpdates: [
              {
                Create: {
                  IndexName: 'by-g',
                  KeySchema: [{AttributeName: 'g', KeyType: 'HASH'}],
                  Projection: {ProjectionType: 'ALL'}
                }
              },
            ],
          }),
          ),
      'ValidationException',
      'Attempting to create an index which already exists',
  );

  const del = await ctx.ddb.send(new UpdateTableCommand(
      {TableName: table, GlobalSecondaryIndexUpdates: [{Delete: {IndexName: 'by-g'}}]}));
  assert.deepEqual(
      del.TableDescription.GlobalSecondaryIndexes.map((x) => x.IndexStatus),
      ['DELETING'],
  );
  const t = (await ctx.ddb.send(new DescribeTableCommand({TableName: table}))).Table;
  assert.equal(t.GlobalSecondaryIndexes, undefined);
  await expectError(
      ctx.ddb.send(new ScanCommand({TableName: table, IndexName: 'by-g'})),
      'ValidationException',
      'The table does not have the specified index: by-g',
  );
});

test('every response carried a matching x-amz-crc32', () => {
  assertCrcClean(ctx.ddb);
});
