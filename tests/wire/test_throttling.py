"""Throttling of PROVISIONED tables: per-table and per-GSI token buckets
refilled at the provisioned rate with 300 seconds of burst credit (a new
table starts with the credit full), ProvisionedThroughputExceededException
over the limit, UnprocessedItems / UnprocessedKeys from batches, cancellation
reasons from transactions, PAY_PER_REQUEST never throttled, UpdateTable
re-rating the buckets, and --no-throttling (DynamoDB Local's behaviour).

Every table here has 1 unit per second of the throttled kind, so its burst is
300 units; the tests spend it with large items so that a refill during the
test (one unit per second) cannot change the outcome."""

import subprocess
import time

import pytest
from botocore.exceptions import ClientError

from wire_util import SERVER_BIN, ServerProcess, expect_error, unique_name
from conftest import make_client

TABLE_MSG = (
    "The level of configured provisioned throughput for the table was exceeded. "
    "Consider increasing your provisioning level with the UpdateTable API."
)
INDEX_MSG = (
    "The level of configured provisioned throughput for one or more global secondary indexes of the "
    "table was exceeded. Consider increasing your provisioning level for the under-provisioned global "
    "secondary indexes with the UpdateTable API."
)


def S(v):
    return {"S": v}


def item(pk, kb, **extra):
    """An item of `kb` KB minus a few bytes: costs exactly `kb` write units."""
    it = {"pk": S(pk), "d": S("x" * (kb * 1024 - 3 - len(pk) - 8))}
    it.update(extra)
    return it


def provisioned(table_factory, rcu=1, wcu=1, **kw):
    return table_factory(
        BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": rcu, "WriteCapacityUnits": wcu}, **kw
    )


def throttled(message=TABLE_MSG):
    return expect_error("ProvisionedThroughputExceededException", message=message, status=400)


def test_burst_then_throttle(dynamodb, table_factory):
    t = provisioned(table_factory)
    cost = dynamodb.put_item(TableName=t, Item=item("k0", 10), ReturnConsumedCapacity="TOTAL")
    assert cost["ConsumedCapacity"]["CapacityUnits"] == 10.0
    # The whole 300-unit burst is there from the start: 30 puts of 10 units
    # pass, and at most a few units refill meanwhile.
    for i in range(1, 30):
        dynamodb.put_item(TableName=t, Item=item(f"k{i}", 10))
    first_throttled = None
    for i in range(30, 34):
        try:
            dynamodb.put_item(TableName=t, Item=item(f"k{i}", 10))
        except ClientError as e:
            assert e.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
            assert e.response["Error"]["Message"] == TABLE_MSG
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
            first_throttled = i
            break
    assert first_throttled is not None
    # Reads have their own bucket.
    dynamodb.get_item(TableName=t, Key={"pk": S("k0")})


def test_single_large_item_passes_then_debt_throttles(dynamodb, table_factory):
    t = provisioned(table_factory)
    # 390 units on a 1-WCU table: admitted from the full burst, leaving a
    # debt of ~90 units that throttles everything for a minute and a half.
    dynamodb.put_item(TableName=t, Item=item("big", 390))
    with throttled():
        dynamodb.put_item(TableName=t, Item={"pk": S("small")})
    with throttled():
        dynamodb.delete_item(TableName=t, Key={"pk": S("big")})
    with throttled():
        dynamodb.update_item(TableName=t, Key={"pk": S("small")}, UpdateExpression="SET a = :a",
                             ExpressionAttributeValues={":a": S("a")})
    assert "Item" not in dynamodb.get_item(TableName=t, Key={"pk": S("small")})


def test_pay_per_request_is_never_throttled(dynamodb, table_factory):
    t = table_factory(BillingMode="PAY_PER_REQUEST")
    for i in range(3):
        dynamodb.put_item(TableName=t, Item=item(f"k{i}", 390))
    for i in range(3):
        dynamodb.get_item(TableName=t, Key={"pk": S(f"k{i}")}, ConsistentRead=True)


def test_reads_throttle(dynamodb, table_factory):
    t = provisioned(table_factory, rcu=1, wcu=1000)
    dynamodb.put_item(TableName=t, Item=item("big", 390))
    # A strongly consistent read of it costs 98 units: three leave 6, the
    # fourth is admitted into debt, the fifth is throttled.
    for _ in range(4):
        dynamodb.get_item(TableName=t, Key={"pk": S("big")}, ConsistentRead=True)
    with throttled():
        dynamodb.get_item(TableName=t, Key={"pk": S("big")})
    with throttled():
        dynamodb.query(TableName=t, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": S("big")})
    with throttled():
        dynamodb.scan(TableName=t)


def test_gsi_write_capacity_throttles_table_writes(dynamodb, table_factory):
    t = provisioned(
        table_factory,
        rcu=1,
        wcu=1000,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-g",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
                "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
            }
        ],
    )
    # 390 units into the 1-WCU index: admitted, then the index is in debt.
    dynamodb.put_item(TableName=t, Item=item("a", 390, g=S("G")))
    with throttled(INDEX_MSG):
        dynamodb.put_item(TableName=t, Item=item("b", 1, g=S("G")))
    # Writes that do not touch the index only need the table's capacity.
    dynamodb.put_item(TableName=t, Item=item("c", 1))
    # Reading the index uses the index's read capacity.
    r = dynamodb.query(
        TableName=t, IndexName="by-g", KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": S("G")},
        ReturnConsumedCapacity="INDEXES",
    )
    assert r["ConsumedCapacity"]["GlobalSecondaryIndexes"]["by-g"]["CapacityUnits"] == 49.0
    for _ in range(6):
        dynamodb.query(
            TableName=t, IndexName="by-g", KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": S("G")}
        )
    with throttled(INDEX_MSG):
        dynamodb.query(
            TableName=t, IndexName="by-g", KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": S("G")}
        )
    # ... not the table's.
    dynamodb.get_item(TableName=t, Key={"pk": S("c")})


def test_batch_write_returns_unprocessed_items(dynamodb, table_factory):
    t = provisioned(table_factory)
    for i in range(28):
        dynamodb.put_item(TableName=t, Item=item(f"k{i}", 10))
    # ~20 units left: the first 15-unit put leaves ~5, the second is admitted
    # into debt, the last two are returned.
    reqs = [{"PutRequest": {"Item": item(f"b{i}", 15)}} for i in range(4)]
    r = dynamodb.batch_write_item(RequestItems={t: reqs}, ReturnConsumedCapacity="TOTAL")
    assert r["UnprocessedItems"] == {t: reqs[2:]}
    assert r["ConsumedCapacity"] == [{"TableName": t, "CapacityUnits": 30.0, "WriteCapacityUnits": 30.0}]
    assert "Item" in dynamodb.get_item(TableName=t, Key={"pk": S("b1")})
    assert "Item" not in dynamodb.get_item(TableName=t, Key={"pk": S("b2")})
    # Nothing could be processed: the call fails.
    with throttled():
        dynamodb.batch_write_item(RequestItems={t: r["UnprocessedItems"][t]})


def test_batch_write_mixes_throttled_and_on_demand_tables(dynamodb, table_factory):
    t = provisioned(table_factory)
    ppr = table_factory(BillingMode="PAY_PER_REQUEST")
    dynamodb.put_item(TableName=t, Item=item("big", 390))
    reqs = {t: [{"PutRequest": {"Item": {"pk": S("x")}}}], ppr: [{"PutRequest": {"Item": {"pk": S("x")}}}]}
    r = dynamodb.batch_write_item(RequestItems=reqs)
    assert r["UnprocessedItems"] == {t: reqs[t]}
    assert "Item" in dynamodb.get_item(TableName=ppr, Key={"pk": S("x")})


def test_batch_get_returns_unprocessed_keys(dynamodb, table_factory):
    t = provisioned(table_factory, rcu=1, wcu=1000)
    dynamodb.put_item(TableName=t, Item=item("big", 390))
    dynamodb.put_item(TableName=t, Item={"pk": S("s1")})
    dynamodb.put_item(TableName=t, Item={"pk": S("s2")})
    for _ in range(3):  # 3 x 98 units: ~6 left
        dynamodb.get_item(TableName=t, Key={"pk": S("big")}, ConsistentRead=True)
    keys = [{"pk": S("big")}, {"pk": S("s1")}, {"pk": S("s2")}]
    r = dynamodb.batch_get_item(
        RequestItems={t: {"Keys": keys, "ConsistentRead": True}}, ReturnConsumedCapacity="TOTAL"
    )
    assert [i["pk"] for i in r["Responses"][t]] == [S("big")]
    assert r["UnprocessedKeys"] == {t: {"Keys": keys[1:], "ConsistentRead": True}}
    assert r["ConsumedCapacity"] == [{"TableName": t, "CapacityUnits": 98.0, "ReadCapacityUnits": 98.0}]
    with throttled():
        dynamodb.batch_get_item(RequestItems={t: {"Keys": keys[1:]}})


def test_transactions_cancel_with_throughput_reason(dynamodb, table_factory):
    t = provisioned(table_factory)
    ppr = table_factory(BillingMode="PAY_PER_REQUEST")
    dynamodb.put_item(TableName=t, Item=item("big", 390))
    with pytest.raises(ClientError) as ei:
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": ppr, "Item": {"pk": S("a")}}},
                {"Put": {"TableName": t, "Item": {"pk": S("b")}}},
            ]
        )
    err = ei.value.response
    assert err["Error"]["Code"] == "TransactionCanceledException"
    assert err["Error"]["Message"] == (
        "Transaction cancelled, please refer cancellation reasons for specific reasons "
        "[None, ProvisionedThroughputExceeded]"
    )
    assert err["CancellationReasons"] == [
        {"Code": "None"},
        {"Code": "ProvisionedThroughputExceeded", "Message": TABLE_MSG},
    ]
    assert "Item" not in dynamodb.get_item(TableName=ppr, Key={"pk": S("a")})


def test_transact_get_cancels_with_throughput_reason(dynamodb, table_factory):
    t = provisioned(table_factory, rcu=1, wcu=1000)
    dynamodb.put_item(TableName=t, Item=item("big", 390))
    # Transactional reads cost 2 x 98 units: the second is admitted into debt.
    for _ in range(2):
        dynamodb.transact_get_items(TransactItems=[{"Get": {"TableName": t, "Key": {"pk": S("big")}}}])
    with pytest.raises(ClientError) as ei:
        dynamodb.transact_get_items(TransactItems=[{"Get": {"TableName": t, "Key": {"pk": S("big")}}}])
    assert ei.value.response["CancellationReasons"] == [
        {"Code": "ProvisionedThroughputExceeded", "Message": TABLE_MSG}
    ]


def test_update_table_re_rates_the_buckets(dynamodb, table_factory):
    t = provisioned(table_factory)
    dynamodb.put_item(TableName=t, Item=item("big", 390))  # ~90 units of debt at 1/s
    with throttled():
        dynamodb.put_item(TableName=t, Item={"pk": S("a")})
    dynamodb.update_table(TableName=t, ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1000})
    time.sleep(0.3)  # 300 units at the new rate
    dynamodb.put_item(TableName=t, Item={"pk": S("a")})


def test_switching_to_on_demand_stops_throttling(dynamodb, table_factory):
    t = provisioned(table_factory)
    dynamodb.put_item(TableName=t, Item=item("big", 390))
    with throttled():
        dynamodb.put_item(TableName=t, Item={"pk": S("a")})
    dynamodb.update_table(TableName=t, BillingMode="PAY_PER_REQUEST")
    dynamodb.put_item(TableName=t, Item={"pk": S("a")})


@pytest.mark.local_only
def test_no_throttling_flag():
    srv = ServerProcess(["--in-memory", "--no-throttling"])
    try:
        c = make_client(srv.url)
        name = unique_name()
        c.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        )
        for i in range(4):  # 1,560 units on a 1-WCU table
            c.put_item(TableName=name, Item=item(f"k{i}", 390))
        for i in range(4):
            c.get_item(TableName=name, Key={"pk": S(f"k{i}")}, ConsistentRead=True)
        r = c.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": item(f"b{i}", 100)}} for i in range(10)]})
        assert r["UnprocessedItems"] == {}
    finally:
        assert srv.stop() in (0, None), srv.log()


@pytest.mark.local_only
def test_help_documents_no_throttling():
    out = subprocess.run([SERVER_BIN, "--help"], capture_output=True, text=True, timeout=10).stdout
    assert "--no-throttling" in out
    assert "300 seconds" in out
    # The test-only flag stays out of the help.
    assert "--item-collection-limit-bytes" not in out
