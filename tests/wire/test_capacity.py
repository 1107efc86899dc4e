"""ReturnConsumedCapacity (NONE, TOTAL, INDEXES) and DynamoDB's arithmetic:
reads in 4 KB units (half for eventually consistent reads), writes in 1 KB
units, Query/Scan sum the sizes of the items read and round once.

Item sizes follow the Developer Guide: a string counts its UTF-8 bytes, an
attribute its name's bytes too. The items used here only hold strings so their
size is exact; the thresholds are chosen with wide margins."""

import pytest

from wire_util import random_key


def S(v):
    return {"S": v}


def item_of_size(size, pk=None, extra=None):
    """An item of `size` bytes: {'pk': <32 chars>, 'd': 'x' * n}."""
    pk = pk or random_key()
    base = len("pk") + len(pk) + len("d")
    it = {"pk": S(pk), "d": S("x" * (size - base))}
    if extra:
        it.update(extra)
    return it


def cap(r):
    return r["ConsumedCapacity"]


def test_none_and_absent(dynamodb, table_s):
    it = item_of_size(100)
    r = dynamodb.put_item(TableName=table_s, Item=it, ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in r
    r = dynamodb.get_item(TableName=table_s, Key={"pk": it["pk"]})
    assert "ConsumedCapacity" not in r


def test_get_item_small(dynamodb, table_s):
    it = item_of_size(1000)
    dynamodb.put_item(TableName=table_s, Item=it)
    r = dynamodb.get_item(TableName=table_s, Key={"pk": it["pk"]}, ReturnConsumedCapacity="TOTAL")
    assert cap(r)["TableName"] == table_s
    assert cap(r)["CapacityUnits"] == 0.5
    r = dynamodb.get_item(TableName=table_s, Key={"pk": it["pk"]}, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    assert cap(r)["CapacityUnits"] == 1.0


def test_get_item_exactly_4kb(dynamodb, table_s):
    it = item_of_size(4096)
    dynamodb.put_item(TableName=table_s, Item=it)
    r = dynamodb.get_item(TableName=table_s, Key={"pk": it["pk"]}, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    assert cap(r)["CapacityUnits"] == 1.0


def test_get_item_large(dynamodb, table_s):
    it = item_of_size(10000)  # 3 x 4 KB
    dynamodb.put_item(TableName=table_s, Item=it)
    r = dynamodb.get_item(TableName=table_s, Key={"pk": it["pk"]}, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    assert cap(r)["CapacityUnits"] == 3.0
    r = dynamodb.get_item(TableName=table_s, Key={"pk": it["pk"]}, ReturnConsumedCapacity="TOTAL")
    assert cap(r)["CapacityUnits"] == 1.5
    # a projection does not reduce the cost: the whole item is read
    r = dynamodb.get_item(
        TableName=table_s, Key={"pk": it["pk"]}, ConsistentRead=True, ProjectionExpression="pk", ReturnConsumedCapacity="TOTAL"
    )
    assert cap(r)["CapacityUnits"] == 3.0


def test_get_missing_item_costs_minimum(dynamodb, table_s):
    r = dynamodb.get_item(TableName=table_s, Key={"pk": S(random_key())}, ReturnConsumedCapacity="TOTAL")
    assert cap(r)["CapacityUnits"] == 0.5
    r = dynamodb.get_item(TableName=table_s, Key={"pk": S(random_key())}, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    assert cap(r)["CapacityUnits"] == 1.0


def test_get_item_indexes(dynamodb, table_s):
    it = item_of_size(1000)
    dynamodb.put_item(TableName=table_s, Item=it)
    r = dynamodb.get_item(TableName=table_s, Key={"pk": it["pk"]}, ConsistentRead=True, ReturnConsumedCapacity="INDEXES")
    c = cap(r)
    assert c["TableName"] == table_s
    assert c["CapacityUnits"] == 1.0
    assert c["Table"]["CapacityUnits"] == 1.0


@pytest.mark.parametrize("size, units", [(100, 1.0), (1024, 1.0), (1025, 2.0), (1500, 2.0), (3500, 4.0), (10 * 1024, 10.0)])
def test_put_item_units(dynamodb, table_s, size, units):
    r = dynamodb.put_item(TableName=table_s, Item=item_of_size(size), ReturnConsumedCapacity="TOTAL")
    assert cap(r)["TableName"] == table_s
    assert cap(r)["CapacityUnits"] == units


def test_put_item_indexes(dynamodb, table_s):
    r = dynamodb.put_item(TableName=table_s, Item=item_of_size(1500), ReturnConsumedCapacity="INDEXES")
    assert cap(r)["CapacityUnits"] == 2.0
    assert cap(r)["Table"]["CapacityUnits"] == 2.0


def test_put_replacing_larger_item_costs_the_larger(dynamodb, table_s):
    big = item_of_size(3500)
    dynamodb.put_item(TableName=table_s, Item=big)
    small = item_of_size(100, pk=big["pk"]["S"])
    r = dynamodb.put_item(TableName=table_s, Item=small, ReturnConsumedCapacity="TOTAL")
    assert cap(r)["CapacityUnits"] == 4.0


def test_update_item_costs_larger_of_before_and_after(dynamodb, table_s):
    big = item_of_size(2500)
    dynamodb.put_item(TableName=table_s, Item=big)
    r = dynamodb.update_item(TableName=table_s, Key={"pk": big["pk"]}, UpdateExpression="REMOVE d", ReturnConsumedCapacity="TOTAL")
    assert cap(r)["CapacityUnits"] == 3.0
    r = dynamodb.update_item(
        TableName=table_s,
        Key={"pk": big["pk"]},
        UpdateExpression="SET e = :v",
        ExpressionAttributeValues={":v": S("y" * 5000)},
        ReturnConsumedCapacity="TOTAL",
    )
    assert cap(r)["CapacityUnits"] == 5.0


def test_delete_item_units(dynamodb, table_s):
    it = item_of_size(2500)
    dynamodb.put_item(TableName=table_s, Item=it)
    r = dynamodb.delete_item(TableName=table_s, Key={"pk": it["pk"]}, ReturnConsumedCapacity="TOTAL")
    assert cap(r)["CapacityUnits"] == 3.0
    r = dynamodb.delete_item(TableName=table_s, Key={"pk": it["pk"]}, ReturnConsumedCapacity="TOTAL")
    assert cap(r)["CapacityUnits"] == 1.0


@pytest.fixture(scope="module")
def q10(dynamodb, table_ss):
    """Ten items of ~990 bytes in one partition: 9,900 bytes in all."""
    p = random_key()
    for i in range(10):
        dynamodb.put_item(TableName=table_ss, Item={"pk": S(p), "sk": S(f"{i:03d}"), "d": S("x" * 950)})
    return p


def test_query_sums_then_rounds(dynamodb, table_ss, q10):
    kw = dict(
        TableName=table_ss,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": S(q10)},
        ReturnConsumedCapacity="TOTAL",
    )
    r = dynamodb.query(ConsistentRead=True, **kw)
    assert r["Count"] == 10
    # 9,900 bytes -> 3 x 4 KB (per-item rounding would give 10)
    assert cap(r)["CapacityUnits"] == 3.0
    assert cap(r)["TableName"] == table_ss
    r = dynamodb.query(**kw)
    assert cap(r)["CapacityUnits"] == 1.5


def test_query_count_and_filter_cost_the_same(dynamodb, table_ss, q10):
    kw = dict(
        TableName=table_ss,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": S(q10)},
        ReturnConsumedCapacity="TOTAL",
        ConsistentRead=True,
    )
    assert cap(dynamodb.query(Select="COUNT", **kw))["CapacityUnits"] == 3.0
    r = dynamodb.query(FilterExpression="attribute_not_exists(d)", **kw)
    assert r["Count"] == 0 and r["ScannedCount"] == 10
    assert cap(r)["CapacityUnits"] == 3.0


def test_query_indexes(dynamodb, table_ss, q10):
    r = dynamodb.query(
        TableName=table_ss,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": S(q10)},
        ConsistentRead=True,
        ReturnConsumedCapacity="INDEXES",
    )
    assert cap(r)["CapacityUnits"] == 3.0
    assert cap(r)["Table"]["CapacityUnits"] == 3.0


def test_query_with_limit(dynamodb, table_ss, q10):
    r = dynamodb.query(
        TableName=table_ss,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": S(q10)},
        ConsistentRead=True,
        Limit=3,
        ReturnConsumedCapacity="TOTAL",
    )
    assert cap(r)["CapacityUnits"] == 1.0  # ~2,970 bytes


def test_scan_sums_then_rounds(dynamodb, table_factory):
    name = table_factory(hash_key=("pk", "S"))
    for _ in range(10):
        dynamodb.put_item(TableName=name, Item=item_of_size(990))
    r = dynamodb.scan(TableName=name, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    assert r["Count"] == 10
    assert cap(r)["CapacityUnits"] == 3.0
    r = dynamodb.scan(TableName=name, ReturnConsumedCapacity="TOTAL")
    assert cap(r)["CapacityUnits"] == 1.5


def test_invalid_return_consumed_capacity(raw_client, table_s):
    from wire_util import expect_validation

    with expect_validation(match=r"returnConsumedCapacity.*Member must satisfy enum value set"):
        raw_client.get_item(TableName=table_s, Key={"pk": S("x")}, ReturnConsumedCapacity="ALL")
