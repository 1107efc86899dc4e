// PutItem / GetItem / UpdateItem / DeleteItem through the AWS SDK for
// JavaScript v3: conditions, ReturnValues, ReturnValuesOnConditionCheckFailure,
// number normalization, binary values, and validation messages.

import {ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand,} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {assertCrcClean, expectError, keys, N, S, uniqueName, useServer} from './lib/harness.mjs';

let table;     // hash key pk (S)
let binTable;  // hash key pk (S), range key sk (B)
const ctx = useServer({before, after}, async (c) => {
  table = await c.createTable(keys('pk', 'S'));
  binTable = await c.createTable(keys('pk', 'S', 'sk', 'B'));
});

const CCF_MSG = 'The conditional request failed';

function key() {
  return {pk: S(uniqueName('k'))};
}

async function get(k, t = table) {
  return (await ctx.ddb.send(new GetItemCommand({TableName: t, Key: k, ConsistentRead: true})))
      .Item;
}

test('PutItem then GetItem returns the item exactly; missing item has no Item', async () => {
  const k = key();
  const item = {
    ...k,
    s: S('hello'),
    n: N(42),
    bool: {BOOL: false},
    nul: {NULL: true},
    l: {L: [S('a'), N(1), {BOOL: true}]},
    m: {M: {x: S('y'), nested: {M: {z: N(-3)}}}},
    ss: {SS: ['b', 'a']},
    ns: {NS: ['2', '1']},
  };
  const r = await ctx.ddb.send(new PutItemCommand({TableName: table, Item: item}));
  assert.equal(r.Attributes, undefined);
  const got = await get(k);
  assert.deepEqual({...got, ss: {SS: [...got.ss.SS].sort()}, ns: {NS: [...got.ns.NS].sort()}}, {
    ...item,
    ss: {SS: ['a', 'b']},
    ns: {NS: ['1', '2']},
  });
  const missing = await ctx.ddb.send(new GetItemCommand({TableName: table, Key: key()}));
  assert.equal(missing.Item, undefined);
});

test('GetItem with ProjectionExpression returns only the projected attributes', async () => {
  const k = key();
  await ctx.ddb.send(new PutItemCommand(
      {TableName: table, Item: {...k, a: S('1'), b: S('2'), c: {M: {d: N(4), e: N(5)}}}}));
  const r = await ctx.ddb.send(
      new GetItemCommand({
        TableName: table,
        Key: k,
        ProjectionExpression: '#a, c.e',
        ExpressionAttributeNames: {'#a': 'a'},
      }),
  );
  assert.deepEqual(r.Item, {a: S('1'), c: {M: {e: N(5)}}});
});

test('PutItem ReturnValues ALL_OLD returns the replaced item', async () => {
  const k = key();
  let r = await ctx.ddb.send(
      new PutItemCommand({TableName: table, Item: {...k, v: S('1')}, ReturnValues: 'ALL_OLD'}));
  assert.equal(r.Attributes, undefined);
  r = await ctx.ddb.send(
      new PutItemCommand({TableName: table, Item: {...k, v: S('2')}, ReturnValues: 'ALL_OLD'}));
  assert.deepEqual(r.Attributes, {...k, v: S('1')});
  assert.deepEqual(await get(k), {...k, v: S('2')});
});

test('UpdateItem ReturnValues ALL_NEW / UPDATED_OLD / UPDATED_NEW / ALL_OLD', async () => {
  const k = key();
  let r = await ctx.ddb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: k,
        UpdateExpression: 'SET a = :a, c = :c',
        ExpressionAttributeValues: {':a': N(1), ':c': S('x')},
        ReturnValues: 'ALL_NEW',
      }),
  );
  assert.deepEqual(r.Attributes, {...k, a: N(1), c: S('x')});
  r = await ctx.ddb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: k,
        UpdateExpression: 'SET a = a + :one',
        ExpressionAttributeValues: {':one': N(1)},
        ReturnValues: 'UPDATED_OLD',
      }),
  );
  assert.deepEqual(r.Attributes, {a: N(1)});
  r = await ctx.ddb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: k,
        UpdateExpression: 'ADD a :ten REMOVE c',
        ExpressionAttributeValues: {':ten': N(10)},
        ReturnValues: 'UPDATED_NEW',
      }),
  );
  assert.deepEqual(r.Attributes, {a: N(12)});
  r = await ctx.ddb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: k,
        UpdateExpression: 'SET b = :b',
        ExpressionAttributeValues: {':b': {BOOL: true}},
        ReturnValues: 'ALL_OLD',
      }),
  );
  assert.deepEqual(r.Attributes, {...k, a: N(12)});
  assert.deepEqual(await get(k), {...k, a: N(12), b: {BOOL: true}});
});

test('DeleteItem ReturnValues ALL_OLD returns the deleted item; the item is gone', async () => {
  const k = key();
  await ctx.ddb.send(new PutItemCommand({TableName: table, Item: {...k, v: N(7)}}));
  const r = await ctx.ddb.send(
      new DeleteItemCommand({TableName: table, Key: k, ReturnValues: 'ALL_OLD'}));
  assert.deepEqual(r.Attributes, {...k, v: N(7)});
  assert.equal(await get(k), undefined);
  // deleting a missing item succeeds and returns nothing
  const again = await ctx.ddb.send(
      new DeleteItemCommand({TableName: table, Key: k, ReturnValues: 'ALL_OLD'}));
  assert.equal(again.Attributes, undefined);
});

test(
    'conditional Put/Update/Delete succeed or fail with ConditionalCheckFailedException',
    async () => {
      const k = key();
      await ctx.ddb.send(new PutItemCommand({
        TableName: table,
        Item: {...k, v: N(1)},
        ConditionExpression: 'attribute_not_exists(pk)'
      }));
      const err = await expectError(
          ctx.ddb.send(new PutItemCommand({
            TableName: table,
            Item: {...k, v: N(2)},
            ConditionExpression: 'attribute_not_exists(pk)'
          })),
          'ConditionalCheckFailedException',
          CCF_MSG,
      );
      assert.ok(err instanceof ConditionalCheckFailedException);
      assert.equal(err.Item, undefined, 'no Item without ReturnValuesOnConditionCheckFailure');

      await ctx.ddb.send(
          new UpdateItemCommand({
            TableName: table,
            Key: k,
            UpdateExpression: 'SET v = v + :one',
            ConditionExpression: 'v = :cur',
            ExpressionAttributeValues: {':one': N(1), ':cur': N(1)},
          }),
      );
      await expectError(
          ctx.ddb.send(
              new UpdateItemCommand({
                TableName: table,
                Key: k,
                UpdateExpression: 'SET v = v + :one',
                ConditionExpression: 'v = :cur',
                ExpressionAttributeValues: {':one': N(1), ':cur': N(1)},
              }),
              ),
          'ConditionalCheckFailedException',
          CCF_MSG,
      );
      assert.deepEqual(await get(k), {...k, v: N(2)});

      await expectError(
          ctx.ddb.send(
              new DeleteItemCommand({
                TableName: table,
                Key: k,
                ConditionExpression: 'v > :x',
                ExpressionAttributeValues: {':x': N(5)}
              }),
              ),
          'ConditionalCheckFailedException',
          CCF_MSG,
      );
      assert.deepEqual(await get(k), {...k, v: N(2)});
      await ctx.ddb.send(
          new DeleteItemCommand({
            TableName: table,
            Key: k,
            ConditionExpression: 'v < :x',
            ExpressionAttributeValues: {':x': N(5)}
          }),
      );
      assert.equal(await get(k), undefined);

      // a failed conditional update does not create the item
      await expectError(
          ctx.ddb.send(
              new UpdateItemCommand({
                TableName: table,
                Key: k,
                UpdateExpression: 'SET v = :v',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: {':v': N(1)},
              }),
              ),
          'ConditionalCheckFailedException',
          CCF_MSG,
      );
      assert.equal(await get(k), undefined);
    });

test(
    'ReturnValuesOnConditionCheckFailure ALL_OLD puts the item on the exception (Put, Update, Delete)',
    async () => {
      const k = key();
      const old = {...k, v: N(1), ss: {SS: ['a']}, bin: {B: new Uint8Array([1, 2, 3])}};
      await ctx.ddb.send(new PutItemCommand({TableName: table, Item: old}));
      const cond = {
        ConditionExpression: 'v = :two',
        ExpressionAttributeValues: {':two': N(2)},
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD'
      };
      const attempts = [
        new PutItemCommand({TableName: table, Item: {...k, v: N(9)}, ...cond}),
        new UpdateItemCommand(
            {TableName: table, Key: k, UpdateExpression: 'SET w = :two', ...cond}),
        new DeleteItemCommand({TableName: table, Key: k, ...cond}),
      ];
      for (const cmd of attempts) {
        const err =
            await expectError(ctx.ddb.send(cmd), 'ConditionalCheckFailedException', CCF_MSG);
        assert.ok(err instanceof ConditionalCheckFailedException);
        assert.deepEqual(err.Item, old, cmd.constructor.name);
      }
      // NONE: no item on the exception
      const err = await expectError(
          ctx.ddb.send(new DeleteItemCommand(
              {TableName: table, Key: k, ...cond, ReturnValuesOnConditionCheckFailure: 'NONE'})),
          'ConditionalCheckFailedException',
          CCF_MSG,
      );
      assert.equal(err.Item, undefined);
      // the condition on a missing item fails with no item to return
      const err2 = await expectError(
          ctx.ddb.send(new DeleteItemCommand({TableName: table, Key: key(), ...cond})),
          'ConditionalCheckFailedException',
          CCF_MSG,
      );
      assert.equal(err2.Item, undefined);
      assert.deepEqual(await get(k), old);
    });

test('numbers are normalized: "1.50" comes back as "1.5"', async () => {
  const cases = [
    ['1.50', '1.5'],
    ['1.0', '1'],
    ['0001.23', '1.23'],
    ['+3', '3'],
    ['1e3', '1000'],
    ['-17e5', '-1700000'],
    ['1e-3', '0.001'],
    ['-0.000', '0'],
    ['31415926535897932384626433832795028841', '31415926535897932384626433832795028841'],
  ];
  for (const [given, returned] of cases) {
    const k = key();
    await ctx.ddb.send(
        new PutItemCommand({TableName: table, Item: {...k, n: N(given), ns: {NS: [given]}}}));
    assert.deepEqual(await get(k), {...k, n: N(returned), ns: {NS: [returned]}}, given);
  }
  // arithmetic in an update expression keeps full precision
  const k = key();
  const r = await ctx.ddb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: k,
        UpdateExpression: 'SET n = :a + :b',
        ExpressionAttributeValues: {':a': N('0.1'), ':b': N('0.2')},
        ReturnValues: 'ALL_NEW',
      }),
  );
  assert.deepEqual(r.Attributes.n, N('0.3'));
});

test('binary values round-trip as Uint8Array (value, set, and key)', async () => {
  const bytes = new Uint8Array([0, 1, 2, 127, 128, 254, 255]);
  const k = {pk: S(uniqueName('b')), sk: {B: new Uint8Array([0xff, 0x00, 0x10])}};
  const item = {
    ...k,
    b: {B: bytes},
    empty: {B: new Uint8Array([])},
    bs: {BS: [new Uint8Array([9]), new Uint8Array([1, 2])]}
  };
  await ctx.ddb.send(new PutItemCommand({TableName: binTable, Item: item}));
  const got = await get(k, binTable);
  assert.ok(got.b.B instanceof Uint8Array);
  assert.deepEqual(Array.from(got.b.B), Array.from(bytes));
  assert.deepEqual(Array.from(got.sk.B), [0xff, 0x00, 0x10]);
  assert.deepEqual(Array.from(got.empty.B), []);
  assert.deepEqual(got.bs.BS.map((x) => Array.from(x)).sort(), [[1, 2], [9]]);
  // a condition comparing a binary attribute
  await ctx.ddb.send(
      new DeleteItemCommand({
        TableName: binTable,
        Key: k,
        ConditionExpression: 'b = :b',
        ExpressionAttributeValues: {':b': {B: bytes}}
      }),
  );
  assert.equal(await get(k, binTable), undefined);
});

test('validation messages', async () => {
  await expectError(
      ctx.ddb.send(new GetItemCommand({TableName: table, Key: {nope: S('x')}})),
      'ValidationException',
      'The provided key element does not match the schema',
  );
  await expectError(
      ctx.ddb.send(new PutItemCommand({TableName: table, Item: {other: S('x')}})),
      'ValidationException',
      'One or more parameter values were invalid: Missing the key pk in the item',
  );
  await expectError(
      ctx.ddb.send(new PutItemCommand({TableName: table, Item: {pk: N(1)}})),
      'ValidationException',
      'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
  );
  await expectError(
      ctx.ddb.send(
          new UpdateItemCommand({
            TableName: table,
            Key: key(),
            UpdateExpression: 'SET pk = :v',
            ExpressionAttributeValues: {':v': S('y')}
          }),
          ),
      'ValidationException',
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
  );
  await expectError(
      ctx.ddb.send(new PutItemCommand({
        TableName: table,
        Item: {pk: S('x'), n: N('3.14159265358979323846264338327950288419')}
      })),
      'ValidationException',
      'Attempting to store more than 38 significant digits in a Number',
  );
  await expectError(
      ctx.ddb.send(new PutItemCommand({TableName: table, Item: {pk: S('x'), n: N('dog')}})),
      'ValidationException',
      /^The parameter cannot be converted to a numeric value/,
  );
  await expectError(
      ctx.ddb.send(new GetItemCommand({TableName: uniqueName('nosuch'), Key: key()})),
      'ResourceNotFoundException',
      /^Requested resource not found/,
  );
});

test('every response carried a matching x-amz-crc32', () => {
  assertCrcClean(ctx.ddb);
});
