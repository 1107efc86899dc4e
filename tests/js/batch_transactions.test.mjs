// BatchWriteItem / BatchGetItem and TransactWriteItems / TransactGetItems
// through the AWS SDK for JavaScript v3: results, TransactionCanceledException
// with CancellationReasons in action order, idempotency tokens, and
// validation messages.

import {BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, TransactGetItemsCommand, TransactionCanceledException, TransactWriteItemsCommand,} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, test} from 'node:test';

import {assertCrcClean, expectError, keys, N, S, useServer} from './lib/harness.mjs';

let a;  // pk (S)
let b;  // pk (S), sk (N), GSI by-g on g (S)
const ctx = useServer({before, after}, async (c) => {
  a = await c.createTable(keys('pk', 'S'));
  const kb = keys('pk', 'S', 'sk', 'N');
  b = await c.createTable({
    KeySchema: kb.KeySchema,
    AttributeDefinitions: [...kb.AttributeDefinitions, {AttributeName: 'g', AttributeType: 'S'}],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'by-g',
        KeySchema: [{AttributeName: 'g', KeyType: 'HASH'}],
        Projection: {ProjectionType: 'ALL'}
      },
    ],
  });
});

async function get(table, key) {
  return (await ctx.ddb.send(
              new GetItemCommand({TableName: table, Key: key, ConsistentRead: true})))
      .Item;
}

const byPk = (x, y) => (x.pk.S < y.pk.S ? -1 : x.pk.S > y.pk.S ? 1 : 0);

test('BatchWriteItem over two tables, then BatchGetItem reads them back', async () => {
  const w = await ctx.ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [a]:
              Array.from({length: 10}, (_, i) => ({PutRequest: {Item: {pk: S(`k${i}`), v: N(i)}}})),
          [b]: Array.from(
              {length: 5}, (_, i) => ({PutRequest: {Item: {pk: S('p'), sk: N(i), g: S('bw')}}})),
        },
        ReturnConsumedCapacity: 'TOTAL',
      }),
  );
  assert.deepEqual(w.UnprocessedItems, {});
  assert.deepEqual(w.ConsumedCapacity.map((c) => c.TableName).sort(), [a, b].sort());
  // (b's units would include its GSI's writes: not asserted here)
  assert.equal(
      w.ConsumedCapacity.find((c) => c.TableName === a).CapacityUnits, 10,
      'one unit per 1 KB item');

  const r = await ctx.ddb.send(
      new BatchGetItemCommand({
        RequestItems: {
          [a]:
              {Keys: [{pk: S('k1')}, {pk: S('k9')}, {pk: S('missing')}], ProjectionExpression: 'v'},
          [b]: {Keys: [{pk: S('p'), sk: N(3)}], ConsistentRead: true},
        },
      }),
  );
  assert.deepEqual(r.Responses[a].map((i) => i.v.N).sort(), ['1', '9']);
  assert.deepEqual(r.Responses[b], [{pk: S('p'), sk: N(3), g: S('bw')}]);
  assert.deepEqual(r.UnprocessedKeys, {});

  // the GSI saw the batch
  const q = await ctx.ddb.send(
      new QueryCommand({
        TableName: b,
        IndexName: 'by-g',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: {':g': S('bw')}
      }),
  );
  assert.equal(q.Count, 5);

  // deletes and puts in one batch
  await ctx.ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [a]: [
            {DeleteRequest: {Key: {pk: S('k1')}}}, {PutRequest: {Item: {pk: S('k2'), v: N(22)}}}
          ],
        },
      }),
  );
  assert.equal(await get(a, {pk: S('k1')}), undefined);
  assert.deepEqual(await get(a, {pk: S('k2')}), {pk: S('k2'), v: N(22)});
});

test('BatchWriteItem / BatchGetItem validation messages', async () => {
  await expectError(
      ctx.ddb.send(
          new BatchWriteItemCommand({
            RequestItems: {
              [a]: [{PutRequest: {Item: {pk: S('dup')}}}, {DeleteRequest: {Key: {pk: S('dup')}}}]
            },
          }),
          ),
      'ValidationException',
      'Provided list of item keys contains duplicates',
  );
  assert.equal(
      await get(a, {pk: S('dup')}), undefined, 'nothing of the rejected batch was applied');
  await expectError(
      ctx.ddb.send(
          new BatchWriteItemCommand({
            RequestItems:
                {[a]: Array.from({length: 26}, (_, i) => ({PutRequest: {Item: {pk: S(`x${i}`)}}}))},
          }),
          ),
      'ValidationException',
      /Member must have length less than or equal to 25/,
  );
  await expectError(
      ctx.ddb.send(new BatchGetItemCommand(
          {RequestItems: {[a]: {Keys: Array.from({length: 101}, (_, i) => ({pk: S(`${i}`)}))}}})),
      'ValidationException',
      // One table's Keys over 100 break the list's length constraint
      // (dynalite's test/batchGetItem.js, run against DynamoDB).
      /^1 validation error detected: Value '\[.+\]' at 'requestItems\..+\.member\.keys' failed to satisfy constraint: Member must have length less than or equal to 100$/,
  );
  await expectError(
      ctx.ddb.send(
          new BatchGetItemCommand({RequestItems: {[a]: {Keys: [{pk: S('1')}, {pk: S('1')}]}}})),
      'ValidationException',
      'Provided list of item keys contains duplicates',
  );
  await expectError(
      ctx.ddb.send(
          new BatchGetItemCommand({RequestItems: {'no-such-table': {Keys: [{pk: S('1')}]}}})),
      'ResourceNotFoundException',
      /^Requested resource not found/,
  );
});

test('TransactWriteItems applies Put, Update, Delete and ConditionCheck together', async () => {
  await ctx.ddb.send(new PutItemCommand({TableName: a, Item: {pk: S('t-gone')}}));
  await ctx.ddb.send(new PutItemCommand({TableName: a, Item: {pk: S('t-n'), c: N(1)}}));
  await ctx.ddb.send(
      new PutItemCommand({TableName: a, Item: {pk: S('t-check'), ok: {BOOL: true}}}));
  const r = await ctx.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {Put: {TableName: b, Item: {pk: S('t-new'), sk: N(1), g: S('txn')}}},
          {Delete: {TableName: a, Key: {pk: S('t-gone')}}},
          {
            Update: {
              TableName: a,
              Key: {pk: S('t-n')},
              UpdateExpression: 'ADD c :one',
              ExpressionAttributeValues: {':one': N(1)}
            }
          },
          {
            ConditionCheck: {
              TableName: a,
              Key: {pk: S('t-check')},
              ConditionExpression: 'ok = :t',
              ExpressionAttributeValues: {':t': {BOOL: true}},
            },
          },
        ],
      }),
  );
  assert.deepEqual(r, {$metadata: r.$metadata});
  assert.deepEqual(
      await get(b, {pk: S('t-new'), sk: N(1)}), {pk: S('t-new'), sk: N(1), g: S('txn')});
  assert.equal(await get(a, {pk: S('t-gone')}), undefined);
  assert.deepEqual(await get(a, {pk: S('t-n')}), {pk: S('t-n'), c: N(2)});
  const q = await ctx.ddb.send(
      new QueryCommand({
        TableName: b,
        IndexName: 'by-g',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: {':g': S('txn')}
      }),
  );
  assert.deepEqual(q.Items, [{pk: S('t-new'), sk: N(1), g: S('txn')}]);
});

test('TransactionCanceledException: nothing applied, CancellationReasons in action order', async () => {
  await ctx.ddb.send(new PutItemCommand({TableName: a, Item: {pk: S('c-held'), v: N(5)}}));
  await ctx.ddb.send(new PutItemCommand({TableName: a, Item: {pk: S('c-upd'), v: N(1)}}));
  const err = await expectError(
      ctx.ddb.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {Put: {TableName: a, Item: {pk: S('c-would-be-new')}}},
              {
                ConditionCheck: {
                  TableName: a,
                  Key: {pk: S('c-held')},
                  ConditionExpression: 'v = :six',
                  ExpressionAttributeValues: {':six': N(6)},
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
              {
                Update: {
                  TableName: a,
                  Key: {pk: S('c-upd')},
                  UpdateExpression: 'SET v = :nine',
                  ExpressionAttributeValues: {':nine': N(9)}
                }
              },
              {
                Delete: {
                  TableName: a,
                  Key: {pk: S('c-missing')},
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
            ],
          }),
          ),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None, ConditionalCheckFailed]',
  );
  assert.ok(err instanceof TransactionCanceledException);
  assert.deepEqual(err.CancellationReasons, [
    {Code: 'None'},
    {
      Code: 'ConditionalCheckFailed',
      Message: 'The conditional request failed',
      Item: {pk: S('c-held'), v: N(5)}
    },
    {Code: 'None'},
    {Code: 'ConditionalCheckFailed', Message: 'The conditional request failed'},
  ]);
  assert.equal(await get(a, {pk: S('c-would-be-new')}), undefined);
  assert.deepEqual(await get(a, {pk: S('c-upd')}), {pk: S('c-upd'), v: N(1)});
});

test('TransactWriteItems validation messages', async () => {
  await expectError(
      ctx.ddb.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {Put: {TableName: a, Item: {pk: S('same')}}},
              {Delete: {TableName: a, Key: {pk: S('same')}}}
            ],
          }),
          ),
      'ValidationException',
      'Transaction request cannot include multiple operations on one item',
  );
  await expectError(
      ctx.ddb.send(new TransactWriteItemsCommand(
          {TransactItems: [{Put: {TableName: 'no-such-table', Item: {pk: S('x')}}}]})),
      'ResourceNotFoundException',
      /^Requested resource not found/,
  );
});

test(
    'ClientRequestToken makes TransactWriteItems idempotent; a different request with it is rejected',
    async () => {
      await ctx.ddb.send(new PutItemCommand({TableName: a, Item: {pk: S('idem'), c: N(0)}}));
      const token = randomUUID();  // at most 36 characters
      const incr = {
        Update: {
          TableName: a,
          Key: {pk: S('idem')},
          UpdateExpression: 'ADD c :one',
          ExpressionAttributeValues: {':one': N(1)}
        }
      };
      for (let i = 0; i < 3; i++) {
        await ctx.ddb.send(
            new TransactWriteItemsCommand({TransactItems: [incr], ClientRequestToken: token}));
      }
      assert.deepEqual(await get(a, {pk: S('idem')}), {pk: S('idem'), c: N(1)});
      await expectError(
          ctx.ddb.send(new TransactWriteItemsCommand({
            TransactItems: [{Put: {TableName: a, Item: {pk: S('idem-other')}}}],
            ClientRequestToken: token
          })),
          'IdempotentParameterMismatchException',
      );
      assert.equal(await get(a, {pk: S('idem-other')}), undefined);
    });

test(
    'TransactGetItems returns the items in request order, an empty response for a missing item',
    async () => {
      await ctx.ddb.send(
          new PutItemCommand({TableName: a, Item: {pk: S('g1'), v: S('one'), extra: N(1)}}));
      await ctx.ddb.send(
          new PutItemCommand({TableName: b, Item: {pk: S('g2'), sk: N(2), v: S('two')}}));
      const r = await ctx.ddb.send(
          new TransactGetItemsCommand({
            TransactItems: [
              {Get: {TableName: b, Key: {pk: S('g2'), sk: N(2)}}},
              {Get: {TableName: a, Key: {pk: S('nope')}}},
              {Get: {TableName: a, Key: {pk: S('g1')}, ProjectionExpression: 'v'}},
            ],
            ReturnConsumedCapacity: 'TOTAL',
          }),
      );
      assert.deepEqual(
          r.Responses, [{Item: {pk: S('g2'), sk: N(2), v: S('two')}}, {}, {Item: {v: S('one')}}]);
      const cap = Object.fromEntries(r.ConsumedCapacity.map((c) => [c.TableName, c.CapacityUnits]));
      assert.deepEqual(cap, {[a]: 4, [b]: 2}, 'transactional reads cost double');
    });

test('every response carried a matching x-amz-crc32', () => {
  assertCrcClean(ctx.ddb);
});
