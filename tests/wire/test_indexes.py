"""Secondary indexes through boto3: GSIs and LSIs kept exact on every write,
sparse, projections honoured, Query/Scan with IndexName, pagination keys that
carry the index and table keys, and DynamoDB's errors for index reads."""

import pytest

from wire_util import expect_validation, full_query, full_scan


def make_gsi_table(table_factory, projection=None, lsi=False):
    gsi = {
        "IndexName": "by-g",
        "KeySchema": [
            {"AttributeName": "g", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "Projection": projection or {"ProjectionType": "ALL"},
    }
    kwargs = {
        "GlobalSecondaryIndexes": [gsi],
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
    }
    if lsi:
        kwargs["AttributeDefinitions"].append({"AttributeName": "l", "AttributeType": "N"})
        kwargs["LocalSecondaryIndexes"] = [
            {
                "IndexName": "by-l",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "l", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ]
    return table_factory(hash_key=("pk", "S"), range_key=("sk", "S"), **kwargs)


def query_g(client, table, g, **kw):
    items, _pages = full_query(
        client,
        TableName=table,
        IndexName="by-g",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": g}},
        **kw,
    )
    return items


def test_gsi_follows_put_update_delete_and_is_sparse(dynamodb, table_factory):
    t = make_gsi_table(table_factory)
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "g": {"S": "G1"}})
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "b"}, "sk": {"S": "2"}, "g": {"S": "G1"}})
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "c"}, "sk": {"S": "3"}})  # no g: not indexed
    assert [i["pk"]["S"] for i in query_g(dynamodb, t, "G1")] == ["a", "b"]
    dynamodb.update_item(
        TableName=t,
        Key={"pk": {"S": "a"}, "sk": {"S": "1"}},
        UpdateExpression="SET g = :g",
        ExpressionAttributeValues={":g": {"S": "G2"}},
    )
    assert [i["pk"]["S"] for i in query_g(dynamodb, t, "G1")] == ["b"]
    assert [i["pk"]["S"] for i in query_g(dynamodb, t, "G2")] == ["a"]
    dynamodb.update_item(TableName=t, Key={"pk": {"S": "a"}, "sk": {"S": "1"}}, UpdateExpression="REMOVE g")
    assert query_g(dynamodb, t, "G2") == []
    dynamodb.delete_item(TableName=t, Key={"pk": {"S": "b"}, "sk": {"S": "2"}})
    assert query_g(dynamodb, t, "G1") == []
    # A scan of the index sees only indexed items.
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "d"}, "sk": {"S": "4"}, "g": {"S": "G3"}})
    assert [i["pk"]["S"] for i in full_scan(dynamodb, TableName=t, IndexName="by-g")] == ["d"]


def test_gsi_pagination_key_carries_index_and_table_keys(dynamodb, table_factory):
    t = make_gsi_table(table_factory)
    for i in range(7):
        dynamodb.put_item(TableName=t, Item={"pk": {"S": f"p{i}"}, "sk": {"S": "same"}, "g": {"S": "G"}})
    r = dynamodb.query(
        TableName=t,
        IndexName="by-g",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "G"}},
        Limit=3,
    )
    assert set(r["LastEvaluatedKey"]) == {"g", "sk", "pk"}
    items = query_g(dynamodb, t, "G", Limit=3)
    assert sorted(i["pk"]["S"] for i in items) == [f"p{i}" for i in range(7)]


def test_keys_only_gsi_returns_only_keys_and_rejects_all_attributes(dynamodb, table_factory):
    t = make_gsi_table(table_factory, projection={"ProjectionType": "KEYS_ONLY"})
    dynamodb.put_item(
        TableName=t, Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "g": {"S": "G"}, "x": {"S": "big"}}
    )
    items = query_g(dynamodb, t, "G")
    assert items == [{"pk": {"S": "a"}, "sk": {"S": "1"}, "g": {"S": "G"}}]
    with expect_validation(match="Select type ALL_ATTRIBUTES is not supported for global secondary index by-g"):
        dynamodb.query(
            TableName=t,
            IndexName="by-g",
            Select="ALL_ATTRIBUTES",
            KeyConditionExpression="g = :g",
            ExpressionAttributeValues={":g": {"S": "G"}},
        )


def test_include_projection_keeps_named_attributes(dynamodb, table_factory):
    t = make_gsi_table(table_factory, projection={"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]})
    dynamodb.put_item(
        TableName=t,
        Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "g": {"S": "G"}, "x": {"S": "1"}, "y": {"S": "2"}},
    )
    (item,) = query_g(dynamodb, t, "G")
    assert item == {"pk": {"S": "a"}, "sk": {"S": "1"}, "g": {"S": "G"}, "x": {"S": "1"}}


def test_lsi_query_orders_by_index_sort_key_and_fetches_unprojected(dynamodb, table_factory):
    t = make_gsi_table(table_factory, lsi=True)
    for sk, l in [("a", "30"), ("b", "-1"), ("c", "7")]:
        dynamodb.put_item(TableName=t, Item={"pk": {"S": "P"}, "sk": {"S": sk}, "l": {"N": l}, "v": {"S": sk * 3}})
    r = dynamodb.query(
        TableName=t,
        IndexName="by-l",
        KeyConditionExpression="pk = :p AND l > :z",
        ExpressionAttributeValues={":p": {"S": "P"}, ":z": {"N": "-5"}},
    )
    assert [i["l"]["N"] for i in r["Items"]] == ["-1", "7", "30"]
    assert "v" not in r["Items"][0]  # KEYS_ONLY
    # Asking an LSI for an attribute it does not project reads the table.
    r = dynamodb.query(
        TableName=t,
        IndexName="by-l",
        KeyConditionExpression="pk = :p",
        ProjectionExpression="v",
        ExpressionAttributeValues={":p": {"S": "P"}},
    )
    assert [i["v"]["S"] for i in r["Items"]] == ["bbb", "ccc", "aaa"]


def test_consistent_read_on_gsi_is_rejected(dynamodb, table_factory):
    t = make_gsi_table(table_factory)
    with expect_validation(message="Consistent reads are not supported on global secondary indexes"):
        dynamodb.query(
            TableName=t,
            IndexName="by-g",
            ConsistentRead=True,
            KeyConditionExpression="g = :g",
            ExpressionAttributeValues={":g": {"S": "G"}},
        )


def test_unknown_index_is_rejected(dynamodb, table_factory):
    t = make_gsi_table(table_factory)
    with expect_validation(message="The table does not have the specified index: nope"):
        dynamodb.scan(TableName=t, IndexName="nope")


def test_index_key_with_wrong_type_is_rejected(dynamodb, table_factory):
    t = make_gsi_table(table_factory)
    with expect_validation(match="Type mismatch for Index Key g Expected: S Actual: N IndexName: by-g"):
        dynamodb.put_item(TableName=t, Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "g": {"N": "1"}})


def test_parallel_scan_of_index_covers_every_entry_once(dynamodb, table_factory):
    t = make_gsi_table(table_factory)
    for i in range(60):
        dynamodb.put_item(TableName=t, Item={"pk": {"S": f"p{i}"}, "sk": {"S": "s"}, "g": {"S": f"g{i % 13}"}})
    seen = []
    for seg in range(4):
        seen += [i["pk"]["S"] for i in full_scan(dynamodb, TableName=t, IndexName="by-g", Segment=seg, TotalSegments=4)]
    assert sorted(seen) == sorted(f"p{i}" for i in range(60))
