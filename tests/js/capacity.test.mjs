// ReturnConsumedCapacity=INDEXES through the AWS SDK for JavaScript v3: the
// cost broken down per table and per index for writes, reads of an index,
// batches and transactions, with the numbers tests/wire/test_capacity_indexes.py
// pins (an index entry added or removed costs one write of its projected size,
// a moved index key two, an item outside the index nothing; reads of an index
// charge the index; transactions double the table, not the indexes).
// Also ReturnItemCollectionMetrics=SIZE on a table with an LSI, the
// item-collection size limit (a server started with the hidden flag
// --item-collection-limit-bytes 10000) and the 4 MB transaction size limit.

import {BatchGetItemCommand, BatchWriteItemCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, TransactGetItemsCommand, TransactWriteItemsCommand, UpdateItemCommand,} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';

import {assertCrcClean, expectError, EXTERNAL_SKIP, keys, S, useServer} from './lib/harness.mjs';

const TX_TOO_LARGE = 'Transaction size has exceeded the maximum allowed size';

const units = (n) => ({WriteCapacityUnits: n, CapacityUnits: n});
const runits = (n) => ({ReadCapacityUnits: n, CapacityUnits: n});

// pk/sk table; GSI 'all' (g, ALL), GSI 'keys' (g, KEYS_ONLY), LSI 'lsi' (pk/l, INCLUDE x).
const INDEXED = {
  ...keys('pk', 'S', 'sk', 'S'),
  AttributeDefinitions: [
    {AttributeName: 'pk', AttributeType: 'S'},
    {AttributeName: 'sk', AttributeType: 'S'},
    {AttributeName: 'g', AttributeType: 'S'},
    {AttributeName: 'l', AttributeType: 'S'},
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'all',
      KeySchema: [{AttributeName: 'g', KeyType: 'HASH'}],
      Projection: {ProjectionType: 'ALL'}
    },
    {
      IndexName: 'keys',
      KeySchema: [{AttributeName: 'g', KeyType: 'HASH'}],
      Projection: {ProjectionType: 'KEYS_ONLY'},
    },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: 'lsi',
      KeySchema: [{AttributeName: 'pk', KeyType: 'HASH'}, {AttributeName: 'l', KeyType: 'RANGE'}],
      Projection: {ProjectionType: 'INCLUDE', NonKeyAttributes: ['x']},
    },
  ],
};

let t;      // INDEXED
let plain;  // pk (S), no index
const ctx = useServer({before, after}, async (c) => {
  t = await c.createTable(INDEXED);
  plain = await c.createTable(keys('pk', 'S'));
});
const send = (cmd) => ctx.ddb.send(cmd);

test('PutItem into every index: INDEXES breaks the cost down', async () => {
  const r = await send(new PutItemCommand({
    TableName: t,
    Item: {pk: S('p'), sk: S('1'), g: S('G'), l: S('L'), x: S('X')},
    ReturnConsumedCapacity: 'INDEXES',
  }));
  assert.deepEqual(r.ConsumedCapacity, {
    TableName: t,
    CapacityUnits: 4,
    WriteCapacityUnits: 4,
    Table: units(1),
    GlobalSecondaryIndexes: {all: units(1), keys: units(1)},
    LocalSecondaryIndexes: {lsi: units(1)},
  });
});

test('TOTAL includes the index writes', async () => {
  const r = await send(new PutItemCommand(
      {TableName: t, Item: {pk: S('p'), sk: S('2'), g: S('G')}, ReturnConsumedCapacity: 'TOTAL'}));
  assert.deepEqual(r.ConsumedCapacity, {TableName: t, CapacityUnits: 3, WriteCapacityUnits: 3});
});

test('an item outside every index costs the table only', async () => {
  const r = await send(new PutItemCommand(
      {TableName: t, Item: {pk: S('p'), sk: S('3')}, ReturnConsumedCapacity: 'INDEXES'}));
  assert.deepEqual(
      r.ConsumedCapacity, {TableName: t, CapacityUnits: 1, WriteCapacityUnits: 1, Table: units(1)});
});

test('index entries cost their projected size', async () => {
  // ~3,000 bytes: 3 units on the table and the ALL index, 1 on KEYS_ONLY.
  const r = await send(new PutItemCommand({
    TableName: t,
    Item: {pk: S('p'), sk: S('4'), g: S('G'), d: S('x'.repeat(3000))},
    ReturnConsumedCapacity: 'INDEXES',
  }));
  const c = r.ConsumedCapacity;
  assert.deepEqual(c.Table, units(3));
  assert.deepEqual(c.GlobalSecondaryIndexes, {all: units(3), keys: units(1)});
  assert.equal(c.CapacityUnits, 7);
});

test('UpdateItem moving an index key costs two writes per index', async () => {
  const key = {pk: S('p'), sk: S('5')};
  await send(new PutItemCommand({TableName: t, Item: {...key, g: S('G1')}}));
  const r = await send(new UpdateItemCommand({
    TableName: t,
    Key: key,
    UpdateExpression: 'SET g = :g',
    ExpressionAttributeValues: {':g': S('G2')},
    ReturnConsumedCapacity: 'INDEXES',
  }));
  const c = r.ConsumedCapacity;
  assert.deepEqual(c.Table, units(1));
  assert.deepEqual(c.GlobalSecondaryIndexes, {all: units(2), keys: units(2)});
  assert.equal(c.CapacityUnits, 5);
});

test('UpdateItem of a non-projected attribute skips the KEYS_ONLY index', async () => {
  const key = {pk: S('p'), sk: S('6')};
  await send(new PutItemCommand({TableName: t, Item: {...key, g: S('G'), d: S('1')}}));
  const r = await send(new UpdateItemCommand({
    TableName: t,
    Key: key,
    UpdateExpression: 'SET d = :d',
    ExpressionAttributeValues: {':d': S('2')},
    ReturnConsumedCapacity: 'INDEXES',
  }));
  assert.deepEqual(r.ConsumedCapacity.GlobalSecondaryIndexes, {all: units(1)});
  assert.equal(r.ConsumedCapacity.CapacityUnits, 2);
});

test('UpdateItem removing the index key, then DeleteItem', async () => {
  const key = {pk: S('p'), sk: S('7')};
  await send(new PutItemCommand({TableName: t, Item: {...key, g: S('G'), l: S('L')}}));
  let r = await send(new UpdateItemCommand(
      {TableName: t, Key: key, UpdateExpression: 'REMOVE g', ReturnConsumedCapacity: 'INDEXES'}));
  assert.deepEqual(r.ConsumedCapacity.GlobalSecondaryIndexes, {all: units(1), keys: units(1)});
  // The LSI entry stays, but it projects nothing that changed.
  assert.equal(r.ConsumedCapacity.LocalSecondaryIndexes, undefined);
  r = await send(
      new DeleteItemCommand({TableName: t, Key: key, ReturnConsumedCapacity: 'INDEXES'}));
  assert.deepEqual(r.ConsumedCapacity, {
    TableName: t,
    CapacityUnits: 2,
    WriteCapacityUnits: 2,
    Table: units(1),
    LocalSecondaryIndexes: {lsi: units(1)},
  });
});

test('GetItem with INDEXES charges the table', async () => {
  await send(new PutItemCommand({TableName: t, Item: {pk: S('p'), sk: S('8'), g: S('G')}}));
  const r = await send(new GetItemCommand({
    TableName: t,
    Key: {pk: S('p'), sk: S('8')},
    ConsistentRead: true,
    ReturnConsumedCapacity: 'INDEXES',
  }));
  assert.deepEqual(
      r.ConsumedCapacity, {TableName: t, CapacityUnits: 1, ReadCapacityUnits: 1, Table: runits(1)});
});

test('Query of a GSI charges the index', async () => {
  const g = randomUUID();
  for (let i = 0; i < 3; i++) {
    await send(new PutItemCommand(
        {TableName: t, Item: {pk: S('q'), sk: S(String(i)), g: S(g), d: S('x'.repeat(3000))}}));
  }
  let r = await send(new QueryCommand({
    TableName: t,
    IndexName: 'all',
    KeyConditionExpression: 'g = :g',
    ExpressionAttributeValues: {':g': S(g)},
    ReturnConsumedCapacity: 'INDEXES',
  }));
  assert.equal(r.Count, 3);
  // ~9,100 bytes: 3 x 4 KB, halved (GSI reads are eventually consistent).
  assert.deepEqual(r.ConsumedCapacity, {
    TableName: t,
    CapacityUnits: 1.5,
    ReadCapacityUnits: 1.5,
    Table: runits(0),
    GlobalSecondaryIndexes: {all: runits(1.5)},
  });
  // The KEYS_ONLY index holds small entries: the minimum.
  r = await send(new QueryCommand({
    TableName: t,
    IndexName: 'keys',
    KeyConditionExpression: 'g = :g',
    ExpressionAttributeValues: {':g': S(g)},
    ReturnConsumedCapacity: 'TOTAL',
  }));
  assert.deepEqual(r.ConsumedCapacity, {TableName: t, CapacityUnits: 0.5, ReadCapacityUnits: 0.5});
});

test('Query of an LSI fetching unprojected attributes charges index and table', async () => {
  const p = randomUUID();
  for (let i = 0; i < 2; i++) {
    await send(new PutItemCommand({
      TableName: t,
      Item: {pk: S(p), sk: S(String(i)), l: S(String(i)), x: S('x'), d: S('y'.repeat(5000))},
    }));
  }
  const base = {
    TableName: t,
    IndexName: 'lsi',
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: {':p': S(p)},
    ConsistentRead: true,
    ReturnConsumedCapacity: 'INDEXES',
  };
  let r = await send(new QueryCommand(base));
  assert.deepEqual(r.ConsumedCapacity.LocalSecondaryIndexes, {lsi: runits(1)});
  assert.deepEqual(r.ConsumedCapacity.Table, runits(0));
  // d is not projected: the two ~5 KB items are fetched from the table.
  r = await send(new QueryCommand({...base, Select: 'ALL_ATTRIBUTES'}));
  assert.deepEqual(r.Items[0].d, S('y'.repeat(5000)));
  assert.deepEqual(r.ConsumedCapacity.LocalSecondaryIndexes, {lsi: runits(1)});
  assert.deepEqual(r.ConsumedCapacity.Table, runits(3));
  assert.equal(r.ConsumedCapacity.CapacityUnits, 4);
});

test('Scan of a GSI charges the index', async () => {
  await send(new PutItemCommand({TableName: t, Item: {pk: S('s'), sk: S('1'), g: S('G')}}));
  const r = await send(
      new ScanCommand({TableName: t, IndexName: 'keys', ReturnConsumedCapacity: 'INDEXES'}));
  assert.deepEqual(r.ConsumedCapacity.GlobalSecondaryIndexes, {keys: runits(0.5)});
  assert.deepEqual(r.ConsumedCapacity.Table, runits(0));
});

test('BatchWriteItem: INDEXES per table', async () => {
  const r = await send(new BatchWriteItemCommand({
    RequestItems: {
      [t]: [
        {PutRequest: {Item: {pk: S('b'), sk: S('1'), g: S('G')}}},
        {PutRequest: {Item: {pk: S('b'), sk: S('2')}}},
      ],
      [plain]: [{PutRequest: {Item: {pk: S('b')}}}],
    },
    ReturnConsumedCapacity: 'INDEXES',
  }));
  assert.deepEqual(r.UnprocessedItems, {});
  const by = Object.fromEntries(r.ConsumedCapacity.map((c) => [c.TableName, c]));
  assert.equal(r.ConsumedCapacity.length, 2);
  assert.deepEqual(by[t], {
    TableName: t,
    CapacityUnits: 4,
    WriteCapacityUnits: 4,
    Table: units(2),
    GlobalSecondaryIndexes: {all: units(1), keys: units(1)},
  });
  assert.deepEqual(
      by[plain], {TableName: plain, CapacityUnits: 1, WriteCapacityUnits: 1, Table: units(1)});
});

test('BatchGetItem: INDEXES per table', async () => {
  await send(new PutItemCommand({TableName: t, Item: {pk: S('bg'), sk: S('1'), g: S('G')}}));
  const r = await send(new BatchGetItemCommand({
    RequestItems: {[t]: {Keys: [{pk: S('bg'), sk: S('1')}, {pk: S('bg'), sk: S('2')}]}},
    ReturnConsumedCapacity: 'INDEXES',
  }));
  assert.deepEqual(
      r.ConsumedCapacity,
      [{TableName: t, CapacityUnits: 1, ReadCapacityUnits: 1, Table: runits(1)}]);
});

test(
    'TransactWriteItems doubles the table, not the indexes; TransactGetItems doubles reads',
    async () => {
      let r = await send(new TransactWriteItemsCommand({
        TransactItems: [{Put: {TableName: t, Item: {pk: S('t'), sk: S('1'), g: S('G')}}}],
        ReturnConsumedCapacity: 'INDEXES',
      }));
      assert.deepEqual(r.ConsumedCapacity, [{
                         TableName: t,
                         CapacityUnits: 4,
                         WriteCapacityUnits: 4,
                         Table: units(2),
                         GlobalSecondaryIndexes: {all: units(1), keys: units(1)},
                       }]);
      r = await send(new TransactGetItemsCommand({
        TransactItems: [{Get: {TableName: t, Key: {pk: S('t'), sk: S('1')}}}],
        ReturnConsumedCapacity: 'INDEXES',
      }));
      assert.deepEqual(
          r.ConsumedCapacity,
          [{TableName: t, CapacityUnits: 2, ReadCapacityUnits: 2, Table: runits(2)}]);
    });

// ---- ItemCollectionMetrics ----------------------------------------------------

const SMALL = {
  ItemCollectionKey: {pk: S('m')},
  SizeEstimateRangeGB: [0, 1]
};

test('ReturnItemCollectionMetrics=SIZE on Put, Update and Delete of an LSI table', async () => {
  const key = {pk: S('m'), sk: S('1')};
  let r = await send(new PutItemCommand(
      {TableName: t, Item: {...key, l: S('L')}, ReturnItemCollectionMetrics: 'SIZE'}));
  assert.deepEqual(r.ItemCollectionMetrics, SMALL);
  r = await send(new UpdateItemCommand({
    TableName: t,
    Key: key,
    UpdateExpression: 'SET x = :x',
    ExpressionAttributeValues: {':x': S('X')},
    ReturnItemCollectionMetrics: 'SIZE',
  }));
  assert.deepEqual(r.ItemCollectionMetrics, SMALL);
  r = await send(
      new DeleteItemCommand({TableName: t, Key: key, ReturnItemCollectionMetrics: 'SIZE'}));
  assert.deepEqual(r.ItemCollectionMetrics, SMALL);
  r = await send(
      new PutItemCommand({TableName: t, Item: key, ReturnItemCollectionMetrics: 'NONE'}));
  assert.equal(r.ItemCollectionMetrics, undefined);
});

test('ReturnItemCollectionMetrics=SIZE in BatchWriteItem and TransactWriteItems', async () => {
  let r = await send(new BatchWriteItemCommand({
    RequestItems: {
      [t]: [
        {PutRequest: {Item: {pk: S('m'), sk: S('2')}}},
        {DeleteRequest: {Key: {pk: S('m'), sk: S('3')}}},
      ],
      [plain]: [{PutRequest: {Item: {pk: S('m')}}}],
    },
    ReturnItemCollectionMetrics: 'SIZE',
  }));
  assert.deepEqual(r.ItemCollectionMetrics, {[t]: [SMALL, SMALL]});
  r = await send(new TransactWriteItemsCommand({
    TransactItems: [
      {Put: {TableName: t, Item: {pk: S('m'), sk: S('4')}}},
      {Put: {TableName: plain, Item: {pk: S('m2')}}},
    ],
    ReturnItemCollectionMetrics: 'SIZE',
  }));
  assert.deepEqual(r.ItemCollectionMetrics, {[t]: [SMALL]});
});

test('no ItemCollectionMetrics for a table without an LSI', async () => {
  const r = await send(new PutItemCommand(
      {TableName: plain, Item: {pk: S('a')}, ReturnItemCollectionMetrics: 'SIZE'}));
  assert.equal(r.ItemCollectionMetrics, undefined);
});

test('an invalid ReturnItemCollectionMetrics is rejected', async () => {
  // The JavaScript SDK does not check enum values: the server does.
  await expectError(
      send(new PutItemCommand(
          {TableName: t, Item: {pk: S('a'), sk: S('b')}, ReturnItemCollectionMetrics: 'ALL'})),
      'ValidationException',
      '1 validation error detected: Value \'ALL\' at \'returnItemCollectionMetrics\' failed to ' +
          'satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]',
  );
});

// ---- Transaction size -----------------------------------------------------------

test('TransactWriteItems over 4 MB is rejected, nothing applied; 3.9 MB passes', async () => {
  const blob = 'x'.repeat(390 * 1024);
  const items = Array.from(
      {length: 11}, (_, i) => ({Put: {TableName: plain, Item: {pk: S(`big${i}`), d: S(blob)}}}));
  await expectError(
      send(new TransactWriteItemsCommand({TransactItems: items})), 'ValidationException',
      TX_TOO_LARGE);
  const g = await send(new GetItemCommand({TableName: plain, Key: {pk: S('big0')}}));
  assert.equal(g.Item, undefined);
  await send(new TransactWriteItemsCommand({TransactItems: items.slice(0, 10)}));
});

test(
    'TransactWriteItems counts the size of updated items; TransactGetItems its response',
    async () => {
      const blob = 'x'.repeat(390 * 1024);
      for (let i = 0; i < 11; i++) {
        await send(new PutItemCommand({TableName: plain, Item: {pk: S(`u${i}`), d: S(blob)}}));
      }
      const upd = Array.from({length: 11}, (_, i) => ({
                                             Update: {
                                               TableName: plain,
                                               Key: {pk: S(`u${i}`)},
                                               UpdateExpression: 'SET n = :n',
                                               ExpressionAttributeValues: {':n': {N: '1'}},
                                             }
                                           }));
      await expectError(
          send(new TransactWriteItemsCommand({TransactItems: upd})), 'ValidationException',
          TX_TOO_LARGE);
      const g = await send(new GetItemCommand({TableName: plain, Key: {pk: S('u0')}}));
      assert.equal(g.Item.n, undefined);
      const gets =
          Array.from({length: 11}, (_, i) => ({Get: {TableName: plain, Key: {pk: S(`u${i}`)}}}));
      await expectError(
          send(new TransactGetItemsCommand({TransactItems: gets})), 'ValidationException',
          TX_TOO_LARGE);
      const r = await send(new TransactGetItemsCommand({TransactItems: gets.slice(0, 10)}));
      assert.equal(r.Responses.length, 10);
    });

test('every response carried a matching x-amz-crc32', () => {
  assertCrcClean(ctx.ddb);
});

// ---- The item-collection size limit (a server of its own) ---------------------------

const LIMIT = 10000;

// ~3,020 bytes with its LSI entry: three fit in a 10,000-byte collection, four do not.
const big = (pk, sk) => ({pk: S(pk), sk: S(sk), l: S(sk), d: S('x'.repeat(3000))});
const COLLECTION_MSG = 'Collection size exceeded.';

describe(
    `item-collection size limit (--item-collection-limit-bytes ${LIMIT})`, {skip: EXTERNAL_SKIP},
    () => {
      let lt;
      const small = useServer(
          {before, after, args: ['--in-memory', '--item-collection-limit-bytes', String(LIMIT)]},
          async (c) => {
            lt = await c.createTable({
              ...keys('pk', 'S', 'sk', 'S'),
              AttributeDefinitions: [
                {AttributeName: 'pk', AttributeType: 'S'},
                {AttributeName: 'sk', AttributeType: 'S'},
                {AttributeName: 'l', AttributeType: 'S'},
              ],
              LocalSecondaryIndexes: [{
                IndexName: 'lsi',
                KeySchema: [
                  {AttributeName: 'pk', KeyType: 'HASH'}, {AttributeName: 'l', KeyType: 'RANGE'}
                ],
                Projection: {ProjectionType: 'KEYS_ONLY'},
              }],
            });
          });
      const s = (cmd) => small.ddb.send(cmd);
      const get = async (key) =>
          (await s(new GetItemCommand({TableName: lt, Key: key, ConsistentRead: true}))).Item;

      test('single writes: ItemCollectionSizeLimitExceededException', async () => {
        for (let i = 0; i < 3; i++) {
          await s(new PutItemCommand({TableName: lt, Item: big('p', String(i))}));
        }
        await expectError(
            s(new PutItemCommand({TableName: lt, Item: big('p', '3')})),
            'ItemCollectionSizeLimitExceededException', COLLECTION_MSG);
        await expectError(
            s(new UpdateItemCommand({
              TableName: lt,
              Key: {pk: S('p'), sk: S('0')},
              UpdateExpression: 'SET e = :e',
              ExpressionAttributeValues: {':e': S('y'.repeat(2000))},
            })),
            'ItemCollectionSizeLimitExceededException', COLLECTION_MSG);
        assert.equal(await get({pk: S('p'), sk: S('3')}), undefined);
        assert.equal((await get({pk: S('p'), sk: S('0')})).e, undefined);
        // Other collections are unaffected; shrinking and deleting are allowed.
        await s(new PutItemCommand({TableName: lt, Item: big('q', '3')}));
        await s(new UpdateItemCommand(
            {TableName: lt, Key: {pk: S('p'), sk: S('0')}, UpdateExpression: 'REMOVE d'}));
        const r = await s(new PutItemCommand(
            {TableName: lt, Item: big('p', '3'), ReturnItemCollectionMetrics: 'SIZE'}));
        assert.deepEqual(
            r.ItemCollectionMetrics,
            {ItemCollectionKey: {pk: S('p')}, SizeEstimateRangeGB: [0, 1]});
        await s(new DeleteItemCommand({TableName: lt, Key: {pk: S('p'), sk: S('1')}}));
        await s(new PutItemCommand({TableName: lt, Item: big('p', '4')}));
      });

      test(
          'batches fail whole; transactions cancel with ItemCollectionSizeLimitExceeded',
          async () => {
            for (let i = 0; i < 2; i++) {
              await s(new PutItemCommand({TableName: lt, Item: big('b', String(i))}));
            }
            await expectError(
                s(new BatchWriteItemCommand({
                  RequestItems: {[lt]: ['2', '3'].map((k) => ({PutRequest: {Item: big('b', k)}}))},
                })),
                'ItemCollectionSizeLimitExceededException', COLLECTION_MSG);
            // Nothing of the failed batch was written.
            assert.equal(await get({pk: S('b'), sk: S('2')}), undefined);
            const err = await expectError(
                s(new TransactWriteItemsCommand({
                  TransactItems: [
                    {Put: {TableName: lt, Item: big('other', '1')}},
                    {Put: {TableName: lt, Item: big('b', '2')}},
                    {Put: {TableName: lt, Item: big('b', '3')}},
                  ],
                })),
                'TransactionCanceledException',
                'Transaction cancelled, please refer cancellation reasons for specific ' +
                    'reasons [None, None, ItemCollectionSizeLimitExceeded]',
            );
            assert.deepEqual(
                err.CancellationReasons[2],
                {Code: 'ItemCollectionSizeLimitExceeded', Message: COLLECTION_MSG});
            assert.equal(await get({pk: S('other'), sk: S('1')}), undefined);
            const r = await s(new BatchWriteItemCommand(
                {RequestItems: {[lt]: [{PutRequest: {Item: big('b', '2')}}]}}));
            assert.deepEqual(r.UnprocessedItems, {});
          });

      test('every response of the small-limit server carried a matching x-amz-crc32', () => {
        assertCrcClean(small.ddb);
      });
    });
