"""UpdateItem semantics where the engine once differed from DynamoDB: updates
that only remove (REMOVE, DELETE, AttributeUpdates Action DELETE) on a missing
item, SET of several list elements past the end, REMOVE of a nested path of a
missing item, DELETE on a value that is not a set, ExclusiveStartKey outside a
parallel scan's segment or a query's key condition, number overflow in update
arithmetic and the item size limit of an update.

Each test says where DynamoDB's answer comes from: the API Reference or the
Developer Guide where they state it; otherwise observations of DynamoDB
recorded by other compatible implementations' test suites (ScyllaDB
Alternator's, dynalite's), or the documented rule the answer follows from."""

from decimal import Decimal

import pytest

from stream_util import read_stream, stream_arn, streams  # noqa: F401  (streams is a fixture)
from wire_util import N, S, expect_validation, random_key

INVALID_PATH = "The document path provided in the update expression is invalid for update"
WRONG_TYPE = "An operand in the update expression has an incorrect data type"
OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range"
UPDATE_TOO_LARGE = "Item size to update has exceeded the maximum allowed size"
LIMIT = 400 * 1024


def get(c, table, key):
    return c.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


# ---- 1. Updates that only remove create nothing ------------------------------------
#
# API Reference, AttributeValueUpdate (Action): "If no item with the specified
# Key is found in the table: ... DELETE - Nothing happens; there is no attribute
# to delete." The expression form behaves the same: ScyllaDB issue #5862
# ("deleting an attribute from a non-existent item shouldn't create it", a test
# that passes on DynamoDB) and issue #28368 (no stream record for `REMOVE` on a
# missing item). With nothing written, ReturnValues has no item to return: the
# API Reference (UpdateItem, Attributes) returns the attributes "as they appear
# before or after the UpdateItem operation", and there are none.
# Capacity: a write consumes at least one write unit (Developer Guide, "DynamoDB
# read and write operations": 1 KB units, rounded up; BatchWriteItem: "Delete
# operations on nonexistent items consume one write capacity unit"), so the
# no-op consumes 1.0, as an UpdateItem of an absent item always has.


@pytest.mark.parametrize("rv", ["ALL_NEW", "UPDATED_NEW", "ALL_OLD", "UPDATED_OLD"])
def test_remove_only_update_of_missing_item_creates_nothing(dynamodb, table_s, rv):
    key = {"pk": S(random_key())}
    r = dynamodb.update_item(
        TableName=table_s, Key=key, UpdateExpression="REMOVE a, b", ReturnValues=rv, ReturnConsumedCapacity="TOTAL"
    )
    assert "Attributes" not in r
    assert r["ConsumedCapacity"]["CapacityUnits"] == 1.0
    assert get(dynamodb, table_s, key) is None


def test_delete_only_update_of_missing_item_creates_nothing(dynamodb, table_s):
    key = {"pk": S(random_key())}
    r = dynamodb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="DELETE tags :t",
        ExpressionAttributeValues={":t": {"SS": ["x"]}},
        ReturnValues="ALL_NEW",
    )
    assert "Attributes" not in r
    assert get(dynamodb, table_s, key) is None
    # REMOVE and DELETE together: still nothing.
    dynamodb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="REMOVE a DELETE tags :t",
        ExpressionAttributeValues={":t": {"SS": ["x"]}},
    )
    assert get(dynamodb, table_s, key) is None


def test_legacy_delete_only_attribute_updates_of_missing_item_create_nothing(dynamodb, table_s):
    key = {"pk": S(random_key())}
    r = dynamodb.update_item(
        TableName=table_s,
        Key=key,
        AttributeUpdates={"a": {"Action": "DELETE"}, "tags": {"Action": "DELETE", "Value": {"SS": ["x"]}}},
        ReturnValues="ALL_NEW",
    )
    assert "Attributes" not in r
    assert get(dynamodb, table_s, key) is None


def test_updates_that_write_a_value_still_create_the_item(dynamodb, table_s):
    # The other half of the rule: SET and ADD create the item (API Reference,
    # UpdateItem: "adds a new item to the table if it does not already
    # exist"), REMOVE of other attributes alongside doing nothing.
    key = {"pk": S(random_key())}
    r = dynamodb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="ADD n :one REMOVE a",
        ExpressionAttributeValues={":one": N(1)},
        ReturnValues="ALL_NEW",
    )
    assert r["Attributes"] == {**key, "n": N(1)}
    assert get(dynamodb, table_s, key) == {**key, "n": N(1)}
    key2 = {"pk": S(random_key())}
    dynamodb.update_item(TableName=table_s, Key=key2, AttributeUpdates={"a": {"Action": "PUT", "Value": S("v")}})
    assert get(dynamodb, table_s, key2) == {**key2, "a": S("v")}


def test_remove_only_update_of_missing_item_emits_no_stream_record(dynamodb, streams, table_factory):  # noqa: F811
    name = table_factory(StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    key = {"pk": S("k")}
    dynamodb.update_item(TableName=name, Key=key, UpdateExpression="REMOVE a")
    dynamodb.update_item(
        TableName=name, Key=key, UpdateExpression="DELETE s :s", ExpressionAttributeValues={":s": {"NS": ["1"]}}
    )
    dynamodb.put_item(TableName=name, Item={**key, "a": S("v")})
    records = read_stream(streams, stream_arn(dynamodb, name))
    assert [r["eventName"] for r in records] == ["INSERT"]
    assert records[0]["dynamodb"]["NewImage"] == {**key, "a": S("v")}


def test_transact_remove_only_update_of_missing_item_creates_nothing(dynamodb, table_s):
    # TransactWriteItems' Update is UpdateItem's update (API Reference,
    # TransactWriteItems, Update: "Request to perform an UpdateItem operation").
    missing = {"pk": S(random_key())}
    other = {"pk": S(random_key())}
    r = dynamodb.transact_write_items(
        TransactItems=[
            {"Update": {"TableName": table_s, "Key": missing, "UpdateExpression": "REMOVE a"}},
            {
                "Update": {
                    "TableName": table_s,
                    "Key": other,
                    "UpdateExpression": "SET a = :v",
                    "ExpressionAttributeValues": {":v": S("v")},
                }
            },
        ],
        ReturnConsumedCapacity="TOTAL",
    )
    assert get(dynamodb, table_s, missing) is None
    assert get(dynamodb, table_s, other) == {**other, "a": S("v")}
    # Each transactional write costs 2 write units (Developer Guide, "Capacity
    # unit consumption for write operations"): the no-op included.
    assert r["ConsumedCapacity"][0]["CapacityUnits"] == 4.0


# ---- 2. SET of list elements past the end -------------------------------------------
#
# Developer Guide, "Using update expressions in DynamoDB", SET: "If the element
# doesn't already exist, SET appends the new element to the end of the list. If
# you add multiple elements in a single SET operation, the elements are sorted
# in order by element number."


def test_set_past_the_end_appends_in_index_order(dynamodb, table_s):
    key = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**key, "l": {"L": [S("a"), S("b"), S("c")]}})
    dynamodb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET l[4] = :x, l[3] = :y",
        ExpressionAttributeValues={":x": S("x"), ":y": S("y")},
    )
    assert get(dynamodb, table_s, key)["l"]["L"] == [S("a"), S("b"), S("c"), S("y"), S("x")]
    # ScyllaDB's test_nested_attribute_update_array_out_of_bounds (run against
    # DynamoDB) uses this very example.
    dynamodb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET l[84] = :a1, l[37] = :a2, l[17] = :a3, l[50] = :a4",
        ExpressionAttributeValues={":a1": S("a1"), ":a2": S("a2"), ":a3": S("a3"), ":a4": S("a4")},
    )
    assert [v["S"] for v in get(dynamodb, table_s, key)["l"]["L"]] == ["a", "b", "c", "y", "x", "a3", "a2", "a4", "a1"]


def test_set_replaces_in_place_and_appends_in_index_order(dynamodb, table_s):
    key = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**key, "m": {"M": {"l": {"L": [S("a"), S("b"), S("c")]}}}})
    r = dynamodb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET m.l[9] = :x, m.l[1] = :r, m.l[5] = :y",
        ExpressionAttributeValues={":x": S("x"), ":r": S("r"), ":y": S("y")},
        ReturnValues="ALL_NEW",
    )
    assert r["Attributes"]["m"]["M"]["l"]["L"] == [S("a"), S("r"), S("c"), S("y"), S("x")]


# ---- 3. REMOVE of a nested path on a missing item; DELETE on a non-set ----------------


def test_remove_nested_path_of_missing_item_succeeds(dynamodb, table_s):
    # ScyllaDB's test_nested_attribute_remove_from_missing_item (marked as
    # passing on DynamoDB only): "if the entire item doesn't exist, then a
    # REMOVE x.y is silently ignored". Nothing is created (section 1).
    key = {"pk": S(random_key())}
    r = dynamodb.update_item(TableName=table_s, Key=key, UpdateExpression="REMOVE x.y, z[0]", ReturnValues="ALL_NEW")
    assert "Attributes" not in r
    assert get(dynamodb, table_s, key) is None


def test_remove_nested_path_under_missing_attribute_of_existing_item_is_invalid(dynamodb, table_s):
    # ScyllaDB's test_nested_attribute_update_bad_path_dot (run against
    # DynamoDB): on an existing item, REMOVE c.c with no attribute c is this
    # ValidationException.
    key = {"pk": S(random_key())}
    dynamodb.put_item(TableName=table_s, Item={**key, "a": S("v")})
    with expect_validation(message=INVALID_PATH):
        dynamodb.update_item(TableName=table_s, Key=key, UpdateExpression="REMOVE c.c")
    assert get(dynamodb, table_s, key) == {**key, "a": S("v")}


@pytest.mark.parametrize("target", ["n", "s", "l", "m", "ns"])
def test_delete_from_a_value_that_is_not_a_string_set(dynamodb, table_s, target):
    # Developer Guide, "Using update expressions", DELETE: "The path element is
    # the document path to an attribute. The attribute must be a set data type."
    # The message is the one the API Reference lists among TransactWriteItems'
    # ValidationError reasons: "An operand in the update expression has an
    # incorrect data type." (A set of another type, NS here, is also a mismatch.)
    key = {"pk": S(random_key())}
    item = {**key, "n": N(5), "s": S("x"), "l": {"L": [S("x")]}, "m": {"M": {"x": S("x")}}, "ns": {"NS": ["1"]}}
    dynamodb.put_item(TableName=table_s, Item=item)
    with expect_validation(message=WRONG_TYPE):
        dynamodb.update_item(
            TableName=table_s,
            Key=key,
            UpdateExpression=f"DELETE {target} :d",
            ExpressionAttributeValues={":d": {"SS": ["x"]}},
        )
    assert get(dynamodb, table_s, key) == item


def test_delete_operand_that_is_not_a_set(dynamodb, table_s):
    # The operand's type is checked before the item is read (ScyllaDB's
    # test_update_expression_delete_sets quotes DynamoDB's message).
    with expect_validation(
        message="Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, "
        "operand type: STRING, typeSet: ALLOWED_FOR_DELETE_OPERAND"
    ):
        dynamodb.update_item(
            TableName=table_s,
            Key={"pk": S(random_key())},
            UpdateExpression="DELETE a :d",
            ExpressionAttributeValues={":d": S("x")},
        )


# ---- 4. ExclusiveStartKey outside a segment or a key condition ----------------------------


@pytest.fixture(scope="module")
def segmented(dynamodb):
    """A table (pk S, sk N) of 40 partitions of 3 items each."""
    from wire_util import create_table, delete_table_quietly

    name = create_table(dynamodb, hash_key=("pk", "S"), range_key=("sk", "N"))
    for h in range(40):
        for r in range(3):
            dynamodb.put_item(TableName=name, Item={"pk": S(f"p{h:02d}"), "sk": N(r)})
    yield name
    delete_table_quietly(dynamodb, name)


def test_parallel_scan_refuses_start_key_of_another_segment(dynamodb, segmented):
    # DynamoDB's message as ScyllaDB's maintainers quote it from DynamoDB (not
    # DynamoDB Local) in scylladb/scylladb pull request #9270: "The provided
    # starting key is invalid: Invalid ExclusiveStartKey. Please use
    # ExclusiveStartKey with correct Segment. TotalSegments: 1000000 Segment: 0"
    # -- the request's own TotalSegments and Segment.
    total = 4
    lek = None
    for seg in range(total):
        r = dynamodb.scan(TableName=segmented, Segment=seg, TotalSegments=total, Limit=1)
        if "LastEvaluatedKey" in r:
            lek = r["LastEvaluatedKey"]
            break
    assert lek is not None
    # The key continues its own segment.
    dynamodb.scan(TableName=segmented, Segment=seg, TotalSegments=total, ExclusiveStartKey=lek)
    other = (seg + 1) % total
    with expect_validation(
        message="The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey "
        f"with correct Segment. TotalSegments: {total} Segment: {other}"
    ):
        dynamodb.scan(TableName=segmented, Segment=other, TotalSegments=total, ExclusiveStartKey=lek)


def test_parallel_scan_of_one_segment_accepts_any_start_key(dynamodb, segmented):
    r = dynamodb.scan(TableName=segmented, Segment=0, TotalSegments=1, ExclusiveStartKey={"pk": S("zz"), "sk": N(0)})
    assert "Items" in r


def test_query_start_key_of_another_partition_is_outside_query_boundaries(dynamodb, segmented):
    # dynalite's query tests (written against DynamoDB): "should return
    # ValidationException for ExclusiveStartKey with out-of-bounds hash key".
    with expect_validation(message="The provided starting key is outside query boundaries based on provided conditions"):
        dynamodb.query(
            TableName=segmented,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": S("p01")},
            ExclusiveStartKey={"pk": S("p02"), "sk": N(0)},
        )


@pytest.mark.parametrize(
    "cond, values, sk",
    [
        ("sk > :a", {":a": N(1)}, 1),
        ("sk < :a", {":a": N(1)}, 2),
        ("sk BETWEEN :a AND :b", {":a": N(1), ":b": N(2)}, 0),
        ("sk >= :a", {":a": N(1)}, 0),
    ],
)
def test_query_start_key_outside_sort_key_condition(dynamodb, segmented, cond, values, sk):
    # dynalite's query tests (written against DynamoDB): "should return
    # ValidationException for ExclusiveStartKey with non-matching range key":
    # "The provided starting key does not match the range key predicate"; the
    # same message is reported from DynamoDB Local by users (a start key whose
    # sort key is outside the sort key condition).
    with expect_validation(message="The provided starting key does not match the range key predicate"):
        dynamodb.query(
            TableName=segmented,
            KeyConditionExpression=f"pk = :p AND {cond}",
            ExpressionAttributeValues={":p": S("p01"), **values},
            ExclusiveStartKey={"pk": S("p01"), "sk": N(sk)},
        )


def test_query_start_key_inside_the_conditions_pages_on(dynamodb, segmented):
    r = dynamodb.query(
        TableName=segmented,
        KeyConditionExpression="pk = :p AND sk >= :a",
        ExpressionAttributeValues={":p": S("p01"), ":a": N(1)},
        ExclusiveStartKey={"pk": S("p01"), "sk": N(1)},
    )
    assert [int(i["sk"]["N"]) for i in r["Items"]] == [2]


# ---- 5. Number overflow in arithmetic; an update past 400 KB -------------------------------
#
# The API Reference lists both messages among TransactWriteItems' ValidationError
# cancellation reasons: "Number overflow. Attempting to store a number with
# magnitude larger than supported range." and "Item size to update has exceeded
# the maximum allowed size."


def test_arithmetic_past_the_largest_number_overflows(dynamodb, table_s):
    key = {"pk": S(random_key())}
    big = "9.9999999999999999999999999999999999999E+125"
    dynamodb.put_item(TableName=table_s, Item={**key, "n": {"N": big}})
    with expect_validation(message=OVERFLOW):
        dynamodb.update_item(
            TableName=table_s, Key=key, UpdateExpression="SET n = n + :b", ExpressionAttributeValues={":b": {"N": big}}
        )
    with expect_validation(message=OVERFLOW):
        dynamodb.update_item(
            TableName=table_s, Key=key, UpdateExpression="ADD n :b", ExpressionAttributeValues={":b": {"N": "1E+125"}}
        )
    with expect_validation(message=OVERFLOW):
        dynamodb.update_item(
            TableName=table_s,
            Key=key,
            UpdateExpression="SET m = :a - :b",
            ExpressionAttributeValues={":a": {"N": "-9E+125"}, ":b": {"N": "9E+125"}},
        )
    assert Decimal(get(dynamodb, table_s, key)["n"]["N"]) == Decimal(big)


def test_arithmetic_needing_more_than_38_digits_overflows(dynamodb, table_s):
    # ScyllaDB's test_update_expression_plus_imprecise: for 1e50 + 1 "DynamoDB
    # says that the error is: 'Number overflow. Attempting to store a number
    # with magnitude larger than supported range'" -- not the 38-digit message
    # of a number sent by the client.
    key = {"pk": S(random_key())}
    for expr in ["SET b = :a + :one", "SET b = :a - :one"]:
        with expect_validation(message=OVERFLOW):
            dynamodb.update_item(
                TableName=table_s,
                Key=key,
                UpdateExpression=expr,
                ExpressionAttributeValues={":a": {"N": "1E+50"}, ":one": N(1)},
            )
    dynamodb.put_item(TableName=table_s, Item={**key, "n": {"N": "99999999999999999999999999999999999999"}})
    with expect_validation(message=OVERFLOW):
        dynamodb.update_item(
            TableName=table_s, Key=key, UpdateExpression="ADD n :x", ExpressionAttributeValues={":x": {"N": "0.5"}}
        )
    # 38 digits exactly are fine.
    dynamodb.update_item(
        TableName=table_s, Key=key, UpdateExpression="ADD n :one", ExpressionAttributeValues={":one": N(1)}
    )
    assert get(dynamodb, table_s, key)["n"] == {"N": "100000000000000000000000000000000000000"}


def test_update_growing_item_past_limit(dynamodb, table_s):
    key = {"pk": S(random_key())}
    half = "x" * (LIMIT // 2 + 1000)
    dynamodb.put_item(TableName=table_s, Item={**key, "a": S(half)})
    with expect_validation(message=UPDATE_TOO_LARGE):
        dynamodb.update_item(
            TableName=table_s, Key=key, UpdateExpression="SET b = :v", ExpressionAttributeValues={":v": S(half)}
        )
    with expect_validation(message=UPDATE_TOO_LARGE):
        dynamodb.update_item(TableName=table_s, Key=key, AttributeUpdates={"b": {"Action": "PUT", "Value": S(half)}})
    assert get(dynamodb, table_s, key) == {**key, "a": S(half)}


def test_transact_update_growing_item_past_limit(dynamodb, table_s):
    key = {"pk": S(random_key())}
    half = "x" * (LIMIT // 2 + 1000)
    dynamodb.put_item(TableName=table_s, Item={**key, "a": S(half)})
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as e:
        dynamodb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": table_s,
                        "Key": key,
                        "UpdateExpression": "SET b = :v",
                        "ExpressionAttributeValues": {":v": S(half)},
                    }
                }
            ]
        )
    err = e.value.response
    assert err["Error"]["Code"] == "TransactionCanceledException"
    assert err["CancellationReasons"] == [{"Code": "ValidationError", "Message": UPDATE_TOO_LARGE}]
