// DescribeStream's ShardFilter through @aws-sdk/client-dynamodb-streams (the
// 2022 botocore model has no ShardFilter; the JavaScript SDK's model does):
// {Type: 'CHILD_SHARDS', ShardId} returns only the given shard's child, and
// the filter's members are validated as the API Reference constrains them
// (Type in [CHILD_SHARDS], ShardId 28..65 characters). Starts its own server
// with the hidden DDB_STREAM_SHARD_SECONDS knob so that shards roll over
// every second.

import {PutItemCommand} from '@aws-sdk/client-dynamodb';
import {DescribeStreamCommand, DynamoDBStreamsClient} from '@aws-sdk/client-dynamodb-streams';
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';

import {EXTERNAL_SKIP, expectError, keys, N, REGION, S, useServer} from './lib/harness.mjs';

describe('DescribeStream ShardFilter', {skip: EXTERNAL_SKIP}, () => {
  let table;
  let streamArn;
  let streams;
  process.env.DDB_STREAM_SHARD_SECONDS = '1';  // read by the server started below
  const ctx = useServer({before, after, args: ['--in-memory']}, async (c) => {
    table = await c.createTable({
      ...keys('pk', 'S'),
      StreamSpecification: {StreamEnabled: true, StreamViewType: 'KEYS_ONLY'},
    });
    streams = new DynamoDBStreamsClient({
      endpoint: c.server.url,
      region: REGION,
      credentials: {accessKeyId: 'testing-access-key', secretAccessKey: 'testing-secret-key'},
      maxAttempts: 1,
    });
    for (let i = 0; i < 3; i++) {
      await c.ddb.send(new PutItemCommand({TableName: table, Item: {pk: S('k'), n: N(i)}}));
      await new Promise((r) => setTimeout(r, 1050));
    }
    await c.ddb.send(new PutItemCommand({TableName: table, Item: {pk: S('k'), n: N(3)}}));
  });
  after(() => streams?.destroy());

  const describeStream = (input) =>
      streams.send(new DescribeStreamCommand({StreamArn: streamArn, ...input}));

  test('CHILD_SHARDS returns the child of each shard, none for the open one', async () => {
    const {ListStreamsCommand} = await import('@aws-sdk/client-dynamodb-streams');
    streamArn = (await streams.send(new ListStreamsCommand({TableName: table}))).Streams[0].StreamArn;
    const shards = (await describeStream({})).StreamDescription.Shards;
    assert.ok(shards.length >= 3, `expected rolled-over shards, got ${shards.length}`);
    for (let i = 0; i + 1 < shards.length; i++) {
      const d = await describeStream(
          {ShardFilter: {Type: 'CHILD_SHARDS', ShardId: shards[i].ShardId}});
      assert.deepEqual(d.StreamDescription.Shards, [shards[i + 1]]);
      assert.equal(d.StreamDescription.Shards[0].ParentShardId, shards[i].ShardId);
      assert.equal(d.StreamDescription.LastEvaluatedShardId, undefined);
    }
    const last = await describeStream(
        {ShardFilter: {Type: 'CHILD_SHARDS', ShardId: shards[shards.length - 1].ShardId}});
    assert.deepEqual(last.StreamDescription.Shards, []);
  });

  test('the filter is validated', async () => {
    await expectError(
        describeStream({ShardFilter: {Type: 'SIBLINGS', ShardId: 'shardId-00000000000000000001-00000000'}}),
        'ValidationException',
        '1 validation error detected: Value \'SIBLINGS\' at \'shardFilter.type\' failed to ' +
            'satisfy constraint: Member must satisfy enum value set: [CHILD_SHARDS]');
    await expectError(
        describeStream({ShardFilter: {Type: 'CHILD_SHARDS', ShardId: 'shardId-2'}}),
        'ValidationException',
        '1 validation error detected: Value \'shardId-2\' at \'shardFilter.shardId\' failed to ' +
            'satisfy constraint: Member must have length greater than or equal to 28');
    const missing = 'shardId-00000000000000000001-00000000';
    await expectError(
        describeStream({ShardFilter: {Type: 'CHILD_SHARDS', ShardId: missing}}),
        'ResourceNotFoundException',
        `Requested resource not found: Shard: ${missing} not found`);
  });
});
