"""ReturnConsumedCapacity=INDEXES: the cost broken down per table and per
index for every read and write (including batches and transactions), the
index-write rules of the Developer Guide ("Provisioned throughput
considerations for global secondary indexes"): an index entry added or
removed costs one write of its projected size, a moved index key two, an
item outside the index nothing; reads of an index charge the index.

Also ReturnItemCollectionMetrics=SIZE on tables with local secondary indexes,
the item-collection size limit (lowered with the hidden server flag
--item-collection-limit-bytes, since 10 GB cannot be written in a test), and
the 4 MB aggregate limit of transactions."""

import pytest
from botocore.exceptions import ClientError

from wire_util import ServerProcess, expect_error, expect_validation, random_key, unique_name
from conftest import make_client

TX_TOO_LARGE = "Transaction size has exceeded the maximum allowed size"


def S(v):
    return {"S": v}


def units(n, read=False):
    return {("ReadCapacityUnits" if read else "WriteCapacityUnits"): n, "CapacityUnits": n}


@pytest.fixture
def indexed(table_factory):
    """pk/sk table; GSI 'all' (g, ALL), GSI 'keys' (g, KEYS_ONLY), LSI 'lsi'
    (pk/l, INCLUDE x)."""
    return table_factory(
        hash_key=("pk", "S"),
        range_key=("sk", "S"),
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
            {"AttributeName": "l", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "all",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": "keys",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            },
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "lsi",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "l", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]},
            }
        ],
    )


def test_put_into_every_index(dynamodb, indexed):
    r = dynamodb.put_item(
        TableName=indexed,
        Item={"pk": S("p"), "sk": S("1"), "g": S("G"), "l": S("L"), "x": S("X")},
        ReturnConsumedCapacity="INDEXES",
    )
    assert r["ConsumedCapacity"] == {
        "TableName": indexed,
        "CapacityUnits": 4.0,
        "WriteCapacityUnits": 4.0,
        "Table": units(1.0),
        "GlobalSecondaryIndexes": {"all": units(1.0), "keys": units(1.0)},
        "LocalSecondaryIndexes": {"lsi": units(1.0)},
    }


def test_total_includes_the_index_writes(dynamodb, indexed):
    r = dynamodb.put_item(
        TableName=indexed, Item={"pk": S("p"), "sk": S("2"), "g": S("G")}, ReturnConsumedCapacity="TOTAL"
    )
    assert r["ConsumedCapacity"] == {"TableName": indexed, "CapacityUnits": 3.0, "WriteCapacityUnits": 3.0}


def test_item_outside_every_index_costs_the_table_only(dynamodb, indexed):
    r = dynamodb.put_item(TableName=indexed, Item={"pk": S("p"), "sk": S("3")}, ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {
        "TableName": indexed,
        "CapacityUnits": 1.0,
        "WriteCapacityUnits": 1.0,
        "Table": units(1.0),
    }


def test_index_entries_cost_their_projected_size(dynamodb, indexed):
    # ~3,000 bytes: 3 units on the table and the ALL index, 1 on KEYS_ONLY.
    r = dynamodb.put_item(
        TableName=indexed,
        Item={"pk": S("p"), "sk": S("4"), "g": S("G"), "d": S("x" * 3000)},
        ReturnConsumedCapacity="INDEXES",
    )
    c = r["ConsumedCapacity"]
    assert c["Table"] == units(3.0)
    assert c["GlobalSecondaryIndexes"] == {"all": units(3.0), "keys": units(1.0)}
    assert c["CapacityUnits"] == 7.0


def test_moving_an_index_key_costs_two_writes(dynamodb, indexed):
    key = {"pk": S("p"), "sk": S("5")}
    dynamodb.put_item(TableName=indexed, Item={**key, "g": S("G1")})
    r = dynamodb.update_item(
        TableName=indexed,
        Key=key,
        UpdateExpression="SET g = :g",
        ExpressionAttributeValues={":g": S("G2")},
        ReturnConsumedCapacity="INDEXES",
    )
    c = r["ConsumedCapacity"]
    assert c["Table"] == units(1.0)
    assert c["GlobalSecondaryIndexes"] == {"all": units(2.0), "keys": units(2.0)}
    assert c["CapacityUnits"] == 5.0


def test_non_projected_change_skips_keys_only_index(dynamodb, indexed):
    key = {"pk": S("p"), "sk": S("6")}
    dynamodb.put_item(TableName=indexed, Item={**key, "g": S("G"), "d": S("1")})
    r = dynamodb.update_item(
        TableName=indexed,
        Key=key,
        UpdateExpression="SET d = :d",
        ExpressionAttributeValues={":d": S("2")},
        ReturnConsumedCapacity="INDEXES",
    )
    assert r["ConsumedCapacity"]["GlobalSecondaryIndexes"] == {"all": units(1.0)}
    assert r["ConsumedCapacity"]["CapacityUnits"] == 2.0


def test_removing_the_index_key_and_deleting(dynamodb, indexed):
    key = {"pk": S("p"), "sk": S("7")}
    dynamodb.put_item(TableName=indexed, Item={**key, "g": S("G"), "l": S("L")})
    r = dynamodb.update_item(TableName=indexed, Key=key, UpdateExpression="REMOVE g", ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"]["GlobalSecondaryIndexes"] == {"all": units(1.0), "keys": units(1.0)}
    # The LSI entry stays, but it projects nothing that changed.
    assert "LocalSecondaryIndexes" not in r["ConsumedCapacity"]
    r = dynamodb.delete_item(TableName=indexed, Key=key, ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {
        "TableName": indexed,
        "CapacityUnits": 2.0,
        "WriteCapacityUnits": 2.0,
        "Table": units(1.0),
        "LocalSecondaryIndexes": {"lsi": units(1.0)},
    }


def test_get_item_indexes(dynamodb, indexed):
    dynamodb.put_item(TableName=indexed, Item={"pk": S("p"), "sk": S("8"), "g": S("G")})
    r = dynamodb.get_item(
        TableName=indexed, Key={"pk": S("p"), "sk": S("8")}, ConsistentRead=True, ReturnConsumedCapacity="INDEXES"
    )
    assert r["ConsumedCapacity"] == {
        "TableName": indexed,
        "CapacityUnits": 1.0,
        "ReadCapacityUnits": 1.0,
        "Table": units(1.0, read=True),
    }


def test_query_of_a_gsi_charges_the_index(dynamodb, indexed):
    g = random_key()
    for i in range(3):
        dynamodb.put_item(TableName=indexed, Item={"pk": S("q"), "sk": S(str(i)), "g": S(g), "d": S("x" * 3000)})
    r = dynamodb.query(
        TableName=indexed,
        IndexName="all",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": S(g)},
        ReturnConsumedCapacity="INDEXES",
    )
    assert r["Count"] == 3
    # ~9,100 bytes: 3 x 4 KB, halved (GSI reads are eventually consistent).
    assert r["ConsumedCapacity"] == {
        "TableName": indexed,
        "CapacityUnits": 1.5,
        "ReadCapacityUnits": 1.5,
        "Table": units(0.0, read=True),
        "GlobalSecondaryIndexes": {"all": units(1.5, read=True)},
    }
    # The KEYS_ONLY index holds small entries: the minimum.
    r = dynamodb.query(
        TableName=indexed,
        IndexName="keys",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": S(g)},
        ReturnConsumedCapacity="TOTAL",
    )
    assert r["ConsumedCapacity"] == {"TableName": indexed, "CapacityUnits": 0.5, "ReadCapacityUnits": 0.5}


def test_lsi_read_with_fetch_charges_index_and_table(dynamodb, indexed):
    p = random_key()
    for i in range(2):
        dynamodb.put_item(
            TableName=indexed, Item={"pk": S(p), "sk": S(str(i)), "l": S(str(i)), "x": S("x"), "d": S("y" * 5000)}
        )
    kw = dict(
        TableName=indexed,
        IndexName="lsi",
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": S(p)},
        ConsistentRead=True,
        ReturnConsumedCapacity="INDEXES",
    )
    r = dynamodb.query(**kw)
    assert r["ConsumedCapacity"]["LocalSecondaryIndexes"] == {"lsi": units(1.0, read=True)}
    assert r["ConsumedCapacity"]["Table"] == units(0.0, read=True)
    # d is not projected: the two ~5 KB items are fetched from the table.
    r = dynamodb.query(Select="ALL_ATTRIBUTES", **kw)
    assert r["Items"][0]["d"] == S("y" * 5000)
    assert r["ConsumedCapacity"]["LocalSecondaryIndexes"] == {"lsi": units(1.0, read=True)}
    assert r["ConsumedCapacity"]["Table"] == units(3.0, read=True)
    assert r["ConsumedCapacity"]["CapacityUnits"] == 4.0


def test_scan_of_a_gsi_charges_the_index(dynamodb, indexed):
    dynamodb.put_item(TableName=indexed, Item={"pk": S("s"), "sk": S("1"), "g": S("G")})
    r = dynamodb.scan(TableName=indexed, IndexName="keys", ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"]["GlobalSecondaryIndexes"] == {"keys": units(0.5, read=True)}
    assert r["ConsumedCapacity"]["Table"] == units(0.0, read=True)


def test_batch_write_indexes_per_table(dynamodb, indexed, table_factory):
    plain = table_factory()
    r = dynamodb.batch_write_item(
        RequestItems={
            indexed: [
                {"PutRequest": {"Item": {"pk": S("b"), "sk": S("1"), "g": S("G")}}},
                {"PutRequest": {"Item": {"pk": S("b"), "sk": S("2")}}},
            ],
            plain: [{"PutRequest": {"Item": {"pk": S("b")}}}],
        },
        ReturnConsumedCapacity="INDEXES",
    )
    by = {c["TableName"]: c for c in r["ConsumedCapacity"]}
    assert by[indexed] == {
        "TableName": indexed,
        "CapacityUnits": 4.0,
        "WriteCapacityUnits": 4.0,
        "Table": units(2.0),
        "GlobalSecondaryIndexes": {"all": units(1.0), "keys": units(1.0)},
    }
    assert by[plain] == {"TableName": plain, "CapacityUnits": 1.0, "WriteCapacityUnits": 1.0, "Table": units(1.0)}


def test_batch_get_indexes_per_table(dynamodb, indexed):
    dynamodb.put_item(TableName=indexed, Item={"pk": S("bg"), "sk": S("1"), "g": S("G")})
    r = dynamodb.batch_get_item(
        RequestItems={indexed: {"Keys": [{"pk": S("bg"), "sk": S("1")}, {"pk": S("bg"), "sk": S("2")}]}},
        ReturnConsumedCapacity="INDEXES",
    )
    assert r["ConsumedCapacity"] == [
        {"TableName": indexed, "CapacityUnits": 1.0, "ReadCapacityUnits": 1.0, "Table": units(1.0, read=True)}
    ]


def test_transaction_doubles_the_table_not_the_indexes(dynamodb, indexed):
    r = dynamodb.transact_write_items(
        TransactItems=[{"Put": {"TableName": indexed, "Item": {"pk": S("t"), "sk": S("1"), "g": S("G")}}}],
        ReturnConsumedCapacity="INDEXES",
    )
    assert r["ConsumedCapacity"] == [
        {
            "TableName": indexed,
            "CapacityUnits": 4.0,
            "WriteCapacityUnits": 4.0,
            "Table": units(2.0),
            "GlobalSecondaryIndexes": {"all": units(1.0), "keys": units(1.0)},
        }
    ]
    r = dynamodb.transact_get_items(
        TransactItems=[{"Get": {"TableName": indexed, "Key": {"pk": S("t"), "sk": S("1")}}}],
        ReturnConsumedCapacity="INDEXES",
    )
    assert r["ConsumedCapacity"] == [
        {"TableName": indexed, "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0, "Table": units(2.0, read=True)}
    ]


# ---- ItemCollectionMetrics ---------------------------------------------------------

SMALL = {"ItemCollectionKey": {"pk": S("m")}, "SizeEstimateRangeGB": [0.0, 1.0]}


def test_item_collection_metrics_single_writes(dynamodb, indexed):
    key = {"pk": S("m"), "sk": S("1")}
    r = dynamodb.put_item(TableName=indexed, Item={**key, "l": S("L")}, ReturnItemCollectionMetrics="SIZE")
    assert r["ItemCollectionMetrics"] == SMALL
    r = dynamodb.update_item(
        TableName=indexed,
        Key=key,
        UpdateExpression="SET x = :x",
        ExpressionAttributeValues={":x": S("X")},
        ReturnItemCollectionMetrics="SIZE",
    )
    assert r["ItemCollectionMetrics"] == SMALL
    r = dynamodb.delete_item(TableName=indexed, Key=key, ReturnItemCollectionMetrics="SIZE")
    assert r["ItemCollectionMetrics"] == SMALL
    r = dynamodb.put_item(TableName=indexed, Item={**key}, ReturnItemCollectionMetrics="NONE")
    assert "ItemCollectionMetrics" not in r


def test_item_collection_metrics_batch_and_transaction(dynamodb, indexed, table_factory):
    plain = table_factory()
    r = dynamodb.batch_write_item(
        RequestItems={
            indexed: [
                {"PutRequest": {"Item": {"pk": S("m"), "sk": S("2")}}},
                {"DeleteRequest": {"Key": {"pk": S("m"), "sk": S("3")}}},
            ],
            plain: [{"PutRequest": {"Item": {"pk": S("m")}}}],
        },
        ReturnItemCollectionMetrics="SIZE",
    )
    assert r["ItemCollectionMetrics"] == {indexed: [SMALL, SMALL]}
    r = dynamodb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": indexed, "Item": {"pk": S("m"), "sk": S("4")}}},
            {"Put": {"TableName": plain, "Item": {"pk": S("m2")}}},
        ],
        ReturnItemCollectionMetrics="SIZE",
    )
    assert r["ItemCollectionMetrics"] == {indexed: [SMALL]}


def test_no_item_collection_metrics_without_lsi(dynamodb, table_factory):
    plain = table_factory()
    r = dynamodb.put_item(TableName=plain, Item={"pk": S("a")}, ReturnItemCollectionMetrics="SIZE")
    assert "ItemCollectionMetrics" not in r


def test_invalid_return_item_collection_metrics(raw_client, indexed):
    with expect_validation(
        message="1 validation error detected: Value 'ALL' at 'returnItemCollectionMetrics' failed to satisfy "
        "constraint: Member must satisfy enum value set: [SIZE, NONE]"
    ):
        raw_client.put_item(TableName=indexed, Item={"pk": S("a"), "sk": S("b")}, ReturnItemCollectionMetrics="ALL")


# ---- The item-collection size limit ----------------------------------------------------------

LIMIT = 10000


@pytest.fixture(scope="module")
def small_limit_client():
    from conftest import EXTERNAL_ENDPOINT

    if EXTERNAL_ENDPOINT:
        pytest.skip("DDB_ENDPOINT is set: this test starts its own server")
    srv = ServerProcess(["--in-memory", "--item-collection-limit-bytes", str(LIMIT)])
    yield make_client(srv.url)
    assert srv.stop() in (0, None), srv.log()


@pytest.fixture
def lsi_table(small_limit_client):
    c = small_limit_client
    name = unique_name()
    c.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "l", "AttributeType": "S"},
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "lsi",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "l", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )
    return name


def big(pk, sk):
    """~3,020 bytes with its LSI entry: three fit in a 10,000-byte collection, four do not."""
    return {"pk": S(pk), "sk": S(sk), "l": S(sk), "d": S("x" * 3000)}


@pytest.mark.local_only
def test_collection_limit_on_single_writes(small_limit_client, lsi_table):
    c, t = small_limit_client, lsi_table
    for i in range(3):
        c.put_item(TableName=t, Item=big("p", str(i)))
    with expect_error("ItemCollectionSizeLimitExceededException", message="Collection size exceeded.", status=400):
        c.put_item(TableName=t, Item=big("p", "3"))
    with expect_error("ItemCollectionSizeLimitExceededException", message="Collection size exceeded."):
        c.update_item(
            TableName=t,
            Key={"pk": S("p"), "sk": S("0")},
            UpdateExpression="SET e = :e",
            ExpressionAttributeValues={":e": S("y" * 2000)},
        )
    # Other collections are unaffected; shrinking and deleting are allowed.
    c.put_item(TableName=t, Item=big("q", "3"))
    c.update_item(TableName=t, Key={"pk": S("p"), "sk": S("0")}, UpdateExpression="REMOVE d")
    r = c.put_item(TableName=t, Item=big("p", "3"), ReturnItemCollectionMetrics="SIZE")
    assert r["ItemCollectionMetrics"] == {"ItemCollectionKey": {"pk": S("p")}, "SizeEstimateRangeGB": [0.0, 1.0]}
    c.delete_item(TableName=t, Key={"pk": S("p"), "sk": S("1")})
    c.put_item(TableName=t, Item=big("p", "4"))


@pytest.mark.local_only
def test_collection_limit_in_batches_and_transactions(small_limit_client, lsi_table):
    c, t = small_limit_client, lsi_table
    for i in range(2):
        c.put_item(TableName=t, Item=big("b", str(i)))
    with expect_error("ItemCollectionSizeLimitExceededException", message="Collection size exceeded."):
        c.batch_write_item(RequestItems={t: [{"PutRequest": {"Item": big("b", s)}} for s in ("2", "3")]})
    # Nothing of the failed batch was written.
    assert "Item" not in c.get_item(TableName=t, Key={"pk": S("b"), "sk": S("2")})
    with pytest.raises(ClientError) as ei:
        c.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": t, "Item": big("other", "1")}},
                {"Put": {"TableName": t, "Item": big("b", "2")}},
                {"Put": {"TableName": t, "Item": big("b", "3")}},
            ]
        )
    err = ei.value.response
    assert err["Error"]["Code"] == "TransactionCanceledException"
    assert err["Error"]["Message"] == (
        "Transaction cancelled, please refer cancellation reasons for specific reasons "
        "[None, None, ItemCollectionSizeLimitExceeded]"
    )
    assert err["CancellationReasons"][2] == {
        "Code": "ItemCollectionSizeLimitExceeded",
        "Message": "Collection size exceeded.",
    }
    assert "Item" not in c.get_item(TableName=t, Key={"pk": S("other"), "sk": S("1")})
    c.batch_write_item(RequestItems={t: [{"PutRequest": {"Item": big("b", "2")}}]})


# ---- Transaction size ----------------------------------------------------------------------


def test_transact_write_aggregate_size_limit(dynamodb, table_factory):
    t = table_factory()
    blob = "x" * (390 * 1024)
    items = [{"Put": {"TableName": t, "Item": {"pk": S(f"k{i}"), "d": S(blob)}}} for i in range(11)]
    with expect_validation(message=TX_TOO_LARGE):
        dynamodb.transact_write_items(TransactItems=items)
    assert "Item" not in dynamodb.get_item(TableName=t, Key={"pk": S("k0")})
    dynamodb.transact_write_items(TransactItems=items[:10])  # 3.9 MB


def test_transact_write_size_counts_updated_items(dynamodb, table_factory):
    t = table_factory()
    blob = "x" * (390 * 1024)
    for i in range(11):
        dynamodb.put_item(TableName=t, Item={"pk": S(f"k{i}"), "d": S(blob)})
    upd = [
        {
            "Update": {
                "TableName": t,
                "Key": {"pk": S(f"k{i}")},
                "UpdateExpression": "SET n = :n",
                "ExpressionAttributeValues": {":n": {"N": "1"}},
            }
        }
        for i in range(11)
    ]
    with expect_validation(message=TX_TOO_LARGE):
        dynamodb.transact_write_items(TransactItems=upd)
    assert "n" not in dynamodb.get_item(TableName=t, Key={"pk": S("k0")})["Item"]


def test_transact_get_response_size_limit(dynamodb, table_factory):
    t = table_factory()
    blob = "x" * (390 * 1024)
    for i in range(11):
        dynamodb.put_item(TableName=t, Item={"pk": S(f"k{i}"), "d": S(blob)})
    gets = [{"Get": {"TableName": t, "Key": {"pk": S(f"k{i}")}}} for i in range(11)]
    with expect_validation(message=TX_TOO_LARGE):
        dynamodb.transact_get_items(TransactItems=gets)
    assert len(dynamodb.transact_get_items(TransactItems=gets[:10])["Responses"]) == 10
