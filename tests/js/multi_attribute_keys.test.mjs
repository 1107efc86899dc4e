// GSIs with multi-attribute keys (DynamoDB, November 2025) through the AWS
// SDK for JavaScript v3, whose model has them: CreateTable with two HASH and
// two RANGE attributes, DescribeTable, writes, and a Query giving every
// partition-key attribute and a prefix of the sort-key attributes.

import {DescribeTableCommand, PutItemCommand, QueryCommand} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {expectError, N, S, useServer} from './lib/harness.mjs';

const GSI_KEY = [
  {AttributeName: 'tournament', KeyType: 'HASH'},
  {AttributeName: 'region', KeyType: 'HASH'},
  {AttributeName: 'round', KeyType: 'RANGE'},
  {AttributeName: 'bracket', KeyType: 'RANGE'},
];

let table;
const ctx = useServer({before, after}, async (c) => {
  table = await c.createTable({
    KeySchema: [{AttributeName: 'pk', KeyType: 'HASH'}],
    AttributeDefinitions: [
      {AttributeName: 'pk', AttributeType: 'S'},
      {AttributeName: 'tournament', AttributeType: 'S'},
      {AttributeName: 'region', AttributeType: 'S'},
      {AttributeName: 'round', AttributeType: 'N'},
      {AttributeName: 'bracket', AttributeType: 'S'},
    ],
    GlobalSecondaryIndexes:
        [{IndexName: 'matches', KeySchema: GSI_KEY, Projection: {ProjectionType: 'ALL'}}],
  });
});

function match(pk, region, round, bracket) {
  return {pk: S(pk), tournament: S('WINTER'), region: S(region), round: N(round), bracket: S(bracket)};
}

test('DescribeTable lists every key attribute of the index in order', async () => {
  const t = (await ctx.ddb.send(new DescribeTableCommand({TableName: table}))).Table;
  assert.deepEqual(t.GlobalSecondaryIndexes[0].KeySchema, GSI_KEY);
});

test('Query on every partition-key attribute and a sort-key prefix', async () => {
  for (const [pk, region, round, bracket] of [
           ['a', 'EU', 1, 'upper'], ['b', 'EU', 1, 'lower'], ['c', 'EU', 2, 'upper'],
           ['d', 'US', 1, 'upper']]) {
    await ctx.ddb.send(new PutItemCommand({TableName: table, Item: match(pk, region, round, bracket)}));
  }
  const {bracket, ...noBracket} = match('sparse', 'EU', 1, 'x');
  await ctx.ddb.send(new PutItemCommand({TableName: table, Item: noBracket}));
  const q = async (cond, values) => (await ctx.ddb.send(new QueryCommand({
                                      TableName: table,
                                      IndexName: 'matches',
                                      KeyConditionExpression: 'tournament = :t AND #r = :r' + cond,
                                      ExpressionAttributeNames:
                                          {'#r': 'region', ...(cond.includes('#rd') ? {'#rd': 'round'} : {})},
                                      ExpressionAttributeValues: {':t': S('WINTER'), ':r': S('EU'), ...values},
                                    }))).Items.map((i) => i.pk.S);
  assert.deepEqual(await q('', {}), ['b', 'a', 'c']);
  assert.deepEqual(await q(' AND #rd = :n', {':n': N(1)}), ['b', 'a']);
  assert.deepEqual(await q(' AND #rd = :n AND bracket >= :b', {':n': N(1), ':b': S('m')}), ['a']);
  await expectError(
      ctx.ddb.send(new QueryCommand({
        TableName: table,
        IndexName: 'matches',
        KeyConditionExpression: 'tournament = :t',
        ExpressionAttributeValues: {':t': S('WINTER')},
      })),
      'ValidationException', 'Query condition missed key schema element: region');
});
