"""BatchGetItem and BatchWriteItem through boto3: several tables, projections,
DynamoDB's validation errors, and per-table consumed capacity."""

from wire_util import expect_error, expect_validation


def test_batch_write_then_batch_get_over_two_tables(dynamodb, table_factory):
    a = table_factory()
    b = table_factory(range_key=("sk", "N"))
    r = dynamodb.batch_write_item(
        RequestItems={
            a: [{"PutRequest": {"Item": {"pk": {"S": f"k{i}"}, "v": {"N": str(i)}}}} for i in range(10)],
            b: [{"PutRequest": {"Item": {"pk": {"S": "p"}, "sk": {"N": str(i)}}}} for i in range(5)],
        },
        ReturnConsumedCapacity="TOTAL",
    )
    assert r["UnprocessedItems"] == {}
    assert sorted(c["TableName"] for c in r["ConsumedCapacity"]) == sorted([a, b])
    assert {c["TableName"]: c["CapacityUnits"] for c in r["ConsumedCapacity"]} == {a: 10.0, b: 5.0}
    r = dynamodb.batch_get_item(
        RequestItems={
            a: {"Keys": [{"pk": {"S": "k1"}}, {"pk": {"S": "k9"}}, {"pk": {"S": "missing"}}], "ProjectionExpression": "v"},
            b: {"Keys": [{"pk": {"S": "p"}, "sk": {"N": "3"}}], "ConsistentRead": True},
        }
    )
    assert sorted(i["v"]["N"] for i in r["Responses"][a]) == ["1", "9"]
    assert r["Responses"][b] == [{"pk": {"S": "p"}, "sk": {"N": "3"}}]
    assert r["UnprocessedKeys"] == {}


def test_batch_write_deletes(dynamodb, table_factory):
    a = table_factory()
    dynamodb.put_item(TableName=a, Item={"pk": {"S": "x"}})
    dynamodb.batch_write_item(RequestItems={a: [{"DeleteRequest": {"Key": {"pk": {"S": "x"}}}}]})
    assert "Item" not in dynamodb.get_item(TableName=a, Key={"pk": {"S": "x"}})


def test_batch_write_rejects_duplicate_keys(dynamodb, table_factory):
    a = table_factory()
    with expect_validation(message="Provided list of item keys contains duplicates"):
        dynamodb.batch_write_item(
            RequestItems={
                a: [
                    {"PutRequest": {"Item": {"pk": {"S": "x"}}}},
                    {"DeleteRequest": {"Key": {"pk": {"S": "x"}}}},
                ]
            }
        )
    # Nothing of the rejected batch was applied.
    assert "Item" not in dynamodb.get_item(TableName=a, Key={"pk": {"S": "x"}})


def test_batch_write_rejects_more_than_25(raw_client, table_factory):
    a = table_factory()
    with expect_validation(match="Member must have length less than or equal to 25"):
        raw_client.batch_write_item(
            RequestItems={a: [{"PutRequest": {"Item": {"pk": {"S": str(i)}}}} for i in range(26)]}
        )


def test_batch_get_rejects_more_than_100_and_duplicates(raw_client, table_factory):
    a = table_factory()
    # More than 100 keys for one table break KeysAndAttributes.Keys' length
    # constraint (dynalite's test/batchGetItem.js, "should return
    # ValidationException when fetching more than 100 keys").
    with expect_validation(
        match=r"^1 validation error detected: Value '\[.+\]' at 'requestItems\..+\.member\.keys' failed to "
        r"satisfy constraint: Member must have length less than or equal to 100$"
    ):
        raw_client.batch_get_item(RequestItems={a: {"Keys": [{"pk": {"S": str(i)}} for i in range(101)]}})
    with expect_validation(message="Provided list of item keys contains duplicates"):
        raw_client.batch_get_item(RequestItems={a: {"Keys": [{"pk": {"S": "1"}}, {"pk": {"S": "1"}}]}})


def test_batch_rejects_empty_request_and_unknown_table(raw_client):
    with expect_validation(match="at 'requestItems' failed to satisfy constraint"):
        raw_client.batch_write_item(RequestItems={})
    with expect_error("ResourceNotFoundException"):
        raw_client.batch_get_item(RequestItems={"no-such-table": {"Keys": [{"pk": {"S": "1"}}]}})


def test_batch_write_over_25_across_tables_is_rejected_whole(raw_client, table_factory):
    a, b = table_factory(), table_factory()
    with expect_validation(message="Too many items requested for the BatchWriteItem call"):
        raw_client.batch_write_item(
            RequestItems={
                t: [{"PutRequest": {"Item": {"pk": {"S": str(i)}}}} for i in range(13)] for t in (a, b)
            }
        )
    assert raw_client.scan(TableName=a)["Count"] == 0


def test_batch_get_over_100_across_tables_is_rejected(raw_client, table_factory):
    a, b = table_factory(), table_factory()
    with expect_validation(message="Too many items requested for the BatchGetItem call"):
        raw_client.batch_get_item(
            RequestItems={
                a: {"Keys": [{"pk": {"S": str(i)}} for i in range(51)]},
                b: {"Keys": [{"pk": {"S": str(i)}} for i in range(50)]},
            }
        )
