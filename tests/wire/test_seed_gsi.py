"""The seed's table (issue 3): after the seed's own `schema-load` and `seed`
scripts (run against a server on port 8000, the endpoint they hard-code, with
the fixtures of test_seed_scripts.py), querying the GSI `message-group-sk-index`
by the seed's group uuid returns exactly the two inbox items."""

import re

import pytest
from test_seed_scripts import (  # noqa: F401  (env and seed_server are fixtures)
    GROUP,
    MY_UUID,
    OTHER_UUID,
    TABLE,
    client,
    conversation_lines,
    env,
    run,
    seed_server,
)

INDEX = "message-group-sk-index"
ISO_NOW = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$")  # datetime.now().isoformat()


def inbox_item(owner_uuid, other_uuid, other_handle, other_name, sk):
    return {
        "pk": {"S": f"GRP#{owner_uuid}"},
        "sk": {"S": sk},
        "message_group_uuid": {"S": GROUP},
        "message": {"S": "this is a filler message"},
        "user_uuid": {"S": other_uuid},
        "user_display_name": {"S": other_name},
        "user_handle": {"S": other_handle},
    }


@pytest.fixture
def ddb(env):
    """A boto3 client for the seed's server. Closed before the server stops, so
    that the server does not close its connections first and leave port 8000
    in TIME_WAIT (which makes the next seed module find the port busy)."""
    c = client()
    yield c
    c.close()


def query_index(c, **kw):
    items = []
    kwargs = {
        "TableName": TABLE,
        "IndexName": INDEX,
        "KeyConditionExpression": "message_group_uuid = :g",
        "ExpressionAttributeValues": {":g": {"S": GROUP}},
        **kw,
    }
    while True:
        r = c.query(**kwargs)
        items.extend(r["Items"])
        if "LastEvaluatedKey" not in r:
            return items
        kwargs["ExclusiveStartKey"] = r["LastEvaluatedKey"]


def test_seed_group_query_on_gsi_returns_the_two_inbox_items(env, ddb):
    r = run(env, "schema-load")
    assert r.returncode == 0, r.stderr
    r = run(env, "seed")
    assert r.returncode == 0, r.stderr
    c = ddb
    # the seed wrote 2 inbox items and one message per conversation line
    all_items = c.scan(TableName=TABLE, ConsistentRead=True)["Items"]
    assert len(all_items) == 2 + len(conversation_lines())

    items = sorted(query_index(c), key=lambda i: i["pk"]["S"])
    assert len(items) == 2, items
    sk = items[0]["sk"]["S"]
    assert ISO_NOW.match(sk), sk
    expected = sorted(
        [
            inbox_item(MY_UUID, OTHER_UUID, "bayko", "Andrew Bayko", sk),
            inbox_item(OTHER_UUID, MY_UUID, "andrewbrown", "Andrew Brown", sk),
        ],
        key=lambda i: i["pk"]["S"],
    )
    assert items == expected

    # the same two through the sort-key condition the app uses, and by count
    year = sk[:4]
    items2 = query_index(
        c,
        KeyConditionExpression="message_group_uuid = :g AND begins_with(sk, :y)",
        ExpressionAttributeValues={":g": {"S": GROUP}, ":y": {"S": year}},
        ScanIndexForward=False,
    )
    assert sorted(items2, key=lambda i: i["pk"]["S"]) == expected
    r = c.query(
        TableName=TABLE,
        IndexName=INDEX,
        KeyConditionExpression="message_group_uuid = :g",
        ExpressionAttributeValues={":g": {"S": GROUP}},
        Select="COUNT",
    )
    assert (r["Count"], r["ScannedCount"]) == (2, 2)

    # the index holds nothing else: the messages have no message_group_uuid
    index_items = c.scan(TableName=TABLE, IndexName=INDEX)["Items"]
    assert sorted(index_items, key=lambda i: i["pk"]["S"]) == expected
    # and another group uuid finds nothing
    r = c.query(
        TableName=TABLE,
        IndexName=INDEX,
        KeyConditionExpression="message_group_uuid = :g",
        ExpressionAttributeValues={":g": {"S": "00000000-0000-4000-8000-000000000000"}},
    )
    assert r["Items"] == [] and r["Count"] == 0

    c.delete_table(TableName=TABLE)
