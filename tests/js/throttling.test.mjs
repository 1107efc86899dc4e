// Throttling of PROVISIONED tables through the AWS SDK for JavaScript v3, as
// tests/wire/test_throttling.py pins it: per-table and per-GSI token buckets
// with 300 seconds of burst credit (a new table starts full),
// ProvisionedThroughputExceededException over the limit, UnprocessedItems /
// UnprocessedKeys from batches, ProvisionedThroughputExceeded cancellation
// reasons from transactions, PAY_PER_REQUEST never throttled, UpdateTable
// re-rating the buckets, and a server started with --no-throttling.
//
// Every table here has 1 unit per second of the throttled kind, so its burst
// is 300 units; the tests spend it with large items so that a refill during a
// test (one unit per second) cannot change the outcome. The client makes no
// retries (maxAttempts 1), so the SDK's own back-off never hides a throttle.

import {BatchGetItemCommand, BatchWriteItemCommand, DeleteItemCommand, GetItemCommand, ProvisionedThroughputExceededException, PutItemCommand, QueryCommand, ScanCommand, TransactGetItemsCommand, TransactWriteItemsCommand, UpdateItemCommand, UpdateTableCommand,} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';

import {assertCrcClean, expectError, EXTERNAL_SKIP, keys, S, useServer, waitActive} from './lib/harness.mjs';

const TABLE_MSG = 'The level of configured provisioned throughput for the table was exceeded. ' +
    'Consider increasing your provisioning level with the UpdateTable API.';
const INDEX_MSG =
    'The level of configured provisioned throughput for one or more global secondary indexes of the ' +
    'table was exceeded. Consider increasing your provisioning level for the under-provisioned global ' +
    'secondary indexes with the UpdateTable API.';

// An item of `kb` KB minus a few bytes: costs exactly `kb` write units.
function item(pk, kb, extra = {}) {
  return {pk: S(pk), d: S('x'.repeat(kb * 1024 - 3 - pk.length - 8)), ...extra};
}

const ctx = useServer({before, after});
const send = (cmd) => ctx.ddb.send(cmd);

function provisioned(rcu = 1, wcu = 1, extra = {}) {
  return ctx.createTable({
    ...keys('pk', 'S'),
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: {ReadCapacityUnits: rcu, WriteCapacityUnits: wcu},
    ...extra,
  });
}

const throttled = (promise, message = TABLE_MSG) =>
    expectError(promise, 'ProvisionedThroughputExceededException', message);

async function has(table, pk) {
  const r = await send(new GetItemCommand({TableName: table, Key: {pk: S(pk)}}));
  return r.Item !== undefined;
}

test('a PROVISIONED table passes its 300-unit burst, then throttles writes', async () => {
  const t = await provisioned();
  const cost = await send(
      new PutItemCommand({TableName: t, Item: item('k0', 10), ReturnConsumedCapacity: 'TOTAL'}));
  assert.equal(cost.ConsumedCapacity.CapacityUnits, 10);
  // The whole burst is there from the start: 30 puts of 10 units pass, and at
  // most a few units refill meanwhile.
  for (let i = 1; i < 30; i++)
    await send(new PutItemCommand({TableName: t, Item: item(`k${i}`, 10)}));
  let firstThrottled = null;
  for (let i = 30; i < 34 && firstThrottled === null; i++) {
    try {
      await send(new PutItemCommand({TableName: t, Item: item(`k${i}`, 10)}));
    } catch (e) {
      assert.ok(e instanceof ProvisionedThroughputExceededException, `${e.name}: ${e.message}`);
      assert.equal(e.message, TABLE_MSG);
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.$fault, 'client');
      firstThrottled = i;
    }
  }
  assert.notEqual(firstThrottled, null, 'no write was throttled');
  // Reads have their own bucket.
  await send(new GetItemCommand({TableName: t, Key: {pk: S('k0')}}));
});

test(
    'one large item is admitted from the burst; the debt then throttles Put, Delete, Update',
    async () => {
      const t = await provisioned();
      // 390 units on a 1-WCU table: admitted from the full burst, leaving a debt
      // of ~90 units that throttles everything for a minute and a half.
      await send(new PutItemCommand({TableName: t, Item: item('big', 390)}));
      await throttled(send(new PutItemCommand({TableName: t, Item: {pk: S('small')}})));
      await throttled(send(new DeleteItemCommand({TableName: t, Key: {pk: S('big')}})));
      await throttled(send(new UpdateItemCommand({
        TableName: t,
        Key: {pk: S('small')},
        UpdateExpression: 'SET a = :a',
        ExpressionAttributeValues: {':a': S('a')},
      })));
      assert.equal(await has(t, 'small'), false);
      assert.equal(await has(t, 'big'), true);
    });

test('PAY_PER_REQUEST tables are never throttled', async () => {
  const t = await ctx.createTable({...keys('pk', 'S'), BillingMode: 'PAY_PER_REQUEST'});
  for (let i = 0; i < 3; i++)
    await send(new PutItemCommand({TableName: t, Item: item(`k${i}`, 390)}));
  for (let i = 0; i < 3; i++) {
    await send(new GetItemCommand({TableName: t, Key: {pk: S(`k${i}`)}, ConsistentRead: true}));
  }
  const r = await send(new BatchWriteItemCommand({
    RequestItems:
        {[t]: Array.from({length: 5}, (_, i) => ({PutRequest: {Item: item(`b${i}`, 200)}}))}
  }));
  assert.deepEqual(r.UnprocessedItems, {});
});

test('reads throttle: GetItem, Query and Scan', async () => {
  const t = await provisioned(1, 1000);
  await send(new PutItemCommand({TableName: t, Item: item('big', 390)}));
  // A strongly consistent read of it costs 98 units: three leave 6, the fourth
  // is admitted into debt, the fifth is throttled.
  for (let i = 0; i < 4; i++) {
    await send(new GetItemCommand({TableName: t, Key: {pk: S('big')}, ConsistentRead: true}));
  }
  await throttled(send(new GetItemCommand({TableName: t, Key: {pk: S('big')}})));
  await throttled(send(new QueryCommand({
    TableName: t,
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: {':p': S('big')},
  })));
  await throttled(send(new ScanCommand({TableName: t})));
});

test('a GSI with too little write capacity throttles the table writes that touch it', async () => {
  const t = await provisioned(1, 1000, {
    AttributeDefinitions:
        [{AttributeName: 'pk', AttributeType: 'S'}, {AttributeName: 'g', AttributeType: 'S'}],
    GlobalSecondaryIndexes: [{
      IndexName: 'by-g',
      KeySchema: [{AttributeName: 'g', KeyType: 'HASH'}],
      Projection: {ProjectionType: 'ALL'},
      ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1},
    }],
  });
  // 390 units into the 1-WCU index: admitted, then the index is in debt.
  await send(new PutItemCommand({TableName: t, Item: item('a', 390, {g: S('G')})}));
  await throttled(
      send(new PutItemCommand({TableName: t, Item: item('b', 1, {g: S('G')})})), INDEX_MSG);
  // Writes that do not touch the index only need the table's capacity.
  await send(new PutItemCommand({TableName: t, Item: item('c', 1)}));
  // Reading the index uses the index's read capacity ...
  const q = {
    TableName: t,
    IndexName: 'by-g',
    KeyConditionExpression: 'g = :g',
    ExpressionAttributeValues: {':g': S('G')},
  };
  const r = await send(new QueryCommand({...q, ReturnConsumedCapacity: 'INDEXES'}));
  assert.equal(r.ConsumedCapacity.GlobalSecondaryIndexes['by-g'].CapacityUnits, 49);
  for (let i = 0; i < 6; i++) await send(new QueryCommand(q));
  await throttled(send(new QueryCommand(q)), INDEX_MSG);
  // ... not the table's.
  await send(new GetItemCommand({TableName: t, Key: {pk: S('c')}}));
});

test('BatchWriteItem returns what it could not write as UnprocessedItems', async () => {
  const t = await provisioned();
  for (let i = 0; i < 28; i++)
    await send(new PutItemCommand({TableName: t, Item: item(`k${i}`, 10)}));
  // ~20 units left: the first 15-unit put leaves ~5, the second is admitted
  // into debt, the last two are returned.
  const reqs = Array.from({length: 4}, (_, i) => ({PutRequest: {Item: item(`b${i}`, 15)}}));
  const r = await send(
      new BatchWriteItemCommand({RequestItems: {[t]: reqs}, ReturnConsumedCapacity: 'TOTAL'}));
  assert.deepEqual(r.UnprocessedItems, {[t]: reqs.slice(2)});
  assert.deepEqual(r.ConsumedCapacity, [{TableName: t, CapacityUnits: 30, WriteCapacityUnits: 30}]);
  assert.equal(await has(t, 'b1'), true);
  assert.equal(await has(t, 'b2'), false);
  // Nothing could be processed: the call fails.
  await throttled(send(new BatchWriteItemCommand({RequestItems: r.UnprocessedItems})));
});

test('BatchWriteItem over a throttled and an on-demand table', async () => {
  const t = await provisioned();
  const ppr = await ctx.createTable({...keys('pk', 'S'), BillingMode: 'PAY_PER_REQUEST'});
  await send(new PutItemCommand({TableName: t, Item: item('big', 390)}));
  const reqs = {
    [t]: [{PutRequest: {Item: {pk: S('x')}}}],
    [ppr]: [{PutRequest: {Item: {pk: S('x')}}}],
  };
  const r = await send(new BatchWriteItemCommand({RequestItems: reqs}));
  assert.deepEqual(r.UnprocessedItems, {[t]: reqs[t]});
  assert.equal(await has(ppr, 'x'), true);
  assert.equal(await has(t, 'x'), false);
});

test('BatchGetItem returns what it could not read as UnprocessedKeys', async () => {
  const t = await provisioned(1, 1000);
  await send(new PutItemCommand({TableName: t, Item: item('big', 390)}));
  await send(new PutItemCommand({TableName: t, Item: {pk: S('s1')}}));
  await send(new PutItemCommand({TableName: t, Item: {pk: S('s2')}}));
  for (let i = 0; i < 3; i++) {  // 3 x 98 units: ~6 left
    await send(new GetItemCommand({TableName: t, Key: {pk: S('big')}, ConsistentRead: true}));
  }
  const ks = [{pk: S('big')}, {pk: S('s1')}, {pk: S('s2')}];
  const r = await send(new BatchGetItemCommand({
    RequestItems: {[t]: {Keys: ks, ConsistentRead: true}},
    ReturnConsumedCapacity: 'TOTAL',
  }));
  assert.deepEqual(r.Responses[t].map((i) => i.pk), [S('big')]);
  assert.deepEqual(r.UnprocessedKeys, {[t]: {Keys: ks.slice(1), ConsistentRead: true}});
  assert.deepEqual(r.ConsumedCapacity, [{TableName: t, CapacityUnits: 98, ReadCapacityUnits: 98}]);
  await throttled(send(new BatchGetItemCommand({RequestItems: {[t]: {Keys: ks.slice(1)}}})));
});

test('TransactWriteItems is cancelled with a ProvisionedThroughputExceeded reason', async () => {
  const t = await provisioned();
  const ppr = await ctx.createTable({...keys('pk', 'S'), BillingMode: 'PAY_PER_REQUEST'});
  await send(new PutItemCommand({TableName: t, Item: item('big', 390)}));
  const err = await expectError(
      send(new TransactWriteItemsCommand({
        TransactItems: [
          {Put: {TableName: ppr, Item: {pk: S('a')}}},
          {Put: {TableName: t, Item: {pk: S('b')}}},
        ],
      })),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons ' +
          '[None, ProvisionedThroughputExceeded]',
  );
  assert.deepEqual(err.CancellationReasons, [
    {Code: 'None'},
    {Code: 'ProvisionedThroughputExceeded', Message: TABLE_MSG},
  ]);
  assert.equal(await has(ppr, 'a'), false);
  assert.equal(await has(t, 'b'), false);
});

test('TransactGetItems is cancelled with a ProvisionedThroughputExceeded reason', async () => {
  const t = await provisioned(1, 1000);
  await send(new PutItemCommand({TableName: t, Item: item('big', 390)}));
  const get = {TransactItems: [{Get: {TableName: t, Key: {pk: S('big')}}}]};
  // Transactional reads cost 2 x 98 units: the second is admitted into debt.
  for (let i = 0; i < 2; i++) await send(new TransactGetItemsCommand(get));
  const err = await expectError(
      send(new TransactGetItemsCommand(get)),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons ' +
          '[ProvisionedThroughputExceeded]',
  );
  assert.deepEqual(
      err.CancellationReasons, [{Code: 'ProvisionedThroughputExceeded', Message: TABLE_MSG}]);
});

test('UpdateTable re-rates the buckets', async () => {
  const t = await provisioned();
  await send(
      new PutItemCommand({TableName: t, Item: item('big', 390)}));  // ~90 units of debt at 1/s
  await throttled(send(new PutItemCommand({TableName: t, Item: {pk: S('a')}})));
  await send(new UpdateTableCommand(
      {TableName: t, ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1000}}));
  await waitActive(ctx.ddb, t);
  await new Promise((r) => setTimeout(r, 300));  // 300 units at the new rate
  await send(new PutItemCommand({TableName: t, Item: {pk: S('a')}}));
});

test('switching to PAY_PER_REQUEST stops throttling', async () => {
  const t = await provisioned();
  await send(new PutItemCommand({TableName: t, Item: item('big', 390)}));
  await throttled(send(new PutItemCommand({TableName: t, Item: {pk: S('a')}})));
  await send(new UpdateTableCommand({TableName: t, BillingMode: 'PAY_PER_REQUEST'}));
  await waitActive(ctx.ddb, t);
  await send(new PutItemCommand({TableName: t, Item: {pk: S('a')}}));
});

test('every response carried a matching x-amz-crc32', () => {
  assertCrcClean(ctx.ddb);
});

describe('a server started with --no-throttling', {skip: EXTERNAL_SKIP}, () => {
  let t;
  const free = useServer({before, after, args: ['--in-memory', '--no-throttling']}, async (c) => {
    t = await c.createTable({
      ...keys('pk', 'S'),
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1},
    });
  });
  const s = (cmd) => free.ddb.send(cmd);

  test('never throttles a 1-unit PROVISIONED table', async () => {
    for (let i = 0; i < 4; i++) {  // 1,560 units on a 1-WCU table
      await s(new PutItemCommand({TableName: t, Item: item(`k${i}`, 390)}));
    }
    for (let i = 0; i < 4; i++) {
      await s(new GetItemCommand({TableName: t, Key: {pk: S(`k${i}`)}, ConsistentRead: true}));
    }
    const r = await s(new BatchWriteItemCommand({
      RequestItems:
          {[t]: Array.from({length: 10}, (_, i) => ({PutRequest: {Item: item(`b${i}`, 100)}}))},
    }));
    assert.deepEqual(r.UnprocessedItems, {});
    const g = await s(new BatchGetItemCommand({
      RequestItems: {
        [t]: {Keys: Array.from({length: 4}, (_, i) => ({pk: S(`k${i}`)})), ConsistentRead: true}
      },
    }));
    assert.equal(g.Responses[t].length, 4);
    assert.deepEqual(g.UnprocessedKeys, {});
    await s(new TransactWriteItemsCommand({
      TransactItems: [{Put: {TableName: t, Item: item('tx', 390)}}],
    }));
    await s(new TransactGetItemsCommand({
      TransactItems: [{Get: {TableName: t, Key: {pk: S('tx')}}}],
    }));
    await s(new ScanCommand({TableName: t}));
  });

  test('every response of the --no-throttling server carried a matching x-amz-crc32', () => {
    assertCrcClean(free.ddb);
  });
});
