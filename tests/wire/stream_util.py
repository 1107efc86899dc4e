"""Shared helpers for the DynamoDB Streams wire tests (test_streams.py and
test_streams_limits.py): the `dynamodbstreams` client fixture, reading a
stream's shards and records, the seed's messages table, and the Cruddur
reference's stream function (docs/DESIGN.md §10.10)."""

import pytest

from conftest import make_client
from wire_util import S

STREAM = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}

# The seed's GSI on the messages table.
INDEX = "message-group-sk-index"


@pytest.fixture(scope="session")
def streams(endpoint):
    """A boto3 `dynamodbstreams` client for the suite's server. A fixture:
    test modules import it (`from stream_util import streams`)."""
    return make_client(endpoint, service="dynamodbstreams")


# ---- Streams, shards and records ------------------------------------------------


def stream_arn(c, table):
    return c.describe_table(TableName=table)["Table"]["LatestStreamArn"]


def shards_of(st, arn):
    """Every shard of the stream (all DescribeStream pages), parents first."""
    shards, kw = [], {"StreamArn": arn}
    while True:
        d = st.describe_stream(**kw)["StreamDescription"]
        shards.extend(d["Shards"])
        if "LastEvaluatedShardId" not in d:
            return shards
        kw["ExclusiveStartShardId"] = d["LastEvaluatedShardId"]


def shard_iterator(st, arn, shard_id, kind="TRIM_HORIZON", **kw):
    """A new iterator of `kind`; `kw` adds e.g. SequenceNumber."""
    return st.get_shard_iterator(StreamArn=arn, ShardId=shard_id, ShardIteratorType=kind, **kw)["ShardIterator"]


def read_shard(st, arn, shard_id, kind="TRIM_HORIZON", **kw):
    """All records of a shard available now."""
    it = shard_iterator(st, arn, shard_id, kind, **kw)
    out = []
    while it:
        r = st.get_records(ShardIterator=it)
        out.extend(r["Records"])
        it = r.get("NextShardIterator")
        if not r["Records"]:
            break
    return out


def read_stream(st, arn):
    """Every record of the stream, shard by shard (parents first)."""
    out = []
    for sh in shards_of(st, arn):
        out.extend(read_shard(st, arn, sh["ShardId"]))
    return out


# ---- The seed's messages table ----------------------------------------------------


def messages_table(table_factory, provisioned=None, **kwargs):
    """The seed's `schema-load` table shape, made by `table_factory`: pk/sk,
    GSI INDEX on message_group_uuid/sk (projection ALL). `provisioned`:
    (read, write) capacity units for the table and the GSI, as the seed has
    them (5, 5); otherwise on demand. `kwargs` go to CreateTable."""
    gsi = {
        "IndexName": INDEX,
        "KeySchema": [
            {"AttributeName": "message_group_uuid", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    }
    if provisioned:
        throughput = {"ReadCapacityUnits": provisioned[0], "WriteCapacityUnits": provisioned[1]}
        gsi["ProvisionedThroughput"] = throughput
        kwargs.update(BillingMode="PROVISIONED", ProvisionedThroughput=throughput)
    return table_factory(
        range_key=("sk", "S"),
        AttributeDefinitions=[
            {"AttributeName": "message_group_uuid", "AttributeType": "S"},
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[gsi],
        **kwargs,
    )


def put_inbox_item(ddb, table, group, owner, peer, handle):
    """The seed's inbox item (GRP#<owner>) of a conversation with `peer`."""
    ddb.put_item(
        TableName=table,
        Item={
            "pk": S(f"GRP#{owner}"),
            "sk": S("2023-01-01T00:00:00.000000"),
            "message_group_uuid": S(group),
            "message": S("first"),
            "user_uuid": S(peer),
            "user_display_name": S(handle.title()),
            "user_handle": S(handle),
        },
    )


def put_message(ddb, table, group, sk, message_uuid, user_uuid, text):
    """A message of the group (MSG#<group>), as the app writes one."""
    ddb.put_item(
        TableName=table,
        Item={
            "pk": S(f"MSG#{group}"),
            "sk": S(sk),
            "message_uuid": S(message_uuid),
            "user_uuid": S(user_uuid),
            "message": S(text),
        },
    )


def group_items(ddb, table, group):
    """The items of a message group, through the GSI (one page)."""
    return ddb.query(
        TableName=table,
        IndexName=INDEX,
        KeyConditionExpression="message_group_uuid = :g",
        ExpressionAttributeValues={":g": S(group)},
    )["Items"]


def cruddur_stream_function(ddb, table, record):
    """The reference Lambda, one record at a time: for a new or changed
    message (pk MSG#<group>), re-write both participants' inbox items (GRP#)
    with the message's sk and text; REMOVE and GRP# events are ignored."""
    if record["eventName"] == "REMOVE":
        return
    keys = record["dynamodb"]["Keys"]
    pk, sk = keys["pk"]["S"], keys["sk"]["S"]
    if not pk.startswith("MSG#"):
        return
    group = pk[len("MSG#") :]
    text = record["dynamodb"]["NewImage"]["message"]["S"]
    for grp in group_items(ddb, table, group):
        ddb.delete_item(TableName=table, Key={"pk": grp["pk"], "sk": grp["sk"]})
        ddb.put_item(
            TableName=table,
            Item={
                "pk": grp["pk"],
                "sk": S(sk),
                "message_group_uuid": grp["message_group_uuid"],
                "message": S(text),
                "user_display_name": grp["user_display_name"],
                "user_handle": grp["user_handle"],
                "user_uuid": grp["user_uuid"],
            },
        )
