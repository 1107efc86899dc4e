// CreateTable / DescribeTable / ListTables / DeleteTable through the AWS SDK
// for JavaScript v3, and DynamoDB's validation messages for bad definitions.

import {CreateTableCommand, DeleteTableCommand, DescribeTableCommand, ListTablesCommand, paginateListTables,} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {assertCrcClean, expectError, keys, uniqueName, useServer, waitActive} from './lib/harness.mjs';

const ctx = useServer({before, after});

test('CreateTable returns the description, DescribeTable agrees', async () => {
  const name = uniqueName();
  ctx.tables.push(name);
  const created = await ctx.ddb.send(
      new CreateTableCommand({
        TableName: name,
        ...keys('pk', 'S', 'sk', 'N'),
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 7},
      }),
  );
  const d = created.TableDescription;
  assert.equal(d.TableName, name);
  assert.ok(['CREATING', 'ACTIVE'].includes(d.TableStatus));
  assert.deepEqual(d.KeySchema, [
    {AttributeName: 'pk', KeyType: 'HASH'},
    {AttributeName: 'sk', KeyType: 'RANGE'},
  ]);
  assert.deepEqual(d.AttributeDefinitions, [
    {AttributeName: 'pk', AttributeType: 'S'},
    {AttributeName: 'sk', AttributeType: 'N'},
  ]);
  assert.equal(d.ProvisionedThroughput.ReadCapacityUnits, 5);
  assert.equal(d.ProvisionedThroughput.WriteCapacityUnits, 7);
  assert.equal(d.ItemCount, 0);
  assert.equal(d.TableSizeBytes, 0);
  assert.ok(d.CreationDateTime instanceof Date);
  assert.match(d.TableArn, new RegExp(`^arn:aws:dynamodb:[a-z0-9-]+:\\d{12}:table/${name}$`));

  const t = await waitActive(ctx.ddb, name);
  assert.equal(t.TableName, name);
  assert.equal(t.TableStatus, 'ACTIVE');
  assert.equal(t.TableArn, d.TableArn);
  assert.deepEqual(t.KeySchema, d.KeySchema);
  assert.deepEqual(t.AttributeDefinitions, d.AttributeDefinitions);
  assert.equal(t.ItemCount, 0);
  assert.equal(t.ProvisionedThroughput.ReadCapacityUnits, 5);
  assert.equal(t.ProvisionedThroughput.WriteCapacityUnits, 7);
});

test('PAY_PER_REQUEST tables report their billing mode and zero throughput', async () => {
  const name = await ctx.createTable(keys('id', 'B'));
  const t = (await ctx.ddb.send(new DescribeTableCommand({TableName: name}))).Table;
  assert.equal(t.BillingModeSummary.BillingMode, 'PAY_PER_REQUEST');
  assert.equal(t.ProvisionedThroughput.ReadCapacityUnits, 0);
  assert.equal(t.ProvisionedThroughput.WriteCapacityUnits, 0);
  assert.deepEqual(t.AttributeDefinitions, [{AttributeName: 'id', AttributeType: 'B'}]);
});

test('ListTables lists names in order, pages with Limit and ExclusiveStartTableName', async () => {
  const prefix = uniqueName('lst');
  const names = [];
  for (const suffix of ['c', 'a', 'b']) {
    names.push(await ctx.createTable({TableName: `${prefix}-${suffix}`, ...keys('pk', 'S')}));
  }
  const all = (await ctx.ddb.send(new ListTablesCommand({}))).TableNames;
  const ours = all.filter((n) => n.startsWith(prefix));
  assert.deepEqual(ours, [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
  assert.deepEqual([...all].sort(), all, 'ListTables returns names in sorted order');

  const page =
      await ctx.ddb.send(new ListTablesCommand({ExclusiveStartTableName: `${prefix}-a`, Limit: 1}));
  assert.deepEqual(page.TableNames, [`${prefix}-b`]);
  assert.equal(page.LastEvaluatedTableName, `${prefix}-b`);

  // The SDK's paginator follows LastEvaluatedTableName to the end.
  const seen = [];
  for await (const p of paginateListTables({client: ctx.ddb, pageSize: 2}, {})) {
    assert.ok(p.TableNames.length <= 2);
    seen.push(...p.TableNames);
  }
  assert.deepEqual(seen, all);
});

test('DeleteTable returns the description; the table is then gone', async () => {
  const name = await ctx.createTable(keys('pk', 'S'));
  const r = await ctx.ddb.send(new DeleteTableCommand({TableName: name}));
  assert.equal(r.TableDescription.TableName, name);
  assert.ok(['DELETING', 'ACTIVE'].includes(r.TableDescription.TableStatus));
  // Deletion is immediate on this server (DynamoDB reports DELETING for a while).
  await expectError(
      ctx.ddb.send(new DescribeTableCommand({TableName: name})),
      'ResourceNotFoundException',
      /^Requested resource not found/,
  );
  const all = (await ctx.ddb.send(new ListTablesCommand({}))).TableNames;
  assert.ok(!all.includes(name));
  await expectError(
      ctx.ddb.send(new DeleteTableCommand({TableName: name})),
      'ResourceNotFoundException',
      /^Requested resource not found/,
  );
});

test('CreateTable of an existing table is ResourceInUseException', async () => {
  const name = await ctx.createTable(keys('pk', 'S'));
  await expectError(
      ctx.ddb.send(new CreateTableCommand(
          {TableName: name, ...keys('pk', 'S'), BillingMode: 'PAY_PER_REQUEST'})),
      'ResourceInUseException',
      new RegExp(`^Table already exists: ${name}`),
  );
});

test('CreateTable validation messages', async () => {
  await expectError(
      ctx.ddb.send(
          new CreateTableCommand({
            TableName: uniqueName(),
            KeySchema: [{AttributeName: 'pk', KeyType: 'HASH'}],
            AttributeDefinitions: [{AttributeName: 'other', AttributeType: 'S'}],
            BillingMode: 'PAY_PER_REQUEST',
          }),
          ),
      'ValidationException',
      'One or more parameter values were invalid: Some index key attributes are not defined in ' +
          'AttributeDefinitions. Keys: [pk], AttributeDefinitions: [other]',
  );
  await expectError(
      ctx.ddb.send(
          new CreateTableCommand({
            TableName: uniqueName(),
            KeySchema: [
              {AttributeName: 'pk', KeyType: 'RANGE'},
              {AttributeName: 'sk', KeyType: 'HASH'},
            ],
            AttributeDefinitions: [
              {AttributeName: 'pk', AttributeType: 'S'},
              {AttributeName: 'sk', AttributeType: 'S'},
            ],
            BillingMode: 'PAY_PER_REQUEST',
          }),
          ),
      'ValidationException',
      'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
  );
  await expectError(
      ctx.ddb.send(new CreateTableCommand(
          {TableName: uniqueName(), ...keys('pk', 'S'), BillingMode: 'PROVISIONED'})),
      'ValidationException',
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
  );
});

test('every response carried a matching x-amz-crc32', () => {
  assertCrcClean(ctx.ddb);
});
