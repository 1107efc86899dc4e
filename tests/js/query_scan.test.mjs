// Query and Scan through the AWS SDK for JavaScript v3: key conditions, order,
// pagination by LastEvaluatedKey / ExclusiveStartKey (by hand and with the
// SDK's paginators), filters, a query of a global secondary index, and
// validation messages.

import {DeleteItemCommand, paginateQuery, paginateScan, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand,} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {assertCrcClean, expectError, keys, N, S, useServer} from './lib/harness.mjs';

let table;  // pk (S), sk (N); GSI by-g: g (S) / sk (N), ALL; GSI keys-only: g (S), KEYS_ONLY
const ctx = useServer({before, after}, async (c) => {
  const k = keys('pk', 'S', 'sk', 'N');
  table = await c.createTable({
    KeySchema: k.KeySchema,
    AttributeDefinitions: [...k.AttributeDefinitions, {AttributeName: 'g', AttributeType: 'S'}],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'by-g',
        KeySchema: [
          {AttributeName: 'g', KeyType: 'HASH'},
          {AttributeName: 'sk', KeyType: 'RANGE'},
        ],
        Projection: {ProjectionType: 'ALL'},
      },
      {
        IndexName: 'g-keys',
        KeySchema: [{AttributeName: 'g', KeyType: 'HASH'}],
        Projection: {ProjectionType: 'KEYS_ONLY'},
      },
    ],
  });
  // p1: sk 0..19, every item has g = G<sk % 3>; p2: sk 0..4, no g (not indexed)
  for (let i = 0; i < 20; i++) {
    await c.ddb.send(
        new PutItemCommand({
          TableName: table,
          Item: {pk: S('p1'), sk: N(i), g: S(`G${i % 3}`), v: S(`v${i}`), even: {BOOL: i % 2 === 0}}
        }),
    );
  }
  for (let i = 0; i < 5; i++) {
    await c.ddb.send(
        new PutItemCommand({TableName: table, Item: {pk: S('p2'), sk: N(i), v: S(`w${i}`)}}));
  }
});

const range = (a, b) => Array.from({length: b - a}, (_, i) => a + i);
const sks = (items) => items.map((i) => Number(i.sk.N));

test(
    'Query by hash key returns items in range-key order, ScanIndexForward=false reverses',
    async () => {
      const q = {
        TableName: table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: {':p': S('p1')}
      };
      const r = await ctx.ddb.send(new QueryCommand(q));
      assert.equal(r.Count, 20);
      assert.equal(r.ScannedCount, 20);
      assert.deepEqual(sks(r.Items), range(0, 20));
      assert.equal(r.LastEvaluatedKey, undefined);
      assert.deepEqual(
          r.Items[3], {pk: S('p1'), sk: N(3), g: S('G0'), v: S('v3'), even: {BOOL: false}});
      const rev = await ctx.ddb.send(new QueryCommand({...q, ScanIndexForward: false}));
      assert.deepEqual(sks(rev.Items), range(0, 20).reverse());
    });

test('Query with range conditions and a filter', async () => {
  const between = await ctx.ddb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: {':p': S('p1'), ':lo': N(5), ':hi': N(9)},
      }),
  );
  assert.deepEqual(sks(between.Items), [5, 6, 7, 8, 9]);
  const filtered = await ctx.ddb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :p AND sk >= :lo',
        FilterExpression: 'even = :t',
        ExpressionAttributeValues: {':p': S('p1'), ':lo': N(10), ':t': {BOOL: true}},
      }),
  );
  assert.deepEqual(sks(filtered.Items), [10, 12, 14, 16, 18]);
  assert.equal(filtered.Count, 5);
  assert.equal(filtered.ScannedCount, 10);
  const counted = await ctx.ddb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :p AND sk < :hi',
        ExpressionAttributeValues: {':p': S('p1'), ':hi': N(4)},
        Select: 'COUNT',
      }),
  );
  assert.equal(counted.Count, 4);
  assert.equal(counted.Items, undefined);
});

test('Query pagination: Limit, LastEvaluatedKey round-trip as ExclusiveStartKey', async () => {
  const base = {
    TableName: table,
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: {':p': S('p1')},
    Limit: 6,
  };
  const pages = [];
  let start;
  for (;;) {
    const r = await ctx.ddb.send(
        new QueryCommand({...base, ...(start ? {ExclusiveStartKey: start} : {})}));
    pages.push(sks(r.Items));
    if (!r.LastEvaluatedKey) break;
    // the key of the last item returned, exactly the table's key attributes
    assert.deepEqual(r.LastEvaluatedKey, {pk: S('p1'), sk: r.Items[r.Items.length - 1].sk});
    start = r.LastEvaluatedKey;
    assert.ok(pages.length < 10, 'pagination does not end');
  }
  assert.deepEqual(pages, [range(0, 6), range(6, 12), range(12, 18), range(18, 20)]);

  // A page that ends exactly at the last item still has a LastEvaluatedKey
  // (DynamoDB cannot know there is nothing more); the next page is empty.
  const exact = await ctx.ddb.send(new QueryCommand({...base, Limit: 20}));
  assert.equal(exact.Count, 20);
  assert.deepEqual(exact.LastEvaluatedKey, {pk: S('p1'), sk: N(19)});
  const after =
      await ctx.ddb.send(new QueryCommand({...base, ExclusiveStartKey: exact.LastEvaluatedKey}));
  assert.deepEqual(after.Items, []);
  assert.equal(after.LastEvaluatedKey, undefined);

  // The SDK's paginator, backwards.
  const seen = [];
  for await (const page of paginateQuery(
      {client: ctx.ddb, pageSize: 7}, {...base, Limit: undefined, ScanIndexForward: false})) {
    assert.ok(page.Items.length <= 7);
    seen.push(...sks(page.Items));
  }
  assert.deepEqual(seen, range(0, 20).reverse());
});

test('Scan pagination returns every item exactly once', async () => {
  const seen = [];
  let start;
  let pages = 0;
  for (;;) {
    const r = await ctx.ddb.send(new ScanCommand(
        {TableName: table, Limit: 4, ...(start ? {ExclusiveStartKey: start} : {})}));
    pages += 1;
    assert.ok(r.Items.length <= 4);
    seen.push(...r.Items.map((i) => `${i.pk.S}/${i.sk.N}`));
    if (!r.LastEvaluatedKey) break;
    const last = r.Items[r.Items.length - 1];
    assert.deepEqual(r.LastEvaluatedKey, {pk: last.pk, sk: last.sk});
    start = r.LastEvaluatedKey;
    assert.ok(pages < 20, 'pagination does not end');
  }
  const expected = [...range(0, 20).map((i) => `p1/${i}`), ...range(0, 5).map((i) => `p2/${i}`)];
  assert.deepEqual([...seen].sort(), [...expected].sort());
  assert.equal(new Set(seen).size, 25);
  assert.ok(pages >= 7);

  // Filtered scan through the SDK's paginator, with a projection.
  const filtered = [];
  for await (const page of paginateScan(
      {client: ctx.ddb, pageSize: 5},
      {
        TableName: table,
        FilterExpression: 'begins_with(v, :w)',
        ProjectionExpression: 'v',
        ExpressionAttributeValues: {':w': S('w')},
      },
      )) {
    filtered.push(...page.Items);
  }
  assert.deepEqual(filtered.map((i) => i.v.S).sort(), ['w0', 'w1', 'w2', 'w3', 'w4']);
  assert.deepEqual(Object.keys(filtered[0]), ['v']);
});

test('parallel Scan segments partition the table', async () => {
  const all = [];
  for (let seg = 0; seg < 3; seg++) {
    for await (const page of paginateScan(
        {client: ctx.ddb}, {TableName: table, Segment: seg, TotalSegments: 3})) {
      all.push(...page.Items.map((i) => `${i.pk.S}/${i.sk.N}`));
    }
  }
  assert.equal(all.length, 25);
  assert.equal(new Set(all).size, 25);
});

test(
    'Query of a GSI (IndexName) returns the indexed items in index order, pages carry index and table keys',
    async () => {
      const q = {
        TableName: table,
        IndexName: 'by-g',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: {':g': S('G1')},
      };
      const r = await ctx.ddb.send(new QueryCommand(q));
      assert.deepEqual(sks(r.Items), [1, 4, 7, 10, 13, 16, 19]);
      assert.deepEqual(
          r.Items[0], {pk: S('p1'), sk: N(1), g: S('G1'), v: S('v1'), even: {BOOL: false}});

      const first = await ctx.ddb.send(new QueryCommand({...q, Limit: 3}));
      assert.deepEqual(sks(first.Items), [1, 4, 7]);
      assert.deepEqual(first.LastEvaluatedKey, {g: S('G1'), sk: N(7), pk: S('p1')});
      const rest =
          await ctx.ddb.send(new QueryCommand({...q, ExclusiveStartKey: first.LastEvaluatedKey}));
      assert.deepEqual(sks(rest.Items), [10, 13, 16, 19]);

      // range condition on the index's sort key
      const gt = await ctx.ddb.send(
          new QueryCommand({
            ...q,
            KeyConditionExpression: 'g = :g AND sk > :s',
            ExpressionAttributeValues: {':g': S('G1'), ':s': N(12)}
          }),
      );
      assert.deepEqual(sks(gt.Items), [13, 16, 19]);

      // a KEYS_ONLY index returns the index and table keys only
      const ko = await ctx.ddb.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'g-keys',
            KeyConditionExpression: 'g = :g',
            ExpressionAttributeValues: {':g': S('G2')}
          }),
      );
      assert.deepEqual(
          ko.Items.map((i) => Object.keys(i).sort()), Array(ko.Count).fill(['g', 'pk', 'sk']));
      assert.deepEqual(sks(ko.Items).sort((a, b) => a - b), [2, 5, 8, 11, 14, 17]);
    });

test(
    'the GSI follows updates and deletes; items without the index key are not indexed',
    async () => {
      const key = {pk: S('p3'), sk: N(100)};
      const qG = async (g) => sks(
          (await ctx.ddb.send(
               new QueryCommand({
                 TableName: table,
                 IndexName: 'by-g',
                 KeyConditionExpression: 'g = :g',
                 ExpressionAttributeValues: {':g': S(g)}
               }),
               ))
              .Items,
      );
      await ctx.ddb.send(new PutItemCommand({TableName: table, Item: {...key, g: S('moving')}}));
      assert.deepEqual(await qG('moving'), [100]);
      await ctx.ddb.send(
          new UpdateItemCommand({
            TableName: table,
            Key: key,
            UpdateExpression: 'SET g = :g',
            ExpressionAttributeValues: {':g': S('moved')}
          }),
      );
      assert.deepEqual(await qG('moving'), []);
      assert.deepEqual(await qG('moved'), [100]);
      await ctx.ddb.send(
          new UpdateItemCommand({TableName: table, Key: key, UpdateExpression: 'REMOVE g'}));
      assert.deepEqual(await qG('moved'), []);
      await ctx.ddb.send(
          new UpdateItemCommand({
            TableName: table,
            Key: key,
            UpdateExpression: 'SET g = :g',
            ExpressionAttributeValues: {':g': S('back')}
          }),
      );
      assert.deepEqual(await qG('back'), [100]);
      await ctx.ddb.send(new DeleteItemCommand({TableName: table, Key: key}));
      assert.deepEqual(await qG('back'), []);

      // a scan of the index sees exactly the items with a g: the 20 of p1
      const idx = [];
      for await (const page of paginateScan(
          {client: ctx.ddb, pageSize: 6}, {TableName: table, IndexName: 'by-g'})) {
        idx.push(...page.Items);
      }
      assert.equal(idx.length, 20);
      assert.ok(idx.every((i) => i.pk.S === 'p1' && i.g.S.startsWith('G')));
    });

test('Query validation messages', async () => {
  await expectError(
      ctx.ddb.send(new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'sk = :s',
        ExpressionAttributeValues: {':s': N(1)}
      })),
      'ValidationException',
      'Query condition missed key schema element: pk',
  );
  await expectError(
      ctx.ddb.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: {':p': S('p1'), ':u': S('unused')},
          }),
          ),
      'ValidationException',
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:u}',
  );
  await expectError(
      ctx.ddb.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :p',
            FilterExpression: 'sk > :s',
            ExpressionAttributeValues: {':p': S('p1'), ':s': N(1)},
          }),
          ),
      'ValidationException',
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
  );
  await expectError(
      ctx.ddb.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'by-g',
            ConsistentRead: true,
            KeyConditionExpression: 'g = :g',
            ExpressionAttributeValues: {':g': S('G1')},
          }),
          ),
      'ValidationException',
      'Consistent reads are not supported on global secondary indexes',
  );
  await expectError(
      ctx.ddb.send(
          new QueryCommand({
            TableName: table,
            IndexName: 'no-such-index',
            KeyConditionExpression: 'g = :g',
            ExpressionAttributeValues: {':g': S('G1')}
          }),
          ),
      'ValidationException',
      `The table does not have the specified index: no-such-index`,
  );
});

test('every response carried a matching x-amz-crc32', () => {
  assertCrcClean(ctx.ddb);
});
