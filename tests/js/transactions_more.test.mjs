// More of TransactWriteItems / TransactGetItems through the AWS SDK for
// JavaScript v3: DynamoDB's validation errors (several actions on one item,
// more than 100 actions, none), ClientRequestToken idempotency (the repeated
// call applies nothing and reports read capacity, as the API Reference says; a
// different request with the token is IdempotentParameterMismatchException), a transaction keeping a GSI exact,
// and concurrent conflicting transfers that keep their total.

import {GetItemCommand, PutItemCommand, QueryCommand, TransactGetItemsCommand, TransactWriteItemsCommand, UpdateItemCommand,} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, test} from 'node:test';

import {assertCrcClean, expectError, keys, N, S, useServer} from './lib/harness.mjs';

const MULTIPLE_OPS = 'Transaction request cannot include multiple operations on one item';
const TOO_MANY =
    '1 validation error detected: Value \'[...]\' at \'transactItems\' failed to satisfy ' +
    'constraint: Member must have length less than or equal to 100';
// An empty list is shown as Java shows it, '[]' (as dynalite's tests, run
// against DynamoDB, record for the other empty lists, e.g. attributesToGet).
const TOO_FEW =
    '1 validation error detected: Value \'[]\' at \'transactItems\' failed to satisfy ' +
    'constraint: Member must have length greater than or equal to 1';
const MISMATCH = 'The request uses the same client token as a previous, but non-identical request.';

let a;  // pk (S)
let r;  // pk (S), sk (N), GSI by-g on g (S)
const ctx = useServer({before, after}, async (c) => {
  a = await c.createTable(keys('pk', 'S'));
  const kr = keys('pk', 'S', 'sk', 'N');
  r = await c.createTable({
    KeySchema: kr.KeySchema,
    AttributeDefinitions: [...kr.AttributeDefinitions, {AttributeName: 'g', AttributeType: 'S'}],
    GlobalSecondaryIndexes: [{
      IndexName: 'by-g',
      KeySchema: [{AttributeName: 'g', KeyType: 'HASH'}],
      Projection: {ProjectionType: 'ALL'},
    }],
  });
});
const send = (cmd) => ctx.ddb.send(cmd);

async function get(table, key) {
  return (await send(new GetItemCommand({TableName: table, Key: key, ConsistentRead: true}))).Item;
}

const put = (table, item) => ({Put: {TableName: table, Item: item}});

test('several actions on one item are rejected, whatever the kinds of action', async () => {
  const cases = [
    [put(a, {pk: S('one')}), put(a, {pk: S('one'), v: N(1)})],
    [
      {
        ConditionCheck:
            {TableName: a, Key: {pk: S('one')}, ConditionExpression: 'attribute_exists(pk)'}
      },
      {
        Update: {
          TableName: a,
          Key: {pk: S('one')},
          UpdateExpression: 'SET v = :v',
          ExpressionAttributeValues: {':v': N(2)},
        }
      },
    ],
    [
      put(r, {pk: S('one'), sk: N(1)}),
      put(a, {pk: S('other')}),
      {Delete: {TableName: r, Key: {pk: S('one'), sk: N(1)}}},
    ],
  ];
  for (const TransactItems of cases) {
    await expectError(
        send(new TransactWriteItemsCommand({TransactItems})), 'ValidationException', MULTIPLE_OPS);
  }
  assert.equal(await get(a, {pk: S('one')}), undefined);
  assert.equal(await get(a, {pk: S('other')}), undefined);
  assert.equal(await get(r, {pk: S('one'), sk: N(1)}), undefined);
  await expectError(
      send(new TransactGetItemsCommand({
        TransactItems: [
          {Get: {TableName: a, Key: {pk: S('one')}}},
          {Get: {TableName: a, Key: {pk: S('one')}}},
        ],
      })),
      'ValidationException', MULTIPLE_OPS);
  // The same key in two tables is two items; the same hash key with two sort
  // keys too.
  await send(new TransactWriteItemsCommand({
    TransactItems: [
      put(a, {pk: S('one')}),
      put(r, {pk: S('one'), sk: N(1)}),
      put(r, {pk: S('one'), sk: N(2)}),
    ],
  }));
  assert.deepEqual(await get(r, {pk: S('one'), sk: N(2)}), {pk: S('one'), sk: N(2)});
});

test('TransactWriteItems takes 1 to 100 actions; TransactGetItems up to 100', async () => {
  const puts = Array.from({length: 101}, (_, i) => put(a, {pk: S(`hundred-${i}`)}));
  await expectError(
      send(new TransactWriteItemsCommand({TransactItems: puts})), 'ValidationException', TOO_MANY);
  assert.equal(await get(a, {pk: S('hundred-0')}), undefined);
  await expectError(
      send(new TransactWriteItemsCommand({TransactItems: []})), 'ValidationException', TOO_FEW);
  const w = await send(new TransactWriteItemsCommand(
      {TransactItems: puts.slice(0, 100), ReturnConsumedCapacity: 'TOTAL'}));
  assert.deepEqual(
      w.ConsumedCapacity, [{TableName: a, CapacityUnits: 200, WriteCapacityUnits: 200}]);
  assert.deepEqual(await get(a, {pk: S('hundred-99')}), {pk: S('hundred-99')});

  const gets =
      Array.from({length: 101}, (_, i) => ({Get: {TableName: a, Key: {pk: S(`hundred-${i}`)}}}));
  await expectError(
      send(new TransactGetItemsCommand({TransactItems: gets})), 'ValidationException', TOO_MANY);
  const g = await send(new TransactGetItemsCommand({TransactItems: gets.slice(0, 100)}));
  assert.equal(g.Responses.length, 100);
  assert.deepEqual(g.Responses[42], {Item: {pk: S('hundred-42')}});
});

test(
    'a repeated ClientRequestToken applies nothing again and reports read capacity',
    async () => {
      await send(new PutItemCommand({TableName: a, Item: {pk: S('tok-n'), c: N(0)}}));
      const token = randomUUID();
      const req = {
        TransactItems: [{
          Update: {
            TableName: a,
            Key: {pk: S('tok-n')},
            UpdateExpression: 'ADD c :one',
            ExpressionAttributeValues: {':one': N(1)},
          }
        }],
        ClientRequestToken: token,
        ReturnConsumedCapacity: 'TOTAL',
      };
      const first = await send(new TransactWriteItemsCommand(req));
      assert.deepEqual(
          first.ConsumedCapacity, [{TableName: a, CapacityUnits: 2, WriteCapacityUnits: 2}]);
      // Even after the item changed, the repeat does not apply the update again.
      await send(new UpdateItemCommand({
        TableName: a,
        Key: {pk: S('tok-n')},
        UpdateExpression: 'SET c = :ten',
        ExpressionAttributeValues: {':ten': N(10)},
      }));
      // API Reference (ClientRequestToken): "Subsequent TransactWriteItems calls
      // with the same client token return the number of read capacity units
      // consumed in reading the item" (how many is a guess: one read per item).
      const again = await send(new TransactWriteItemsCommand(req));
      assert.deepEqual(again.ConsumedCapacity, [{TableName: a, CapacityUnits: 1, ReadCapacityUnits: 1}]);
      assert.deepEqual(await get(a, {pk: S('tok-n')}), {pk: S('tok-n'), c: N(10)});
      // The same request with another token is a new transaction.
      await send(new TransactWriteItemsCommand({...req, ClientRequestToken: randomUUID()}));
      assert.deepEqual(await get(a, {pk: S('tok-n')}), {pk: S('tok-n'), c: N(11)});
    });

test('IdempotentParameterMismatchException for a different request with a used token', async () => {
  const token = randomUUID();
  const item = {pk: S('mm')};
  await send(
      new TransactWriteItemsCommand({TransactItems: [put(a, item)], ClientRequestToken: token}));
  const cases = [
    [put(a, {pk: S('mm'), v: N(1)})],              // another item value
    [put(a, {pk: S('mm-other')})],                 // another item
    [put(a, item), put(a, {pk: S('mm-second')})],  // another action list
  ];
  for (const TransactItems of cases) {
    const err = await expectError(
        send(new TransactWriteItemsCommand({TransactItems, ClientRequestToken: token})),
        'IdempotentParameterMismatchException', MISMATCH);
    assert.equal(err.$retryable, undefined);
  }
  assert.deepEqual(await get(a, {pk: S('mm')}), item);
  assert.equal(await get(a, {pk: S('mm-other')}), undefined);
  assert.equal(await get(a, {pk: S('mm-second')}), undefined);
  await expectError(
      send(new TransactWriteItemsCommand(
          {TransactItems: [put(a, item)], ClientRequestToken: 'x'.repeat(37)})),
      'ValidationException',
      `1 validation error detected: Value '${'x'.repeat(37)}' at 'clientRequestToken' ` +
          'failed to satisfy constraint: Member must have length less than or equal to 36');
});

test('a transaction moves an item between GSI keys atomically', async () => {
  await send(new PutItemCommand({TableName: r, Item: {pk: S('mv'), sk: N(1), g: S('from')}}));
  await send(new PutItemCommand({TableName: r, Item: {pk: S('mv'), sk: N(2), g: S('from')}}));
  const qg = async (g) => (await send(new QueryCommand({
                            TableName: r,
                            IndexName: 'by-g',
                            KeyConditionExpression: 'g = :g',
                            ExpressionAttributeValues: {':g': S(g)},
                          })))
                              .Items.map((i) => Number(i.sk.N))
                              .sort();
  // Cancelled: neither index entry moves.
  await expectError(
      send(new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: r,
              Key: {pk: S('mv'), sk: N(1)},
              UpdateExpression: 'SET g = :to',
              ExpressionAttributeValues: {':to': S('to')},
            }
          },
          {
            Update: {
              TableName: r,
              Key: {pk: S('mv'), sk: N(2)},
              UpdateExpression: 'SET g = :to',
              ConditionExpression: 'g = :nope',
              ExpressionAttributeValues: {':to': S('to'), ':nope': S('nope')},
            }
          },
        ],
      })),
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons ' +
          '[None, ConditionalCheckFailed]');
  assert.deepEqual(await qg('from'), [1, 2]);
  assert.deepEqual(await qg('to'), []);
  await send(new TransactWriteItemsCommand({
    TransactItems: [
      {
        Update: {
          TableName: r,
          Key: {pk: S('mv'), sk: N(1)},
          UpdateExpression: 'SET g = :to',
          ExpressionAttributeValues: {':to': S('to')},
        }
      },
      {Delete: {TableName: r, Key: {pk: S('mv'), sk: N(2)}}},
    ],
  }));
  assert.deepEqual(await qg('from'), []);
  assert.deepEqual(await qg('to'), [1]);
});

test('concurrent conflicting transfers and plain writes keep the total', async () => {
  const accts = ['ca', 'cb', 'cc'];
  for (const k of accts) {
    await send(new PutItemCommand({TableName: a, Item: {pk: S(k), bal: N(1000)}}));
  }
  const codes = {};
  const count = (name) => {
    codes[name] = (codes[name] || 0) + 1;
  };
  const transfer = async (src, dst, n) => {
    for (let i = 0; i < n; i++) {
      try {
        await send(new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: a,
                Key: {pk: S(src)},
                UpdateExpression: 'SET bal = bal - :one',
                ConditionExpression: 'bal >= :one',
                ExpressionAttributeValues: {':one': N(1)},
              }
            },
            {
              Update: {
                TableName: a,
                Key: {pk: S(dst)},
                UpdateExpression: 'SET bal = bal + :one',
                ExpressionAttributeValues: {':one': N(1)},
              }
            },
          ],
        }));
        count('ok');
      } catch (e) {
        assert.ok(
            ['TransactionCanceledException', 'TransactionConflictException'].includes(e.name),
            `${e.name}: ${e.message}`);
        assert.equal(e.$metadata.httpStatusCode, 400);
        count(e.name);
      }
    }
  };
  // Plain writes touching an attribute the transfers do not use.
  const touch = async (k, n) => {
    for (let i = 0; i < n; i++) {
      try {
        await send(new UpdateItemCommand({
          TableName: a,
          Key: {pk: S(k)},
          UpdateExpression: 'ADD touched :one',
          ExpressionAttributeValues: {':one': N(1)},
        }));
        count('plain-ok');
      } catch (e) {
        assert.equal(e.name, 'TransactionConflictException', `${e.name}: ${e.message}`);
        count(e.name);
      }
    }
  };
  await Promise.all([
    transfer('ca', 'cb', 40), transfer('cb', 'ca', 40), transfer('cb', 'cc', 40),
    transfer('cc', 'ca', 40), touch('ca', 40), touch('cb', 40)
  ]);
  assert.ok(codes.ok > 0, JSON.stringify(codes));
  const g = await send(new TransactGetItemsCommand(
      {TransactItems: accts.map((k) => ({Get: {TableName: a, Key: {pk: S(k)}}}))}));
  const total = g.Responses.reduce((s, x) => s + Number(x.Item.bal.N), 0);
  assert.equal(total, 3000, JSON.stringify(codes));
});

test('every response carried a matching x-amz-crc32', () => {
  assertCrcClean(ctx.ddb);
});
